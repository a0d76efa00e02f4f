"""Old addresses of imported posts, answered with a permanent redirect through Wagtail's redirects app.

Only for a published post (behind a password or not, as on the old blog): a redirect to a draft
or a scheduled post would tell anyone who tries its old address (/?p=123) where it will be. A draft's old
addresses wait in ``BlogPage.import_paths`` until it is published (blog/signal_handlers.py).
"""

from wagtail.contrib.redirects.models import Redirect

LENGTH = Redirect._meta.get_field("old_path").max_length


def normalised(page, paths, site):
    """The paths as Wagtail stores redirects, without the post's own, the front page's, or any too long."""
    own = Redirect.normalise_path(page.relative_url(site) or "/")
    kept = dict.fromkeys(Redirect.normalise_path(path) for path in paths)
    return {old for old in kept if old not in (own, "/") and len(old) <= LENGTH}


def redirect(page, paths):
    """A permanent redirect from each path to the page, made or moved to it: two queries, however many paths."""
    existing = Redirect.objects.filter(site=None, old_path__in=paths)
    known = set(existing.values_list("old_path", flat=True))
    existing.update(redirect_page=page, redirect_link="", is_permanent=True)
    Redirect.objects.bulk_create(
        [Redirect(old_path=old, site=None, redirect_page=page, is_permanent=True) for old in sorted(paths - known)]
    )


def redirect_once_published(sender, instance, **kwargs):
    """page_published: an imported draft, now public, gets the redirects it waited for."""
    page = instance.specific
    if getattr(page, "import_paths", None):
        redirect(page, normalised(page, page.import_paths, page.get_site()))
        type(page).objects.filter(pk=page.pk).update(import_paths=[])
