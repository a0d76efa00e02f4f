"""The import commands end to end: a source on disk in, posts at their new and old addresses out."""

import io

import pytest
from django.core.management import CommandError, call_command

from blog.comments.models import Comment
from blog.models import BlogPage

from .import_samples import EXPORT, hugo_site, jekyll_site

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(EXPORT)
    return path


def test_a_wordpress_post_answers_at_its_new_address_and_at_every_old_one(blog, client, export):
    output = run("import_wordpress", export)
    assert "Posts: 1 created" in output and "1 comment," in output
    page = client.get("/hello-world/").content.decode()
    assert "Hello from WordPress" in page and "Nice post!" in page
    for old in ("/2011/02/03/hello-world/", "/?p=7", "/post/hello-world/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/hello-world/"), old


def test_a_dry_run_says_so_and_changes_nothing(blog, export):
    output = run("import_wordpress", export, "--dry-run")
    assert "a dry run, nothing was changed" in output and "Posts: 1 created" in output
    assert not BlogPage.objects.exists() and not Comment.objects.exists()


def test_importing_the_same_export_twice_doubles_nothing(blog, export):
    run("import_wordpress", export)
    assert "0 created, 0 updated, 1 unchanged" in run("import_wordpress", export)
    assert BlogPage.objects.count() == 1 and Comment.objects.count() == 1


def test_a_file_that_is_not_an_export_is_refused_in_one_sentence(blog, tmp_path):
    page = tmp_path / "index.html"
    page.write_text("<!doctype html><html><body><p>Hello</p></body></html>")
    with pytest.raises(CommandError) as refused:
        run("import_wordpress", page)
    assert str(refused.value).count(".") >= 1 and "\n" not in str(refused.value)
    assert not BlogPage.objects.exists()


def test_missing_files_and_folders_are_named(blog, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run("import_wordpress", tmp_path / "nowhere.xml")
    with pytest.raises(CommandError, match="There is no folder"):
        run("import_markdown", tmp_path / "nowhere")


def test_a_jekyll_post_answers_at_its_jekyll_permalink(blog, client, tmp_path):
    output = run("import_markdown", jekyll_site(tmp_path / "site"))
    assert output.startswith("Jekyll site") and "Posts: 1 created" in output
    assert "Written with <em>Jekyll</em>" in client.get("/old-jekyll/").content.decode()
    assert client.get("/2012/03/04/old-jekyll.html")["Location"] == "/old-jekyll/"


def test_a_hugo_post_answers_at_its_section_address_and_its_aliases(blog, client, tmp_path):
    output = run("import_markdown", hugo_site(tmp_path / "site"))
    assert output.startswith("Hugo site") and "Posts: 1 created" in output
    for old in ("/posts/hugo-post/", "/old/hugo/"):
        assert client.get(old)["Location"] == "/hugo-post/", old


def test_a_folder_that_is_no_blog_is_refused(blog, tmp_path):
    (tmp_path / "notes.txt").write_text("just notes")
    with pytest.raises(CommandError, match="neither a Jekyll site"):
        run("import_markdown", tmp_path)
