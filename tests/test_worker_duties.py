"""The worker's own duties, in-process: the schedule runs each command once per interval across workers,
a command's failure is logged, and tasks whose worker stopped go back to the queue (tests/test_worker.py
runs the real worker beside the real site)."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from blog.comments.models import Comment
from machinery.worker import heartbeat_key, requeue_stale, run_due_commands

pytestmark = pytest.mark.django_db


def test_a_scheduled_command_runs_once_per_interval_and_its_failure_is_only_logged(
    settings, akismet_server, post, caplog
):
    settings.WORKER_SCHEDULE = {"recheck_comments": 60}
    Comment.objects.create(post=post, name="X", email="x@example.com", text="hi", ip="203.0.113.1", spam_check="error")
    akismet_server.fail = True
    run_due_commands()
    assert "recheck_comments: Akismet still fails" in caplog.text
    asked = len(akismet_server.requests)
    run_due_commands()  # another worker, or the next tick: within the interval, nothing runs
    assert asked and len(akismet_server.requests) == asked


def running_task(worker_id, seconds_ago, task_path="blog.comments.tasks.check_comment"):
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=now - datetime.timedelta(seconds=seconds_ago),
        worker_ids=[worker_id],
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=now,
        exception_class_path="",
        traceback="",
    )


def test_tasks_of_a_stopped_worker_go_back_to_the_queue(settings):
    settings.TASK_HEARTBEAT_SECONDS, settings.TASK_STALE_SECONDS = 30, 600
    cache.set(heartbeat_key("alive"), True)
    dead = running_task("dead", seconds_ago=31)  # its worker has not been heard of since
    just_claimed = running_task("dead", seconds_ago=5)  # too soon to tell
    busy = running_task("alive", seconds_ago=120)  # a live worker, taking its time
    stuck = running_task("alive", seconds_ago=601)  # longer than any task takes: its worker is stuck
    assert requeue_stale() == 2
    statuses = {task.pk: DBTaskResult.objects.get(pk=task.pk).status for task in (dead, just_claimed, busy, stuck)}
    assert statuses == {
        dead.pk: TaskResultStatus.READY,
        just_claimed.pk: TaskResultStatus.RUNNING,
        busy.pk: TaskResultStatus.RUNNING,
        stuck.pk: TaskResultStatus.READY,
    }


def test_a_big_import_may_run_for_hours_while_its_worker_lives(settings):
    """Run twice, an import would fight itself: only a stopped worker's import goes back to the queue."""
    settings.TASK_HEARTBEAT_SECONDS, settings.TASK_STALE_SECONDS = 30, 600
    cache.set(heartbeat_key("alive"), True)
    importing = running_task("alive", seconds_ago=3600, task_path="blog.importers.tasks.run_import")
    orphaned = running_task("dead", seconds_ago=3600, task_path="blog.importers.tasks.run_import")
    assert requeue_stale() == 1
    assert DBTaskResult.objects.get(pk=importing.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=orphaned.pk).status == TaskResultStatus.READY
