"""Media on object storage (issue 12): with AWS_STORAGE_BUCKET_NAME set, uploaded images, documents and
Wagtail's renditions go to an S3 bucket, never replacing a file, and pages show the bucket's URLs;
without it, local disk as before.

The bucket is a real S3 API on loopback (moto's server, tests/s3_server.py), reached over HTTP by
django-storages and boto3 exactly as AWS would be.
"""

import ast
import io
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import bs4
import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.template import Context, Template
from django.test import override_settings
from PIL import Image as PILImage
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .factories import BlogPageFactory
from .s3_server import CREDENTIALS, REGION, S3Server

PROJECT = Path(__file__).resolve().parent.parent
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def s3_storage(bucket, endpoint, **options):
    """STORAGES["default"] as site/settings/base.py builds it from the environment (test_settings_... checks)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": REGION,
            "custom_domain": None,
            "addressing_style": None,
            "file_overwrite": False,
            "querystring_auth": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=2592000"},
            **options,
        },
    }


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """moto's S3 server for this module's tests, stopped whatever happens to them."""
    server = S3Server(log=tmp_path_factory.mktemp("moto") / "moto.log")
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def bucket(db, s3, settings, monkeypatch):
    """A fresh bucket on the server, and the site's default storage pointed at it, as base.py would.

    Changing settings.STORAGES sends setting_changed, whose handler forgets the storages Django made:
    Wagtail's image, rendition and document fields, which hold ``default_storage``, use S3 from now
    on, and local disk again when the ``settings`` fixture puts STORAGES back.
    """
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)  # read by boto3 itself, as in production
    name = s3.create_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(name, s3.url)}
    settings.WAGTAILDOCS_SERVE_METHOD = "serve_view"  # base.py's, with S3 on
    settings.PAGE_CACHE_ENABLED = False
    assert isinstance(storages["default"], S3Storage) and default_storage.bucket_name == name
    return name


def png(name, colour, size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def upload_image(name="photo.png", colour=(200, 30, 30)):
    return get_image_model().objects.create(title=name, file=png(name, colour))


def img_sources(html):
    return [img["src"] for img in bs4.BeautifulSoup(html, "html.parser").select("img")]


def fetch(url):
    """(status, body) of an anonymous GET, as a reader's browser makes it: no credentials, no signature."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_changing_storages_switches_wagtails_files_to_s3_and_back(s3, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    field_storage = get_image_model()._meta.get_field("file").storage
    with override_settings(STORAGES={"default": s3_storage("elsewhere", s3.url)}):
        assert isinstance(storages["default"], S3Storage)
        assert field_storage.bucket_name == "elsewhere"  # the field's storage is default_storage, reset too
    assert isinstance(storages["default"], FileSystemStorage)
    assert not hasattr(field_storage, "bucket_name")


def test_an_image_and_its_rendition_go_to_the_bucket_and_the_page_shows_the_bucket_url(client, blog, bucket, s3):
    s3.make_images_public(bucket)
    image = upload_image()
    assert image.file.name == "original_images/photo.png"
    assert s3.keys(bucket) == ["original_images/photo.png"]
    BlogPageFactory(parent=blog, slug="pictures", body=f"![A photo](image:{image.pk})")

    html = client.get("/pictures/").content.decode()

    [rendition] = image.renditions.all()  # made by this request, from the original in the bucket
    assert rendition.file.name.startswith("images/photo.")
    assert rendition.file.name in s3.keys(bucket, "images/")
    assert img_sources(html) == [f"{s3.url}/{bucket}/{rendition.file.name}"]  # unsigned: no query string
    assert "/media/" not in html
    status, body = fetch(img_sources(html)[0])
    assert status == 200 and PILImage.open(io.BytesIO(body)).size == (40, 30)


def test_the_image_tag_uses_the_custom_domain_for_urls_and_the_bucket_for_files(bucket, s3, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(bucket, s3.url, custom_domain="media.example.com"),
    }
    image = upload_image("portrait.png")
    html = Template("{% load wagtailimages_tags %}{% image photo fill-20x20 %}").render(Context({"photo": image}))
    rendition = image.get_rendition("fill-20x20")
    assert img_sources(html) == [f"https://media.example.com/{rendition.file.name}"]
    assert rendition.file.name in s3.keys(bucket, "images/")
    assert PILImage.open(io.BytesIO(s3.read(bucket, rendition.file.name))).size == (20, 20)


def test_an_upload_with_the_same_name_never_replaces_the_first(bucket, s3):
    first = upload_image("photo.png", (200, 30, 30))
    first_bytes = s3.read(bucket, first.file.name)
    second = upload_image("photo.png", (30, 30, 200))

    assert second.file.name != first.file.name
    assert second.file.name.startswith("original_images/photo_") and second.file.name.endswith(".png")
    assert sorted(s3.keys(bucket)) == sorted([first.file.name, second.file.name])
    assert s3.read(bucket, first.file.name) == first_bytes  # untouched
    assert s3.read(bucket, second.file.name) != first_bytes
    assert get_image_model().objects.get(pk=first.pk).get_rendition("max-100x100").file.name in s3.keys(bucket)


