"""The real worker (``manage.py worker``) beside the real site: readers never wait for Akismet or mail.

One demo site served by gunicorn, as ``make run`` serves it, with the worker beside it and
Akismet's stand-in on loopback, which the tests make hang, fail or answer. Nothing here
is timed: each test waits for what a reader or a moderator would see, within generous limits.
"""

import signal
import time

import pytest

from .live_site import free_port, poll, running_site

POST_SLUG = "what-happens-when-you-screw-up"
SHOW = """
from blog.comments.models import Comment, SpamCounter
comment = Comment.objects.filter(text={text!r}).first()
print(comment and comment.status, comment and comment.spam_check, SpamCounter.total())
"""
QUEUED_MAILS = """
from django_tasks_db.models import DBTaskResult
from django.utils import timezone
for task in DBTaskResult.objects.filter(task_path__endswith="notify_moderators", status="READY"):
    print("queued:", task.args_kwargs["kwargs"]["attempt"], round((task.run_after - timezone.now()).total_seconds()))
"""


@pytest.fixture(scope="module")
def site():
    mail_port = free_port()  # where nothing listens: every mail to the moderators fails
    with running_site(
        "escribe-worker-",
        AKISMET_TIMEOUT="60",  # a hanging Akismet hangs for as long as the test says
        TASK_HEARTBEAT_SECONDS="2",  # a killed worker's task is taken up again within seconds
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_PORT=str(mail_port),
    ) as live:
        yield live


@pytest.fixture
def post_id(site):
    return site.page_id("blog.BlogPage", slug=POST_SLUG)


@pytest.fixture
def token(site, post_id):
    """A form token old enough to be taken: readers take more than three seconds to write."""
    token = site.comment_token(post_id)
    time.sleep(3.2)
    return token


def shown(site, text):
    """(status, spam check, spam killed) of the comment with ``text``, as the database has them."""
    status, check, killed = site.manage("shell", "-c", SHOW.format(text=text)).splitlines()[-1].split()
    return status, check, int(killed)


def asked(site, text):
    """How many times Akismet was asked about the comment with ``text``."""
    return sum(fields.get("comment_content") == text for fields in site.akismet.received("comment-check"))


def akismet_called(site, since):
    """Whether the worker has called Akismet (first verifying its key, in a new process) since ``since`` calls."""
    return poll(lambda: len(site.akismet.requests) > since, 30, 0.2) is not None


def test_a_reader_is_answered_while_akismet_hangs_and_the_comment_is_checked_once_it_answers(site, post_id, token):
    text = "Posted while Akismet hangs."
    calls = len(site.akismet.requests)
    site.akismet.answering.clear()
    try:
        assert site.post_comment(post_id, token, text=text) == 302  # answered: it never waited for Akismet
        assert akismet_called(site, calls)  # the worker did, and waits
        assert shown(site, text)[:2] == ("pending", "unchecked")
    finally:
        site.akismet.answering.set()
    assert poll(lambda: shown(site, text)[:2] == ("pending", "ham"), 30, 0.5) is not None


def test_a_worker_killed_mid_check_leaves_it_to_run_again_and_the_verdict_is_counted_once(site, post_id, token):
    text = "Cheap pills, twice."
    calls = len(site.akismet.requests)
    site.akismet.verdict = "spam"
    site.akismet.answering.clear()
    try:
        killed_before = shown(site, "nothing")[2]
        assert site.post_comment(post_id, token, text=text) == 302
        assert akismet_called(site, calls)
        site.worker.send_signal(signal.SIGKILL)  # in the middle of the check
        site.worker.wait(timeout=30)
        site.akismet.answering.set()  # the answer reaches nobody
        assert shown(site, text) == ("pending", "unchecked", killed_before)
        site.worker = site.start_worker()
        assert poll(lambda: shown(site, text)[:2] == ("spam", "spam"), 60, 0.5) is not None
        assert asked(site, text) >= 1
        assert shown(site, text)[2] == killed_before + 1
    finally:
        site.akismet.verdict = "ham"
        site.akismet.answering.set()


def test_a_mail_the_mail_server_refuses_is_tried_again_later(site, post_id, token):
    text = "Moderators should hear of this."
    assert site.post_comment(post_id, token, text=text) == 302
    assert poll(lambda: shown(site, text)[:2] == ("pending", "ham"), 30, 0.5) is not None

    def retry_queued():
        lines = site.manage("shell", "-c", QUEUED_MAILS).splitlines()
        rows = [line.split()[1:] for line in lines if line.startswith("queued:")]
        return any(attempt == "2" and int(seconds) > 30 for attempt, seconds in rows)

    assert poll(retry_queued, 30, 0.5) is not None
    assert "Could not mail the moderators" in (site.data_dir / "worker.log").read_text()
