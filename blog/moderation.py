"""What a moderator's decision does: the comments' new status, the spam count, and Akismet's feedback.

Each decision is a Wagtail bulk action on the comment snippets, so one comment
or a hundred are moderated the same way from the listing.
"""

from django.contrib import messages
from django.utils.text import capfirst
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from home.page_cache import invalidate

from . import spam
from .filters import filtered_comments
from .models import Comment, SpamCounter


class ModerationAction(SnippetBulkAction):
    """Set the chosen comments' status; tell Akismet where the decision corrects it."""

    models = [Comment]
    template_name = "blog/admin/confirm_moderation.html"
    new_status = None
    is_spam = None  # True/False: tell Akismet spam/ham where it judged otherwise; None: nothing to tell

    def get_all_objects_in_listing_query(self, parent_id):
        """"Select all in listing" means the listing as filtered and searched, never every comment."""
        return filtered_comments(self.request.GET).values_list("pk", flat=True)

    def check_perm(self, comment):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", comment)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        ids = [comment.pk for comment in objects]
        if cls.new_status == Comment.Status.SPAM:
            SpamCounter.add(Comment.objects.filter(pk__in=ids).exclude(status=Comment.Status.SPAM).count())
        Comment.objects.filter(pk__in=ids).update(status=cls.new_status)
        invalidate()  # an UPDATE sends no signals, and a decision may show or hide comments
        return len(ids), 0

    def form_valid(self, form):
        response = super().form_valid(form)  # runs execute_action in its own transaction, now committed
        if self.is_spam is not None:
            # Akismet hears of the decision only now, so its failure can never undo it.
            for error in spam.report(self.actionable_objects, self.is_spam):
                messages.warning(self.request, error)
        return response

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = "comment" if num_parent_objects == 1 else "comments"
        return f"{num_parent_objects} {noun} {self.done_label}."

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"question": f"{capfirst(self.aria_label)}?"}


class ApproveAction(ModerationAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "approve the selected comments"
    action_priority = 10
    new_status = Comment.Status.APPROVED
    done_label = "approved: they now show under their posts"


class RejectAction(ModerationAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "reject the selected comments"
    action_priority = 11
    new_status = Comment.Status.REJECTED
    done_label = "rejected"


class SpamAction(ModerationAction):
    display_name = "Spam"
    action_type = "mark_spam"
    aria_label = "mark the selected comments as spam"
    action_priority = 12
    new_status = Comment.Status.SPAM
    is_spam = True
    done_label = "marked as spam"


class NotSpamAction(ModerationAction):
    display_name = "Not spam"
    action_type = "mark_not_spam"
    aria_label = "mark the selected comments as not spam and approve them"
    action_priority = 13
    new_status = Comment.Status.APPROVED
    is_spam = False
    done_label = "marked as not spam and approved"


MODERATION_ACTIONS = [ApproveAction, RejectAction, SpamAction, NotSpamAction]
