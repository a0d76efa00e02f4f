"""What ``import_wordpress`` and ``import_markdown`` share: --dry-run, the run, the printed report."""

from django.core.management.base import BaseCommand, CommandError

from . import loader
from .records import NotAnExport


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; change nothing.")

    def source(self, **options):
        """The reader for the command's arguments (records.py)."""
        raise NotImplementedError

    def handle(self, *args, dry_run, **options):
        try:
            report = loader.run(self.source(**options), dry_run=dry_run)
        except (NotAnExport, loader.NoBlog) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report.text())
