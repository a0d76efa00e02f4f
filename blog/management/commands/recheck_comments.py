"""Retry the spam check of pending comments that never got a verdict. Safe to run from cron."""

from django.conf import settings
from django.core.management.base import BaseCommand

from blog.comments.models import Comment
from blog.comments.tasks import check_and_notify


class Command(BaseCommand):
    help = "Ask Akismet again about pending comments whose check failed; stops at the first failure."

    def handle(self, *args, **options):
        if not settings.AKISMET_API_KEY:
            self.stdout.write("Akismet is not configured (AKISMET_API_KEY): nothing to check.")
            return
        checked = 0
        for comment in Comment.objects.awaiting_spam_check().select_related("post").order_by("created"):
            if check_and_notify(comment, recheck=True) == Comment.SpamCheck.ERROR:
                self.stderr.write(f"Stopped: {comment.spam_check_error}. {checked} comment(s) checked before that.")
                raise SystemExit(1)
            checked += 1
        self.stdout.write(f"{checked} comment(s) checked.")
