"""Admin wiring for the blog: tags, the Markdown editor, the editors' dashboard panel, and comments' screens."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join, json_script
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Revision
from wagtail.permissions import page_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .comments import admin  # noqa: F401  (registers the comment queue, its decisions and its dashboard panel)
from .importers import admin as import_admin  # noqa: F401  (registers the Import screen)
from .models import BlogPage
from .preview_views import PreviewLinksView, make_preview_link, revoke_preview_link


class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    add_to_admin_menu = True
    menu_label = "Tags"
    menu_order = 200
    list_display = ["name", "slug"]
    search_fields = ("name",)


register_snippet(TagViewSet)


@hooks.register("insert_global_admin_css")
def markdown_toolbar_icons():
    """The Markdown editor's toolbar draws its buttons with Font Awesome 4, served from here, not a CDN."""
    stylesheet = static("vendor/font-awesome-4.7.0/css/font-awesome.min.css")
    return format_html('<link rel="stylesheet" href="{}">', stylesheet)


@hooks.register("insert_global_admin_js")
def markdown_editor_options():
    """The Markdown editor's options: no spell-checker (it would fetch its dictionaries from a CDN), and toolbar
    buttons for Wagtail's image, page and document choosers, whose scripts and addresses come with it."""
    choosers = {
        "image": reverse("wagtailimages_chooser:choose"),
        "page": reverse("wagtailadmin_choose_page"),
        "doc": reverse("wagtaildocs_chooser:choose"),
    }
    scripts = [
        "wagtailadmin/js/page-chooser-modal.js",
        "wagtailimages/js/image-chooser-modal.js",
        "wagtaildocs/js/document-chooser-modal.js",
        "js/markdown-editor.js",
    ]
    tags = format_html_join("", '<script src="{}"></script>', ((static(script),) for script in scripts))
    return json_script(choosers, "markdown-chooser-urls") + tags


class PostsPanel(Component):
    """An editor's first questions: what goes out when, what is still a draft, and what went out lately."""

    name = "posts"
    order = 60
    template_name = "blog/admin/posts_panel.html"

    def get_context_data(self, parent_context=None):
        posts = BlogPage.objects.order_by("-latest_revision_created_at")
        return {
            "scheduled": scheduled_posts(),
            "drafts": posts.filter(Q(live=False) | Q(has_unpublished_changes=True))[:10],
            "recent": posts.live().order_by("-date", "-id")[:5],
        }


def scheduled_posts():
    """Posts with a revision waiting to go live (what publish_scheduled will publish), soonest first, each with
    ``goes_live_at``: the revisions Wagtail's own command reads, in one query, and their posts in another."""
    post_type = ContentType.objects.get_for_model(BlogPage)
    waiting = Revision.page_revisions.filter(approved_go_live_at__isnull=False, content_type=post_type)
    going = dict(waiting.order_by("approved_go_live_at").values_list("object_id", "approved_go_live_at"))
    posts = {str(post.pk): post for post in BlogPage.objects.filter(pk__in=going)}
    for object_id, at in going.items():
        posts[object_id].goes_live_at = at
    return sorted(posts.values(), key=lambda post: post.goes_live_at)


@hooks.register("construct_homepage_panels")
def add_posts_panel(request, panels):
    if page_permission_policy.user_has_any_permission(request.user, ["add", "change", "publish"]):
        panels.insert(0, PostsPanel())


@hooks.register("register_admin_urls")
def preview_link_urls():
    """The editor's screen for a page's private preview links (blog/preview_views.py)."""
    return [
        path("preview-links/<int:page_id>/", PreviewLinksView.as_view(), name="preview_links"),
        path("preview-links/<int:page_id>/make/", make_preview_link, name="preview_links_make"),
        path("preview-links/<int:page_id>/<int:link_id>/withdraw/", revoke_preview_link, name="preview_links_revoke"),
    ]
