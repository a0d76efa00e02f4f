"""The admin's Import screen: editors upload, try and import; the worker runs it; moderators never see it."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog.importers.models import Import
from blog.models import BlogPage

from .import_samples import EXPORT

pytestmark = pytest.mark.django_db


def upload(client, content=EXPORT, name="export.xml", dry_run=True, **fields):
    data = {"kind": "wordpress", "source": SimpleUploadedFile(name, content), **fields}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("imports:add"), data)


def test_an_editor_tries_an_export_then_imports_it_for_real_without_uploading_again(
    blog, editor, client, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client)
    trial = Import.objects.get()
    assert response["Location"] == reverse("imports:inspect", args=[trial.pk])
    assert (trial.status, trial.created_by, BlogPage.objects.count()) == (Import.Status.DONE, editor, 0)
    page = client.get(response["Location"]).content.decode()
    assert "What the import would do" in page and "1 created" in page and "1 comment," in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:run", args=[trial.pk]))
        client.post(reverse("imports:run", args=[trial.pk]))  # a double click starts nothing more
    real = Import.objects.exclude(pk=trial.pk).get()
    assert (real.status, real.dry_run) == (Import.Status.DONE, False)
    assert "What the import did" in client.get(response["Location"]).content.decode()
    post = BlogPage.objects.get(slug="hello-world")
    assert post.comments.get().name == "Ann"
    assert not real.source  # the export, with commenters' addresses, is not kept after the real import


def test_a_file_that_is_not_an_export_is_refused_in_one_sentence_and_nothing_is_written(
    blog, editor, client, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content=b"<html><body>Not an export</body></html>", name="page.html", dry_run=False)
    job = Import.objects.get()
    assert job.status == Import.Status.FAILED and job.get_report().error
    page = client.get(response["Location"]).content.decode()
    assert job.get_report().error in page.replace("&#x27;", "'")
    assert not BlogPage.objects.exists()


def test_the_report_page_follows_a_running_import(blog, editor, client):
    client.force_login(editor)
    upload(client)  # the worker has not run it yet: outside on_commit capture, nothing runs
    job = Import.objects.get()
    page = client.get(reverse("imports:inspect", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting for the worker" in page
    Import.objects.filter(pk=job.pk).update(status=Import.Status.RUNNING)
    cache.set(job.progress_key, 42)  # as the worker reports it, from inside the import's transaction
    page = client.get(reverse("imports:inspect", args=[job.pk])).content.decode()
    assert 'value="42"' in page and "Running" in page


def test_moderators_cannot_reach_the_import_screen(blog, moderator, client):
    client.force_login(moderator)
    assert client.get(reverse("imports:add")).status_code in (302, 403)
    assert client.get(reverse("imports:index")).status_code in (302, 403)
    assert reverse("imports:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_imports_are_records_nobody_edits(blog, admin_client):
    job = Import.objects.create(kind="wordpress", source="x.xml", status=Import.Status.DONE)
    assert admin_client.get(reverse("imports:edit", args=[job.pk])).status_code in (302, 403)


def test_deleting_an_import_deletes_its_upload_unless_another_import_uses_it(
    blog, editor, admin_client, client, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client)
    trial = Import.objects.get()
    storage, name = trial.source.storage, trial.source.name
    again = Import.objects.create(kind=trial.kind, source=name, dry_run=True, status=Import.Status.DONE)
    trial.delete()
    assert storage.exists(name)  # the second import still needs it
    again.delete()
    assert not storage.exists(name)


def test_a_failed_real_import_keeps_the_upload_for_another_try(
    blog, editor, client, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    BlogPage.objects.all().delete()
    blog.delete()  # no blog to import into: the import fails
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, dry_run=False)
    job = Import.objects.get()
    assert job.status == Import.Status.FAILED and "no blog" in job.get_report().error
    assert job.source and job.source.storage.exists(job.source.name)
