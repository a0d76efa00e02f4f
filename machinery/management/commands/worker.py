"""``python manage.py worker``: run queued tasks, and the schedule (machinery/worker.py).

django-tasks-db's ``db_worker``, with its options, plus: tasks a dead worker left
running are queued again (machinery/worker.py), and WORKER_SCHEDULE runs beside it.
"""

from django_tasks_db.management.commands import db_worker

from machinery.worker import Schedule, requeue_stale


class Command(db_worker.Command):
    help = "Run queued tasks (spam checks, mails, search indexing) and the scheduled commands."

    def handle(self, *args, **options):
        requeue_stale()
        Schedule(options["worker_id"]).start()
        super().handle(*args, **options)
