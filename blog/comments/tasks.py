"""After a comment is stored, in the worker (``manage.py worker``), never in a reader's request:
Akismet's verdict, then the moderators' mail (or, for a trusted commenter, the comment shown);
Akismet's feedback on moderators' decisions; and the mail to a reader whose comment got a reply.

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
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_tasks import task
from wagtail.admin.admin_url_finder import AdminURLFinder

from machinery.signals import content_changed
from machinery.worker import retry_later

from . import links, spam
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

    A trusted commenter's comment (CommentSettings.trusts) that Akismet finds ham is shown at once instead.
    The verdict and what follows from it are committed together: a worker dying between them
    leaves neither, and the check runs again. Akismet is asked outside the transaction,
    which must not hold the database while Akismet takes its time.
    """
    verdict, error = spam.ask(comment, recheck=recheck)
    with transaction.atomic():
        if spam.record(comment, verdict, error):
            if verdict == Comment.SpamCheck.HAM and CommentSettings.for_post(comment.post).trusts(comment):
                Comment.objects.pending().filter(pk=comment.pk).update(status=Comment.Status.APPROVED)
                comment.status = Comment.Status.APPROVED
                content_changed.send(sender=Comment)
                replies_approved([comment.pk])
            elif verdict in FOR_MODERATORS:
                notify_moderators.enqueue(comment.pk)
    return verdict


def moderators():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return list(users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)).distinct())


def moderators_mail(comment, moderator):
    """The mail about a new comment to one moderator, with Approve, Spam and Reject links signed for them."""
    answering = f", answering {comment.parent.name}" if comment.parent else ""
    choices = "\n".join(
        f"{action.capitalize()}: {links.decision_url(comment, action, moderator)}" for action in links.DECISIONS
    )
    body = (
        f"{comment.name} commented on “{comment.post.title}”{answering}:\n\n{comment.text}\n\n"
        f"{comment.get_spam_check_display()}.\n\n{choices}\n"
        f"(Each link opens a page with one button, and works for {settings.COMMENT_MODERATION_LINK_DAYS} days.)\n\n"
        f"Or decide in the comment queue: {settings.WAGTAILADMIN_BASE_URL}{AdminURLFinder().get_edit_url(comment)}\n"
    )
    subject = f"[{settings.WAGTAIL_SITE_NAME}] New comment from {comment.name}"
    return EmailMessage(subject, body, to=[moderator.email])


@task()
def notify_moderators(comment_id, attempt=1, moderator_ids=None):
    """Mail each moderator about a comment in their queue. The mails that did not leave (refused, or no mail server)
    are tried again later, and only those (``moderator_ids``): no moderator gets the same mail twice."""
    comment = Comment.objects.pending().select_related("post", "parent").filter(pk=comment_id).first()
    recipients = moderators() if comment else []
    if moderator_ids is not None:
        recipients = [moderator for moderator in recipients if moderator.pk in moderator_ids]
    if not recipients:  # decided or deleted meanwhile, or nobody (left) to tell
        return
    sent = set()
    try:
        with get_connection() as connection:
            for moderator in recipients:
                try:
                    if connection.send_messages([moderators_mail(comment, moderator)]):
                        sent.add(moderator.pk)
                except Exception:  # any mail failure: logged, and that mail tried again
                    logger.exception("Could not mail moderator %s about comment %s", moderator.pk, comment.pk)
    except Exception:  # no mail server to talk to
        logger.exception("Could not mail the moderators about comment %s (attempt %s)", comment.pk, attempt)
    if failed := [moderator.pk for moderator in recipients if moderator.pk not in sent]:
        retry_later(notify_moderators, comment_id, attempt=attempt, moderator_ids=failed)


def enqueue_reply_mail(sender, instance, created, raw=False, **kwargs):
    """A reply stored approved (the author's): the reader it answers is told, as after a moderator's approval."""
    if created and not raw and instance.status == Comment.Status.APPROVED and instance.parent_id:
        replies_approved([instance.pk])


def replies_approved(comment_ids):
    """Once committed, mail the readers these newly shown comments answer, if they asked to be told."""
    transaction.on_commit(partial(mail_replies.enqueue, list(comment_ids)), robust=True)


def reply_mail(reply):
    comment, unsubscribe = reply.parent, links.unsubscribe_url(reply.parent)
    body = (
        f"{reply.name} replied to your comment on “{reply.post.title}”:\n\n{reply.text}\n\n"
        f"Read the conversation: {reply.post.get_full_url()}#comment-{reply.pk}\n\n"
        f"You asked for a mail when someone replies to your comment of {date_format(localtime(comment.created))}. "
        f"To stop these mails: {unsubscribe}\n"
    )
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    subject = f"[{settings.WAGTAIL_SITE_NAME}] {reply.name} replied to your comment"
    return EmailMessage(subject, body, to=[comment.email], headers=headers)


@task()
def mail_replies(comment_ids, attempt=1):
    """One mail per approved reply to a reader who asked for it (``notify``), never to someone answering
    themselves; each reply is mailed about once, however often it is approved. Failures are tried again."""
    replies = Comment.objects.approved().filter(pk__in=comment_ids, reply_mailed=None, parent__notify=True)
    replies = replies.filter(parent__status=Comment.Status.APPROVED).select_related("parent", "post")
    failed = []
    for reply in replies:
        if reply.email.casefold() == reply.parent.email.casefold():
            continue
        # Claimed before sending: a second worker running this task (a retry) finds it taken.
        if not Comment.objects.filter(pk=reply.pk, reply_mailed=None).update(reply_mailed=timezone.now()):
            continue
        try:
            reply_mail(reply).send()
        except Exception:  # any mail failure: logged, and the mail tried again
            logger.exception("Could not mail the reader answered by comment %s (attempt %s)", reply.pk, attempt)
            Comment.objects.filter(pk=reply.pk).update(reply_mailed=None)
            failed.append(reply.pk)
    if failed:
        retry_later(mail_replies, failed, attempt=attempt)


@task()
def report_to_akismet(comment_ids, is_spam, attempt=1):
    """Tell Akismet where a moderator's decision corrects it; those it could not be told of are tried again."""
    comments = Comment.objects.select_related("post").filter(pk__in=comment_ids)
    if failed := spam.report(comments, is_spam):
        retry_later(report_to_akismet, [comment.pk for comment in failed], is_spam, attempt=attempt)
