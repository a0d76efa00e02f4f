"""Every kind of public page validates with the Nu HTML checker (vnu-jar from npm, run with Java): no error and
no warning, on pages with comments and replies, code, pictures, an author's reply, a 404 and a search."""

import json
import shutil
import subprocess

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from blog.comments.models import Comment
from blog.models import BlogPage

from .factories import BlogPageFactory, CommentFactory
from .live_site import PROJECT, require

pytestmark = pytest.mark.django_db

VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_public_pages_validate(client, demo, editor, tmp_path):
    require(VNU.exists(), "the Nu HTML checker is not installed (npm ci)")
    require(shutil.which("java"), "Java is missing: the Nu HTML checker needs it (Debian: apt-get install default-jre)")
    picture = get_image_model().objects.create(title="Racks", description="Servers", file=get_test_image_file())
    body = f"Text.\n\n![Servers](image:{picture.pk}){{: .left }}\n\n```python\nprint('hi')\n```\n"
    post = BlogPageFactory(parent=demo, slug="checked", tags=["django"], body=body, image=picture, show_image=True)
    first = CommentFactory(post=post, status="approved", text="A question with `code` and a https://link.example")
    CommentFactory(post=post, status="approved", parent=first, user=editor, name="Paul", text="An *answer*.")
    Comment.objects.filter(pk=first.pk).update(status="rejected")  # a removed comment keeps its place
    CommentFactory(post=post, status="approved", text="```\nfenced\n```")
    pages = {
        "front": "/",
        "post": "/checked/",
        "seed": f"/{BlogPage.objects.order_by('-date').exclude(slug='checked').first().slug}/",
        "reply-form": f"/comments/reply/{CommentFactory(post=post, status='approved').pk}/",
        "tag": "/tag/django/",
        "year": "/2016/",
        "archive": "/archive/",
        "search": "/search/?q=django",
        "about": "/about/",
        "missing": "/no-such-page/",
    }
    for name, url in pages.items():
        (tmp_path / f"{name}.html").write_bytes(client.get(url).content)
    checked = subprocess.run(
        ["java", "-jar", VNU, "--format", "json", "--also-check-css", *sorted(tmp_path.glob("*.html"))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stderr)["messages"]
    found = [f"{m['url'].rsplit('/', 1)[-1]}: {m.get('subType', m['type'])}: {m['message']}" for m in messages]
    assert found == []
