"""Delete old spam. The Spam Report's counter is kept apart, so it does not go down."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from blog.comments.models import Comment


class Command(BaseCommand):
    help = "Delete spam comments older than --days (SPAM_PURGE_DAYS, 15 by default)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.SPAM_PURGE_DAYS)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = Comment.objects.filter(status=Comment.Status.SPAM, created__lt=cutoff).delete()
        self.stdout.write(f"{deleted} spam comment(s) older than {days} days deleted.")
