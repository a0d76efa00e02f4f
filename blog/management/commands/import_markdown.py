"""python manage.py import_markdown FOLDER [--dry-run]"""

from pathlib import Path

from django.core.management.base import CommandError

from blog.importers.command import ImportCommand
from blog.importers.markdown_folder import MarkdownFolder


class Command(ImportCommand):
    help = (
        "Import a Jekyll site (_posts/, _drafts/) or a Hugo site (content/posts/), told apart by their folders: "
        "posts, tags, images and every old address. Importing the same folder again updates what it made."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The site's folder, as in its Git repository.")
        super().add_arguments(parser)

    def source(self, folder, **options):
        if not folder.is_dir():
            raise CommandError(f"There is no folder at {folder}.")
        return MarkdownFolder(folder)
