"""The moderators' screens: the comment queue with its filters and decisions, and the dashboard's count.

Imported by blog/wagtail_hooks.py, where Wagtail looks for the blog's admin hooks.
"""

from django.db.models import Count, OuterRef, Subquery
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .author_replies import AuthorReplyView, may_reply
from .models import MODERATE, Comment
from .moderation import MODERATION_ACTIONS, SEARCH_FIELDS, CommentFilterSet
from .spam import KEY_REFUSED


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments come from readers on the site: nobody, superusers included, adds one in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


QUEUE = "?status=pending"  # the listing filtered to what waits for a moderator

# Registered before any view asks for Comment's policy (Wagtail would make a default one).
register_permission_policy(Comment, CommentPermissionPolicy(Comment))


def answered(parent):
    return f"{parent.name}: {truncatechars(parent.text, 50)}" if parent else ""


def earlier(status):
    """How many comments from the same address, before this one, have this status: the sender's history."""
    same_sender = Comment.objects.filter(email=OuterRef("email"), created__lt=OuterRef("created"), status=status)
    return Subquery(same_sender.order_by().values("email").annotate(count=Count("pk")).values("count"))


def history(comment):
    approved, spam = comment.approved_before or 0, comment.spam_before or 0
    return f"{approved} approved, {spam} spam" if approved or spam else "None"


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
        Column("answers", label="In reply to", accessor=lambda c: answered(c.parent)),
        Column("history", label="Sender's earlier comments", accessor=history),
        "status",
        "spam_check",
        "created",
    ]
    filterset_class = CommentFilterSet
    search_fields = SEARCH_FIELDS
    search_backend_name = None  # plain database lookups: comments are not in the search index
    ordering = ["-created"]
    inspect_view_enabled = True
    copy_view_enabled = False
    # Readers' words are not edited; decisions are made with the bulk actions.
    panels = [
        MultiFieldPanel(
            [
                FieldPanel(name, read_only=True)
                for name in ("post", "parent", "name", "email", "url", "text", "created", "user", "notify")
            ],
            heading="The comment",
        ),
        MultiFieldPanel(
            [
                FieldPanel(name, read_only=True)
                for name in ("status", "spam_check", "checked_at", "spam_check_error", "ip")
            ],
            heading="Moderation",
        ),
    ]

    def get_queryset(self, request):
        return Comment.objects.select_related("post", "parent").annotate(
            approved_before=earlier(Comment.Status.APPROVED), spam_before=earlier(Comment.Status.SPAM)
        )

    def get_urlpatterns(self):
        reply = path("reply/<int:comment_id>/", AuthorReplyView.as_view(), name="author_reply")
        return [*super().get_urlpatterns(), reply]

    @cached_property
    def menu_url(self):
        """Moderators land on the queue: the comments waiting for them."""
        return super().menu_url + QUEUE


register_snippet(CommentViewSet)
for action in MODERATION_ACTIONS:
    hooks.register("register_bulk_action", action)


@hooks.register("register_snippet_listing_buttons")
def moderation_buttons(snippet, user, next_url=None):
    """Decide on a single comment from its row's menu, through the same bulk actions."""
    if not isinstance(snippet, Comment):
        return
    if user.has_perm(MODERATE):
        for action in MODERATION_ACTIONS:
            url = reverse("wagtail_bulk_action", args=("blog", "comment", action.action_type))
            query = urlencode({"id": snippet.pk, "next": next_url})
            yield Button(action.display_name, f"{url}?{query}", priority=action.action_priority)
    if snippet.status == Comment.Status.APPROVED and may_reply(user, snippet):
        url = reverse(Comment.snippet_viewset.get_url_name("author_reply"), args=[snippet.pk])
        yield Button("Reply as the author", f"{url}?{urlencode({'next': next_url or ''})}", priority=20)


class PendingCommentsPanel(Component):
    name = "pending_comments"
    order = 50
    template_name = "blog/admin/pending_comments_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "pending": Comment.objects.pending().count(),
            "key_refused": Comment.objects.pending().filter(spam_check_error=KEY_REFUSED).exists(),
            "queue_url": Comment.snippet_viewset.menu_url,
        }


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels):
    if request.user.has_perm(MODERATE):
        panels.insert(0, PendingCommentsPanel())
