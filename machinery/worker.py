"""The worker's duties beside running queued tasks: tasks a dead worker left running, retries, and a schedule.

django-tasks-db's ``db_worker`` runs queued tasks one at a time and neither retries a
failed task nor notices a worker that died: one killed in the middle of a task (kill -9,
a crash, a lost machine) leaves it marked running for ever. So:

- Each worker says it is alive in the cache every few seconds; ``requeue_stale`` hands
  back to the queue every task whose worker has gone quiet for TASK_HEARTBEAT_SECONDS, and any
  running for longer than TASK_STALE_SECONDS. Every task here is safe to run twice.
- ``retry_later`` enqueues a task again after a delay that grows with each attempt.
- ``Schedule`` runs the management commands of WORKER_SCHEDULE in a thread of the worker,
  each at most once per interval across every worker sharing the cache (``cache.add`` is
  the lock), so one process does what cron or systemd timers would.
"""

import datetime
import io
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import close_old_connections
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("escribe.worker")

RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 12 * 60 * 60)  # seconds before the 2nd, 3rd, ... attempt
SCHEDULE_TICK = 1  # seconds between two looks at the schedule, and between two heartbeats


def heartbeat_key(worker_id):
    return f"worker-alive:{worker_id}"


def is_stale(task, now):
    """Its worker stopped: not heard of lately, or the task has run longer than any task of its kind takes."""
    age = (now - task.started_at).total_seconds()
    worker_alive = task.worker_ids and cache.get(heartbeat_key(task.worker_ids[-1]))
    longest = settings.TASK_STALE_SECONDS_FOR.get(task.task_path, settings.TASK_STALE_SECONDS)
    return age > longest or (not worker_alive and age > settings.TASK_HEARTBEAT_SECONDS)


def requeue_stale():
    """Give the tasks that stopped workers left running back to the queue; returns how many."""
    now = timezone.now()
    running = DBTaskResult.objects.running().only("id", "started_at", "worker_ids", "task_path")
    stale = [task.pk for task in running if is_stale(task, now)]
    count = DBTaskResult.objects.running().filter(pk__in=stale).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("%s task(s) left running by a worker that stopped were queued again", count)
    return count


def retry_later(task, *args, attempt, **kwargs):
    """Enqueue ``task`` again, as attempt ``attempt + 1``, after a delay; False once the attempts are spent.

    With a queue that cannot defer (the tests' immediate backend) there is no retry.
    """
    if attempt > len(RETRY_DELAYS) or not task.get_backend().supports_defer:
        logger.error("Gave up on %s%s after %s attempt(s)", task.name, args, attempt)
        return False
    run_after = timezone.now() + datetime.timedelta(seconds=RETRY_DELAYS[attempt - 1])
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


def run_due_commands():
    """Run each command of WORKER_SCHEDULE whose interval has passed since any worker last ran it."""
    for command, every in settings.WORKER_SCHEDULE.items():
        if not cache.add(f"worker-schedule:{command}", time.time(), timeout=every):
            continue
        output = io.StringIO()
        try:
            call_command(command, stdout=output, stderr=output)
        except CommandError as error:  # a failure the command explains (recheck_comments: Akismet still down)
            logger.warning("%s: %s", command, error)
        except Exception:  # one failing command must not stop the schedule or the worker
            logger.exception("Scheduled command %s failed: %s", command, output.getvalue().strip())
        else:
            logger.debug("%s: %s", command, output.getvalue().strip() or "done")


class Schedule(threading.Thread):
    """The heartbeat, stale tasks and the schedule, in a thread beside the worker's loop; it ends with the process."""

    def __init__(self, worker_id):
        super().__init__(name="schedule", daemon=True)
        self.worker_id = worker_id

    def run(self):
        last_requeue = 0
        while True:
            try:
                cache.set(heartbeat_key(self.worker_id), True, timeout=settings.TASK_HEARTBEAT_SECONDS)
                if time.monotonic() - last_requeue >= settings.TASK_HEARTBEAT_SECONDS:
                    requeue_stale()
                    last_requeue = time.monotonic()
                run_due_commands()
            except Exception:  # the database or the cache away for a moment: the next tick tries again
                logger.exception("The worker's schedule failed; trying again")
            close_old_connections()
            time.sleep(SCHEDULE_TICK)
