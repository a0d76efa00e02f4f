"""The admin's imports, run by the worker (``manage.py worker``), never in the upload's request.

The uploaded files are copied from their storage (disk or bucket) into a folder of the
task's own, unpacked there if they are zips, read, and the folder removed. A worker that
dies mid-import leaves no rows written (loader.py: one transaction; images already stored
and the temporary folder may stay behind), and the task runs again. Uploads are deleted
after a real import succeeds, or with their Import.
"""

import logging
import shutil
import tempfile
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from . import loader
from .archive import extract_zip
from .markdown_folder import MarkdownFolder
from .models import Import
from .records import NotAnExport, Report
from .wordpress import WordPressExport

logger = logging.getLogger("escribe.import")


def copy_out(field, folder, name):
    """The uploaded file, copied from its storage into ``folder``."""
    target = folder / name
    with field.open("rb") as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy, 1024 * 1024)
    return target


def wordpress_uploads(root):
    """The folder of a zipped wp-content/uploads that holds the year folders, wherever the zip put it."""
    for candidate in (root / "wp-content" / "uploads", root / "uploads"):
        if candidate.is_dir():
            return candidate
    return root


def source_for(job, folder):
    if job.kind == Import.Kind.WORDPRESS:
        uploads = None
        if job.uploads:
            uploads = wordpress_uploads(extract_zip(copy_out(job.uploads, folder, "uploads.zip"), folder / "uploads"))
        return WordPressExport(copy_out(job.source, folder, "export.xml"), uploads)
    return MarkdownFolder(extract_zip(copy_out(job.source, folder, "site.zip"), folder / "site"))


@task()
def run_import(import_id):
    """Run an import the admin queued; a run the worker died in is run again from the start."""
    job = Import.objects.filter(pk=import_id, status__in=[Import.Status.QUEUED, Import.Status.RUNNING]).first()
    if job is None:
        return
    Import.objects.filter(pk=job.pk).update(status=Import.Status.RUNNING)
    report = Report(dry_run=job.dry_run)

    def progress(percent):
        cache.set(job.progress_key, percent, timeout=24 * 3600)

    with tempfile.TemporaryDirectory(prefix="escribe-import-") as folder:
        try:
            loader.run(source_for(job, Path(folder)), report, dry_run=job.dry_run, progress=progress)
        except (NotAnExport, loader.NoBlog) as error:
            report.error = str(error)
        except Exception as error:  # whatever it was, the editor reads why, and nothing was written
            logger.exception("Import %s failed", job.pk)
            report.error = f"The import stopped and changed nothing: {error}"
    if not (job.dry_run or report.error):  # an export holds commenters' addresses: kept only while needed
        forget_files(job)
    Import.objects.filter(pk=job.pk).update(
        status=Import.Status.FAILED if report.error else Import.Status.DONE,
        report=report.as_dict(),
        finished=timezone.now(),
    )
    cache.delete(job.progress_key)


def forget_files(job):
    """Delete the uploaded files, and their names from this import and the trials that shared them."""
    for name in ("source", "uploads"):
        field = getattr(job, name)
        if field:
            Import.objects.filter(**{name: field.name}).update(**{name: ""})
            field.storage.delete(field.name)


def files_deleted_with_their_import(sender, instance, **kwargs):
    """post_delete of an Import: its files go too, unless another import (its trial, or the real one) uses them."""
    for name in ("source", "uploads"):
        field = getattr(instance, name)
        if field and not Import.objects.filter(**{name: field.name}).exists():
            field.storage.delete(field.name)
