"""Background work for comments, run through django_tasks after the comment is committed."""

from django_tasks import task

from .models import Comment
from .notifications import notify_moderators
from .spam import check


@task()
def check_new_comment(comment_id):
    """Spam-check a new comment; tell the moderators when it joins their queue."""
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is None:  # deleted before the check ran
        return
    if check(comment) in (Comment.SpamCheck.HAM, Comment.SpamCheck.SKIPPED):
        notify_moderators(comment)
