"""Find Akismet back after a failure and queue the comments still waiting for its verdict.

Run every 15 seconds by the worker's schedule (WORKER_SCHEDULE). The oldest waiting comment
is checked here, as a probe; only if Akismet answers are the others queued, for every
worker to drain in parallel. Comments still in the queue from their own post (unchecked,
younger than a minute) are left to it.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from blog.comments.models import Comment
from blog.comments.tasks import check_and_notify, check_comment

QUEUED_LATELY = datetime.timedelta(minutes=1)


class Command(BaseCommand):
    help = "Ask Akismet again about pending comments whose check failed or never ran; queue them once it answers."

    def handle(self, *args, **options):
        if not settings.AKISMET_API_KEY:
            self.stdout.write("Akismet is not configured (AKISMET_API_KEY): nothing to check.")
            return
        lately = Q(spam_check=Comment.SpamCheck.UNCHECKED, created__gte=timezone.now() - QUEUED_LATELY)
        waiting = list(Comment.objects.awaiting_spam_check().exclude(lately).select_related("post").order_by("created"))
        if not waiting:
            self.stdout.write("No comment is waiting for Akismet.")
            return
        probe = waiting[0]
        if check_and_notify(probe, recheck=True) == Comment.SpamCheck.ERROR:
            raise CommandError(f"Akismet still fails ({probe.spam_check_error}): {len(waiting)} comment(s) wait.")
        for comment in waiting[1:]:
            check_comment.enqueue(comment.pk, recheck=True)
        self.stdout.write(f"Akismet answered: 1 comment checked, {len(waiting) - 1} queued for their check.")