def test_documents_go_to_the_bucket_and_are_still_served_by_wagtail(client, bucket, s3):
    s3.make_images_public(bucket)
    Document = get_document_model()
    first = Document.objects.create(title="Notes", file=ContentFile(b"Some notes.", name="notes.txt"))
    second = Document.objects.create(title="More notes", file=ContentFile(b"Other notes.", name="notes.txt"))

    assert first.file.name == "documents/notes.txt"
    assert second.file.name != first.file.name and second.file.name.startswith("documents/notes_")
    assert sorted(s3.keys(bucket)) == sorted([first.file.name, second.file.name])
    assert s3.read(bucket, first.file.name) == b"Some notes."
    # The link stays Wagtail's own (its collection privacy is checked there), streamed from the bucket.
    assert first.url == f"/documents/{first.pk}/notes.txt"
    response = client.get(first.url)
    assert response.status_code == 200 and "Location" not in response
    assert b"".join(response.streaming_content) == b"Some notes."
    assert fetch(f"{s3.url}/{bucket}/{first.file.name}")[0] == 403  # not public in the bucket


def public_grants(s3, bucket, key):
    grants = s3.client().get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return [grant["Permission"] for grant in grants if grant["Grantee"].get("URI") == ALL_USERS]


def test_no_acl_is_sent_unless_asked_and_public_read_when_asked(bucket, s3, settings):
    private = upload_image("policy.png")
    assert public_grants(s3, bucket, private.file.name) == []  # public or not: the bucket policy's call
    assert fetch(private.file.url)[0] == 403  # no policy here
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(bucket, s3.url, default_acl="public-read")}
    public = upload_image("acl.png")
    assert public_grants(s3, bucket, public.file.name) == ["READ"]
    assert fetch(public.file.url)[0] == 200
    head = s3.client().head_object(Bucket=bucket, Key=public.file.name)
    assert (head["ContentType"], head["CacheControl"]) == ("image/png", "public, max-age=2592000")


# The settings themselves, as `manage.py shell` under the dev settings reads them from the environment.

SECRET = "not-a-real-secret-0123456789"
S3_ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": "escribe-media",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",  # never contacted: settings only
    "AWS_S3_REGION_NAME": REGION,
    "AWS_S3_CUSTOM_DOMAIN": "media.example.com",
    "AWS_ACCESS_KEY_ID": "AKIANOTAREALKEY",
    "AWS_SECRET_ACCESS_KEY": SECRET,
}


def dev_shell(tmp_path, code, **env):
    """The last line `code` printed in `manage.py shell` under site.settings.dev, with only ``env``'s AWS_ variables."""
    unset = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS")
    environment = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("AWS_")}
    environment.update(ESCRIBE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="site.settings.dev", **env)
    result = subprocess.run(
        [sys.executable, PROJECT / "manage.py", "shell", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_bucket_name_in_the_environment_turns_s3_on(tmp_path):
    printed = dev_shell(
        tmp_path, "from django.conf import settings; print(settings.STORAGES['default'])", **S3_ENVIRONMENT
    )
    expected = s3_storage("escribe-media", "http://127.0.0.1:9", custom_domain="media.example.com")
    assert ast.literal_eval(printed) == expected
    code = (
        "from django.conf import settings; from django.core.files.storage import default_storage as s; "
        "print(s.__class__.__name__, s.url('images/a b.png'), "
        "settings.WAGTAILDOCS_SERVE_METHOD)"
    )
    assert dev_shell(tmp_path, code, **S3_ENVIRONMENT).split() == [
        "S3Storage",
        "https://media.example.com/images/a%20b.png",
        "serve_view",
    ]


def test_credentials_are_left_to_boto3_and_never_in_settings(tmp_path):
    code = (
        "from django.conf import settings; "
        f"print([name for name in dir(settings) if name.isupper() and {SECRET!r} in repr(getattr(settings, name))])"
    )
    assert dev_shell(tmp_path, code, **S3_ENVIRONMENT) == "[]"


def test_without_a_bucket_name_media_stay_on_local_disk(tmp_path):
    code = (
        "from django.conf import settings; from django.core.files.storage import storages; "
        "print(settings.STORAGES['default'], type(storages['default']).__name__, settings.MEDIA_ROOT, "
        "getattr(settings, 'WAGTAILDOCS_SERVE_METHOD', None))"
    )
    env = {name: value for name, value in S3_ENVIRONMENT.items() if name != "AWS_STORAGE_BUCKET_NAME"}
    printed = dev_shell(tmp_path, code, **env)
    storage, rest = printed.split("}", 1)
    assert ast.literal_eval(storage + "}") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert rest.split() == ["FileSystemStorage", str(tmp_path / "media"), "None"]


MEDIA_VIEW = (
    "from django.urls import Resolver404, resolve\n"
    "try:\n"
    "    print(resolve('/media/images/a.png').func.__module__)\n"
    "except Resolver404:\n"
    "    print('nothing')"
)


def test_without_a_bucket_django_serves_media_from_disk_under_the_dev_settings(tmp_path):
    assert dev_shell(tmp_path, MEDIA_VIEW) == "django.views.static"


def test_with_a_bucket_django_serves_no_media_from_disk(tmp_path):
    assert dev_shell(tmp_path, MEDIA_VIEW, **S3_ENVIRONMENT) == "nothing"
