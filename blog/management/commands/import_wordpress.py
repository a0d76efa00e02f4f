"""python manage.py import_wordpress EXPORT.xml [--uploads DIR] [--dry-run]"""

from pathlib import Path

from django.core.management.base import CommandError

from blog.importers.command import ImportCommand
from blog.importers.wordpress import WordPressExport


class Command(ImportCommand):
    help = (
        "Import a WordPress export (Tools → Export → All content; WXR 1.0 to 1.2): posts, comments, tags, "
        "images and every old address. Importing the same export again updates what it made."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="The .xml file WordPress exported.")
        parser.add_argument(
            "--uploads", type=Path, help="A copy of the site's wp-content/uploads folder, for the posts' images."
        )
        parser.add_argument("--pages", action="store_true", help="Import WordPress pages as posts too.")
        parser.add_argument("--pingbacks", action="store_true", help="Import pingbacks and trackbacks as comments.")
        super().add_arguments(parser)

    def source(self, export, uploads=None, pages=False, pingbacks=False, **options):
        if not export.is_file():
            raise CommandError(f"There is no file at {export}.")
        if uploads and not uploads.is_dir():
            raise CommandError(f"There is no folder at {uploads}.")
        return WordPressExport(export, uploads, pages=pages, pings=pingbacks)
