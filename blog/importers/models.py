"""An import started from the admin: the uploaded source, its progress and its report.

Part of the blog app (table ``blog_import``), imported by blog/models.py so that Django
registers it there, as the comment models are.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import models

from .records import Report


def imports_storage():
    """Where uploads wait for the worker: never where media is served from (site/settings/base.py)."""
    return storages["imports"]


class Import(models.Model):
    """One run of an importer on an uploaded file, done by the worker (blog/importers/tasks.py)."""

    class Kind(models.TextChoices):
        WORDPRESS = "wordpress", "WordPress export (.xml)"
        MARKDOWN = "markdown", "Jekyll or Hugo site (.zip of the folder)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed: nothing was imported"

    kind = models.CharField("what you upload", max_length=10, choices=Kind.choices)
    source = models.FileField(
        "file",
        storage=imports_storage,
        help_text="A WordPress export: in WordPress, Tools → Export → All content. "
        "Or a .zip of your Jekyll or Hugo site's folder, as GitHub's “Download ZIP” makes it.",
    )
    uploads = models.FileField(
        "WordPress images (optional)",
        storage=imports_storage,
        blank=True,
        help_text="A .zip of your WordPress site's wp-content/uploads folder, for the pictures in your posts. "
        "Without it, pictures are left as links to the old site and listed in the report.",
    )
    dry_run = models.BooleanField(
        "try it first",
        default=True,
        help_text="Read everything and report what would happen, without changing the site. "
        "Untick to import for real. Importing the same file again updates what it made and never doubles it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    report = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "import"

    def __str__(self):
        what = "Trial of " if self.dry_run else "Import of "
        name = self.source.name.rsplit("/", 1)[-1] or "an upload since deleted"
        return f"{what}{name} ({self.get_status_display().lower()})"

    @property
    def progress(self):
        """Percent of the source read, while the worker runs it.

        In the cache, not a column: the import is one transaction, so a column written during it
        would show nothing until the end, and on SQLite a second connection could not write it.
        """
        return cache.get(self.progress_key, 100 if self.status in (self.Status.DONE, self.Status.FAILED) else 0)

    @property
    def progress_key(self):
        return f"import-progress:{self.pk}"

    def get_report(self):
        return Report.from_dict(self.report) if self.report else None
