"""The admin's Import screen: editors upload, try and import; the worker runs it; moderators never see it."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blog.importers.models import Import
from blog.models import BlogPage

pytestmark = pytest.mark.django_db

EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"
     xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel>
  <title>Old blog</title><link>https://old.example.com</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://old.example.com</wp:base_site_url>
  <wp:base_blog_url>https://old.example.com</wp:base_blog_url>
  <item>
    <title>Hello from WordPress</title>
    <link>https://old.example.com/2011/02/03/hello-world/</link>
    <dc:creator><![CDATA[admin]]></dc:creator>
    <content:encoded><![CDATA[First paragraph.

Second paragraph.]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>7</wp:post_id>
    <wp:post_date>2011-02-03 09:30:00</wp:post_date>
    <wp:post_date_gmt>2011-02-03 14:30:00</wp:post_date_gmt>
    <wp:comment_status>open</wp:comment_status>
    <wp:post_name>hello-world</wp:post_name>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
    <wp:post_password></wp:post_password>
    <category domain="post_tag" nicename="python"><![CDATA[Python]]></category>
    <wp:comment>
      <wp:comment_id>3</wp:comment_id>
      <wp:comment_author><![CDATA[Ann]]></wp:comment_author>
      <wp:comment_author_email>ann@example.com</wp:comment_author_email>
      <wp:comment_author_url></wp:comment_author_url>
      <wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>
      <wp:comment_date>2011-02-04 10:00:00</wp:comment_date>
      <wp:comment_date_gmt>2011-02-04 15:00:00</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[Nice post!]]></wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
      <wp:comment_type>comment</wp:comment_type>
      <wp:comment_parent>0</wp:comment_parent>
    </wp:comment>
  </item>
</channel>
</rss>
"""


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", "ed@example.com", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


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
    assert "What the import would do" in page and "1 created" in page and "1 comments" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:run", args=[trial.pk]))
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


def test_moderators_cannot_reach_the_import_screen(blog, moderator, client):
    client.force_login(moderator)
    assert client.get(reverse("imports:add")).status_code in (302, 403)
    assert client.get(reverse("imports:index")).status_code in (302, 403)
    assert reverse("imports:index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_imports_are_records_nobody_edits(blog, admin_client):
    job = Import.objects.create(kind="wordpress", source="x.xml", status=Import.Status.DONE)
    assert admin_client.get(reverse("imports:edit", args=[job.pk])).status_code in (302, 403)
