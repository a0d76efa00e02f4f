"""What a moderator's decision does: the comments' new status, the spam count, and Akismet's feedback (queued).

Each decision is a Wagtail bulk action on the comment snippets, so one comment
or a hundred are moderated the same way from the listing (blog/comments/admin.py),
as the listing's filters and search chose them.
"""

import operator
from functools import partial, reduce

import django_filters
from django.db import transaction
from django.db.models import Q
from django.utils.text import capfirst
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from blog.models import BlogPage
from machinery.signals import content_changed

from .models import Comment, SpamCounter
from .tasks import replies_approved, report_to_akismet


class CommentFilterSet(WagtailFilterSet):
    post = django_filters.ModelChoiceFilter(
        queryset=BlogPage.objects.filter(comments__isnull=False).distinct().order_by("title"), label="Post"
    )
    created = django_filters.DateFromToRangeFilter(label="Posted", widget=DateRangePickerWidget)

    class Meta:
        model = Comment
        fields = ["status", "spam_check", "post", "created"]


SEARCH_FIELDS = ["name", "email", "text"]  # what the listing's search box looks in


def filtered_comments(params):
    """The comments a moderator sees in the listing for these query parameters (filters and search)."""
    comments = CommentFilterSet(params, queryset=Comment.objects.all()).qs
    if query := params.get("q"):
        comments = comments.filter(reduce(operator.or_, (Q(**{f"{name}__icontains": query}) for name in SEARCH_FIELDS)))
    return comments


class ModerationAction(SnippetBulkAction):
    """Set the chosen comments' status; tell Akismet where the decision corrects it."""

    models = [Comment]
    template_name = "blog/admin/confirm_moderation.html"
    new_status = None
    is_spam = None  # True/False: tell Akismet spam/ham where it judged otherwise; None: nothing to tell

    def get_all_objects_in_listing_query(self, parent_id):
        """The listing's "select all" means the listing as filtered and searched, never every comment."""
        return filtered_comments(self.request.GET).values_list("pk", flat=True)

    def check_perm(self, comment):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", comment)

    @classmethod
    def decide(cls, ids):
        """This decision on these comments, however a moderator made it (the listing, a mail's link)."""
        with transaction.atomic():
            if cls.new_status == Comment.Status.SPAM:
                SpamCounter.add(Comment.objects.filter(pk__in=ids).exclude(status=Comment.Status.SPAM).count())
            Comment.objects.filter(pk__in=ids).update(status=cls.new_status)
            # An UPDATE sends no signals, and a decision may show or hide comments.
            content_changed.send(sender=Comment)
            if cls.new_status == Comment.Status.APPROVED:
                replies_approved(ids)
            if cls.is_spam is not None:
                # Akismet hears of the decision only once committed, from the worker: its failure never undoes it.
                transaction.on_commit(partial(report_to_akismet.enqueue, ids, cls.is_spam), robust=True)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        ids = [comment.pk for comment in objects]
        cls.decide(ids)
        return len(ids), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = "comment" if num_parent_objects == 1 else "comments"
        return f"{num_parent_objects} {noun} {self.done_label}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"question": f"{capfirst(self.aria_label)}?"}


def decision(priority, action_type, display_name, new_status, aria_label, done_label, is_spam=None):
    """One of a moderator's decisions, as the bulk action class Wagtail registers (``priority``: its button's place)."""
    name = f"{display_name.title().replace(' ', '')}Action"
    attributes = {
        "__module__": __name__,
        "__qualname__": name,
        "action_priority": priority,
        "action_type": action_type,
        "display_name": display_name,
        "new_status": new_status,
        "aria_label": aria_label,
        "done_label": done_label,
        "is_spam": is_spam,
    }
    return type(name, (ModerationAction,), attributes)


MODERATION_ACTIONS = [
    decision(
        10,
        "approve",
        "Approve",
        Comment.Status.APPROVED,
        "approve the selected comments",
        "approved: they now show under their posts",
    ),
    decision(11, "reject", "Reject", Comment.Status.REJECTED, "reject the selected comments", "rejected"),
    decision(
        12,
        "mark_spam",
        "Spam",
        Comment.Status.SPAM,
        "mark the selected comments as spam",
        "marked as spam",
        is_spam=True,
    ),
    decision(
        13,
        "mark_not_spam",
        "Not spam",
        Comment.Status.APPROVED,
        "mark the selected comments as not spam and approve them",
        "marked as not spam and approved",
        is_spam=False,
    ),
]
ApproveAction, RejectAction, SpamAction = MODERATION_ACTIONS[:3]  # for decisions made elsewhere: a mail's links
