"""After a comment is stored: Akismet's verdict, then the moderators' mail, away from the reader's request.

``enqueue_check`` listens to the comment's ``post_save`` (blog/signal_handlers.py), not to
the form, so a comment created any other way (a script, an import) is checked too. It
enqueues ``check_comment`` with ``transaction.on_commit``: the check runs only once the
comment is committed, and nothing it does can roll the comment back or fail the reader's
request (``robust=True``: an error in enqueuing is logged, not raised).
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django_tasks import task
from wagtail.admin.admin_url_finder import AdminURLFinder

from . import spam
from .models import MODERATORS_GROUP, Comment

logger = logging.getLogger("escribe.comments")


def enqueue_check(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(partial(check_comment.enqueue, instance.pk), robust=True)


@task()
def check_comment(comment_id):
    comment = Comment.objects.select_related("post").filter(pk=comment_id).first()
    if comment is not None:  # else deleted before the check ran
        check_and_notify(comment)


def check_and_notify(comment, recheck=False):
    """Ask Akismet about a pending comment; mail the moderators if it joins their queue. Returns the verdict.

    The one way a comment is checked: by the task for a new comment, by ``recheck_comments`` for a failed check.
    """
    verdict = spam.check(comment, recheck=recheck)
    if verdict in (Comment.SpamCheck.HAM, Comment.SpamCheck.SKIPPED):
        notify_moderators(comment)
    return verdict


def moderator_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
    return list(moderators.values_list("email", flat=True).distinct())


def notify_moderators(comment):
    """Send the mail; a failing mail server is logged, never raised into the check."""
    recipients = moderator_emails()
    if not recipients:
        return
    link = settings.WAGTAILADMIN_BASE_URL + AdminURLFinder().get_edit_url(comment)
    body = (
        f"{comment.name} commented on “{comment.post.title}”:\n\n{comment.text}\n\n"
        f"Approve, reject or mark it as spam: {link}\n"
    )
    try:
        send_mail(f"[{settings.WAGTAIL_SITE_NAME}] New comment from {comment.name}", body, None, recipients)
    except Exception:
        logger.exception("Could not mail the moderators about comment %s", comment.pk)
