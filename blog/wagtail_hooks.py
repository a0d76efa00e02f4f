"""Admin wiring for the blog: tags, the comment moderation queue, its bulk actions and dashboard panel."""

from django.db.models import Q
from django.template.defaultfilters import truncatechars
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .filters import CommentFilterSet
from .models import BlogPage, Comment
from .moderation import MODERATION_ACTIONS
from .spam import KEY_REFUSED


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments come from readers on the site: nobody, superusers included, adds one in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


# Registered before any view asks for Comment's policy (Wagtail would make a default one).
register_permission_policy(Comment, CommentPermissionPolicy(Comment))


class TagViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    add_to_admin_menu = True
    menu_label = "Tags"
    menu_order = 200
    list_display = ["name", "slug"]
    search_fields = ("name",)


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    add_to_admin_menu = True
    menu_label = "Comments"
    menu_order = 100
    list_display = [
        "name",
        "post",
        Column("excerpt", label="Comment", accessor=lambda c: truncatechars(c.text, 80)),
        "status",
        "spam_check",
        "created",
    ]
    filterset_class = CommentFilterSet
    search_fields = ["name", "email", "text"]
    search_backend_name = None  # plain database lookups: comments are not in the search index
    ordering = ["-created"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Readers' words are not edited; decisions are made with the bulk actions.
    panels = [
        MultiFieldPanel(
            [FieldPanel(name, read_only=True) for name in ("post", "name", "email", "url", "text", "created")],
            heading="The comment",
        ),
        MultiFieldPanel(
            [FieldPanel(name, read_only=True) for name in ("status", "spam_check", "spam_check_error", "ip")],
            heading="Moderation",
        ),
    ]

    def get_queryset(self, request):
        return Comment.objects.select_related("post")

    @cached_property
    def menu_url(self):
        """Moderators land on the queue: the comments waiting for them."""
        return super().menu_url + "?status=pending"


@hooks.register("insert_global_admin_css")
def markdown_toolbar_icons():
    """The Markdown editor's toolbar draws its buttons with Font Awesome 4, served from here, not a CDN."""
    stylesheet = static("vendor/font-awesome-4.7.0/css/font-awesome.min.css")
    return format_html('<link rel="stylesheet" href="{}">', stylesheet)


@hooks.register("insert_global_admin_js")
def markdown_editor_options():
    """No spell-checker in the Markdown editor: it would fetch its dictionaries from a CDN."""
    return format_html('<script src="{}"></script>', static("js/markdown-editor.js"))


register_snippet(TagViewSet)
register_snippet(CommentViewSet)
for action in MODERATION_ACTIONS:
    hooks.register("register_bulk_action", action)


@hooks.register("register_snippet_listing_buttons")
def moderation_buttons(snippet, user, next_url=None):
    """Decide on a single comment from its row's menu, through the same bulk actions."""
    if isinstance(snippet, Comment) and user.has_perm("blog.change_comment"):
        for action in MODERATION_ACTIONS:
            url = reverse("wagtail_bulk_action", args=("blog", "comment", action.action_type))
            yield Button(action.display_name, f"{url}?{urlencode({'id': snippet.pk, 'next': next_url})}",
                         priority=action.action_priority)  # fmt: skip


class PendingCommentsPanel(Component):
    name = "pending_comments"
    order = 50
    template_name = "blog/admin/pending_comments_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "pending": Comment.objects.pending().count(),
            "key_refused": Comment.objects.pending().filter(spam_check_error=KEY_REFUSED).exists(),
            "queue_url": reverse(Comment.snippet_viewset.get_url_name("list")) + "?status=pending",
        }


class PostsPanel(Component):
    """An editor's first questions: what is still a draft, and what went out lately."""

    name = "posts"
    order = 60
    template_name = "blog/admin/posts_panel.html"

    def get_context_data(self, parent_context=None):
        posts = BlogPage.objects.order_by("-latest_revision_created_at")
        return {
            "drafts": posts.filter(Q(live=False) | Q(has_unpublished_changes=True))[:10],
            "recent": posts.live().order_by("-date", "-first_published_at")[:5],
        }


@hooks.register("construct_homepage_panels")
def add_dashboard_panels(request, panels):
    if request.user.has_perm("blog.change_comment"):
        panels.insert(0, PendingCommentsPanel())
    if page_permission_policy.user_has_any_permission(request.user, ["add", "change", "publish"]):
        panels.insert(0, PostsPanel())
