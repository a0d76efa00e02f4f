"""Links from one imported post to another, made links to the new page.

A post's body links to its neighbours by their old addresses: the old blog's permalinks, /?p=123,
or the /post/<slug>/ that the Jekyll and Hugo readers write for ``post_url`` and ``ref``. Once every
post of an import is in, each such link on the old site (a relative one, or one on the old blog's
host) whose address an imported post answers becomes ``page:ID``, the reference the site resolves
when the page is shown (blog/markdown.py): a link to a draft stays plain text until it is published.
"""

import re
from urllib.parse import urlsplit

from wagtail.contrib.redirects.models import Redirect

from ..models import BlogPage

LINK = re.compile(r'(\]\(|href=")([^)"\s]+)')


def old_address(url, hosts):
    """The link's address on the old site, as Wagtail stores redirects; None for a link elsewhere."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc not in hosts):
        return None
    if not parts.path.startswith("/") and not parts.netloc:
        return None  # relative to the post: nothing the old site's addresses can tell
    return Redirect.normalise_path(parts.path + (f"?{parts.query}" if parts.query else ""))


def relink(page_ids, hosts):
    """Rewrite the imported posts' links to other imported posts; returns how many links were made internal."""
    pages = list(BlogPage.objects.filter(pk__in=page_ids, body__regex=r"\]\(/|\]\(http|href=").only("body"))
    wanted = {address for page in pages for _, url in LINK.findall(page.body) if (address := old_address(url, hosts))}
    known = dict(Redirect.objects.filter(site=None, old_path__in=wanted).values_list("old_path", "redirect_page_id"))
    for pk, paths in BlogPage.objects.exclude(import_paths=[]).values_list("pk", "import_paths"):
        known.update(dict.fromkeys(set(paths) & wanted, pk))  # drafts' old addresses, redirected once published
    for pk, slug in BlogPage.objects.filter(pk__in=page_ids).values_list("pk", "slug"):
        known.setdefault(Redirect.normalise_path(f"/post/{slug}/"), pk)
    made = 0
    for page in pages:

        def internal(match):
            nonlocal made
            target = known.get(old_address(match[2], hosts))
            if target is None:
                return match[0]
            made += 1
            return f"{match[1]}page:{target}"

        body = LINK.sub(internal, page.body)
        if body != page.body:
            page = BlogPage.objects.get(pk=page.pk)
            page.body = body
            page.save(clean=False)  # its HTML made again (BlogPage.save)
    return made
