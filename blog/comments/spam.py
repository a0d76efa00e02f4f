"""The spam check: Akismet through the ``akismet`` library.

Every call is made by the worker (blog/comments/tasks.py), after the comment is
safely stored, and every failure is recorded on the comment instead of raised:
Akismet being slow, down or misconfigured can delay a verdict but never a page,
and never lose a comment.
"""

import datetime
import functools
import logging

import akismet
import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from .forms import HONEYPOT_FIELD
from .models import KILLED, Comment, SpamCounter

logger = logging.getLogger("escribe.spam")

KEY_REFUSED = "Akismet refused the API key"
AKISMET_DOWN = "Akismet failed a moment ago: it will be asked again"
AKISMET_DOWN_KEY = "akismet:down"


class StandInTransport(httpx.HTTPTransport):
    """Send the client's requests to ``AKISMET_API_URL`` instead: the library's base URL is fixed."""

    def __init__(self, base_url):
        super().__init__()
        self.base = httpx.URL(base_url)

    def handle_request(self, request):
        request.url = request.url.copy_with(scheme=self.base.scheme, host=self.base.host, port=self.base.port)
        return super().handle_request(request)


@functools.cache
def client():
    """The process's one Akismet client, or None when no key is configured.

    Validated once with verify-key; raises ``akismet.AkismetError`` (and is
    not cached) when Akismet cannot be reached or refuses the key.
    """
    if not settings.AKISMET_API_KEY:
        return None
    transport = StandInTransport(settings.AKISMET_API_URL) if settings.AKISMET_API_URL else None
    http = httpx.Client(
        headers={"User-Agent": akismet.USER_AGENT}, timeout=settings.AKISMET_TIMEOUT, transport=transport
    )
    config = akismet.Config(key=settings.AKISMET_API_KEY, url=settings.AKISMET_BLOG_URL)
    return akismet.SyncClient.validated_client(config=config, http_client=http)


def akismet_fields(comment):
    """Everything Akismet can use, under the names its API documents."""
    fields = {
        "user_ip": comment.ip,
        "user_agent": comment.user_agent,
        "referrer": comment.referrer,
        "permalink": comment.post.get_full_url(),
        "comment_type": "comment",
        "comment_author": comment.name,
        "comment_author_email": comment.email,
        "comment_author_url": comment.url,
        "comment_content": comment.text,
        "comment_date_gmt": comment.created.astimezone(datetime.UTC).isoformat(),
        "blog_lang": settings.LANGUAGE_CODE.split("-")[0],
        "blog_charset": "UTF-8",
        "honeypot_field_name": HONEYPOT_FIELD,
    }
    if settings.AKISMET_IS_TEST:
        fields["is_test"] = True
    return fields


def describe(error):
    """A reason fit for logs and moderators: the library's message for a refused key quotes the key."""
    if isinstance(error, akismet.APIKeyError):
        return KEY_REFUSED
    return str(error).strip()[: Comment._meta.get_field("spam_check_error").max_length]


VERDICTS = {
    akismet.CheckResponse.HAM: Comment.SpamCheck.HAM,
    akismet.CheckResponse.SPAM: Comment.SpamCheck.SPAM,
    akismet.CheckResponse.DISCARD: Comment.SpamCheck.DISCARD,
}


def marked_down():
    """Whether Akismet failed in the last AKISMET_RETRY_SECONDS: a cache read, no network."""
    return bool(cache.get(AKISMET_DOWN_KEY))


def ask(comment, recheck=False):
    """Akismet's verdict on a comment, and why there is none: ``(verdict, error)``. Writes nothing.

    While Akismet has just failed (for AKISMET_RETRY_SECONDS) it is not asked again:
    each check would wait out the timeout, and the worker's other tasks with it. A
    recheck is asked regardless: it is how ``recheck_comments`` finds Akismet back.
    """
    if not recheck and marked_down():
        return Comment.SpamCheck.ERROR, AKISMET_DOWN
    try:
        akismet_client = client()
        if akismet_client is None:
            return Comment.SpamCheck.SKIPPED, ""
        extra = {"recheck_reason": "retry"} if recheck else {}
        verdict = VERDICTS[akismet_client.comment_check(**akismet_fields(comment), **extra)]
    except akismet.AkismetError as error:
        logger.warning("Akismet check of comment %s failed: %s", comment.pk, describe(error))
        cache.set(AKISMET_DOWN_KEY, True, timeout=settings.AKISMET_RETRY_SECONDS)
        return Comment.SpamCheck.ERROR, describe(error)
    if recheck:  # only a recheck asks while Akismet is marked down: it found it back
        cache.delete(AKISMET_DOWN_KEY)
    return verdict, ""


def record(comment, verdict, error=""):
    """Store a verdict (Akismet's, or the disallowed words') on a comment still waiting for one; True if it was.

    Spam, discard and disallowed leave the moderators' queue and are counted as killed; ham
    stays pending for a person to approve; an error leaves it pending with the reason.
    """
    changes = {"spam_check": verdict, "spam_check_error": error, "checked_at": timezone.now()}
    is_spam = verdict in KILLED
    if is_spam:
        changes["status"] = Comment.Status.SPAM
    # Only a comment still waiting for a verdict: one decided by a moderator meanwhile keeps the decision, and
    # one checked meanwhile (the same check queued twice) keeps its verdict, counted and mailed about once.
    recorded = Comment.objects.awaiting_spam_check().filter(pk=comment.pk).update(**changes)
    if recorded and is_spam:
        SpamCounter.add()
    for name, value in changes.items():
        setattr(comment, name, value)
    return bool(recorded)


def report(comments, is_spam):
    """Tell Akismet about comments it got wrong (submit-spam / submit-ham); returns those it could not be told of."""
    # Where the moderator corrects Akismet; imported comments were never Akismet's here, and have no sender to tell of.
    to_report = [c for c in comments if c.akismet_said_spam != is_spam and c.spam_check != Comment.SpamCheck.IMPORTED]
    if not to_report:
        return []
    try:
        akismet_client = client()
    except akismet.AkismetError as error:
        logger.warning("Akismet could not be told of %s comment(s): %s", len(to_report), describe(error))
        return to_report
    if akismet_client is None:
        return []
    submit = akismet_client.submit_spam if is_spam else akismet_client.submit_ham
    failed = []
    for comment in to_report:
        try:
            submit(**akismet_fields(comment))
        except akismet.AkismetError as error:
            logger.warning("Akismet feedback on comment %s failed: %s", comment.pk, describe(error))
            failed.append(comment)
    return failed
