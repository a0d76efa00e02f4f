"""After a comment is stored, in the worker (``manage.py worker``), never in a reader's request:
Akismet's verdict, then the moderators' mail; and Akismet's feedback on moderators' decisions.

``enqueue_check`` listens to the comment's ``post_save`` (blog/signal_handlers.py), not to
the form, so a comment created any other way (a script) is checked too. It enqueues
``check_comment`` once the comment is committed (``robust=True``: an error in enqueuing is
logged, never raised into the reader's request); a comment whose task was lost all the
same (a crash between the two writes) is found within a minute by ``recheck_comments``.
While Akismet is marked down, a new comment is not queued but stored as waiting for that
recheck, which is what its task would record, without a task per comment during a spam run;
one holding a word on the editor's disallowed list is not queued either, but stored as spam.
Every task is safe to run twice, as the worker may run a task again when the one running
it died (machinery/worker.py).
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

from machinery.worker import retry_later

from . import spam
from .models import MODERATORS_GROUP, Comment, CommentSettings

logger = logging.getLogger("escribe.comments")

# Verdicts that put a comment in front of the moderators.
FOR_MODERATORS = {Comment.SpamCheck.HAM, Comment.SpamCheck.SKIPPED}


def enqueue_check(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.status != Comment.Status.PENDING:
        return
    if CommentSettings.for_post(instance.post).disallows(instance):  # the editor's list: spam, Akismet not asked
        spam.record(instance, Comment.SpamCheck.DISALLOWED)
    elif spam.marked_down():
        # Its task would only record that Akismet is down, at a worker's and the database's cost per comment
        # while a spam run goes on: record it here, and recheck_comments asks Akismet once it answers again.
        spam.record(instance, Comment.SpamCheck.ERROR, spam.AKISMET_DOWN)
    else:
        transaction.on_commit(partial(check_comment.enqueue, instance.pk), robust=True)


@task()
def check_comment(comment_id, recheck=False):
    """Akismet's verdict on a comment waiting for one; a comment with a verdict already is left alone."""
    comment = Comment.objects.awaiting_spam_check().select_related("post").filter(pk=comment_id).first()
    if comment is not None:
        check_and_notify(comment, recheck=recheck)


def check_and_notify(comment, recheck=False):
    """Ask Akismet about a pending comment; if it joins the moderators' queue, queue their mail. Returns the verdict.

    The verdict and the mail's task are committed together: a worker dying between them
    leaves neither, and the check runs again. Akismet is asked outside the transaction,
    which must not hold the database while Akismet takes its time.
    """
    verdict, error = spam.ask(comment, recheck=recheck)
    with transaction.atomic():
        if spam.record(comment, verdict, error) and verdict in FOR_MODERATORS:
            notify_moderators.enqueue(comment.pk)
    return verdict


def moderator_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
    return list(moderators.values_list("email", flat=True).distinct())


@task()
def notify_moderators(comment_id, attempt=1):
    """Mail the moderators about a comment in their queue; a mail server that fails is tried again later."""
    comment = Comment.objects.pending().select_related("post").filter(pk=comment_id).first()
    recipients = moderator_emails() if comment else []
    if not recipients:  # decided or deleted meanwhile, or nobody to tell
        return
    link = settings.WAGTAILADMIN_BASE_URL + AdminURLFinder().get_edit_url(comment)
    body = (
        f"{comment.name} commented on “{comment.post.title}”:\n\n{comment.text}\n\n"
        f"Approve, reject or mark it as spam: {link}\n"
    )
    try:
        send_mail(f"[{settings.WAGTAIL_SITE_NAME}] New comment from {comment.name}", body, None, recipients)
    except Exception:  # any mail failure: logged, and the mail tried again
        logger.exception("Could not mail the moderators about comment %s (attempt %s)", comment.pk, attempt)
        retry_later(notify_moderators, comment_id, attempt=attempt)


@task()
def report_to_akismet(comment_ids, is_spam, attempt=1):
    """Tell Akismet where a moderator's decision corrects it; those it could not be told of are tried again."""
    comments = Comment.objects.select_related("post").filter(pk__in=comment_ids)
    if failed := spam.report(comments, is_spam):
        retry_later(report_to_akismet, [comment.pk for comment in failed], is_spam, attempt=attempt)
