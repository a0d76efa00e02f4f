"""Markdown (blog/markdown.py): a bad page:, image: or doc: reference is refused when saved, and one
whose target later goes away or out of sight is plain text: never a 500, never a draft's or a private
page's URL. The sanitiser keeps what the renderer makes and nothing of editors' style, id or class."""

import datetime
import logging
import re
from io import StringIO

import bs4
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from blog import markdown
from blog.models import BlogPage
from home.models import AboutPage

from .factories import BlogPageFactory, PageFactory

pytestmark = pytest.mark.django_db


class AboutPageFactory(PageFactory):
    class Meta:
        model = AboutPage

    title = "About"
    slug = "about"
    blurb = "I write here."


@pytest.fixture
def warnings(caplog):
    """Warnings of the "escribe" loggers, which do not propagate to the root logger caplog listens to."""
    logger = logging.getLogger("escribe")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.WARNING, logger="escribe.markdown")
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.fixture
def image():
    return get_image_model().objects.create(title="A picture", file=get_test_image_file())


@pytest.fixture
def document():
    return get_document_model().objects.create(title="Notes", file=ContentFile(b"Some notes.", name="notes.txt"))


# (Markdown, the reference its error must name); {page} is an existing page's id.
BAD_REFERENCES = [
    ("See [my post](page:abc).", "“page:abc” is not a reference"),
    ("[x](page:1.5)", "“page:1.5” is not a reference"),
    ("[x](page:)", "“page:” is not a reference"),
    ("[x](image:1)", "“image:1” leads nowhere: there is no image 1"),
    ("[x](doc:abc)", "“doc:abc” is not a reference"),
    ("![x](image:abc)", "“image:abc” is not a reference"),
    ("[x](page:99999)", "“page:99999” leads nowhere: there is no page 99999"),
    ("[x](doc:4242)", "“doc:4242” leads nowhere: there is no document 4242"),
    ("![x](page:{page})", "“page:{page}” cannot be shown as a picture"),
    (
        "[x](page:99999999999999999999999)",
        "“page:99999999999999999999999” is not a reference",
    ),  # beyond SQLite's integers
    ("[x][ref]\n\n[ref]: page:abc", "“page:abc” is not a reference"),
    ('<a href="page:abc">x</a>', "“page:abc” is not a reference"),
]


@pytest.mark.parametrize(("text", "error"), BAD_REFERENCES)
def test_a_bad_reference_is_named(blog, text, error):
    assert error.format(page=blog.pk) in " ".join(markdown.validate("Fine text first.\n\n" + text.format(page=blog.pk)))


def test_every_bad_reference_is_named_once(blog):
    post = BlogPageFactory(parent=blog)
    assert markdown.validate(f"[a](page:abc) [b](page:abc) [c](doc:9) [d](page:{post.pk}) [e](page:99)") == [
        "“doc:9” leads nowhere: there is no document 9.",
        "“page:99” leads nowhere: there is no page 99.",
        "“page:abc” is not a reference: write page: and a number, like page:12 or page:12#a-heading.",
    ]


def test_good_references_are_accepted(blog, image, document):
    target = BlogPageFactory(parent=blog)
    draft = BlogPageFactory(parent=blog, live=False)  # linked once it is published
    post = BlogPageFactory(parent=blog)
    post.body = (
        f"[a](page:{target.pk}) [b](page:{target.pk}#a-heading) [c](page:{draft.pk}) "
        f"![d](image:{image.pk}) [e](image:{image.pk}) [f](doc:{document.pk}) "
        '[g](https://example.com/page:abc) `[h](page:abc)`\n\n    <a href="page:abc">code</a>\n'
    )
    assert markdown.validate(post.body) == []


def form_data(admin_client, page):
    """What Wagtail's edit form for the page would post, as its HTML offers it."""
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    form = bs4.BeautifulSoup(html, "html.parser").select_one("form#page-edit-form")
    data = {}
    for field in form.select("input[name], textarea[name]"):
        if field.get("type") == "checkbox" and not field.has_attr("checked"):
            continue
        data[field["name"]] = field.text.removeprefix("\n") if field.name == "textarea" else field.get("value", "")
    return data


def test_the_admin_refuses_to_publish_a_bad_reference_and_says_which(admin_client, client, blog):
    post = BlogPageFactory(parent=blog, slug="edited", body="Fine.")
    url = f"/admin/pages/{post.pk}/edit/"
    data = {**form_data(admin_client, post), "action-publish": "action-publish"}
    assert admin_client.post(url, {**data, "body": "Still fine."}).status_code == 302  # the form is complete
    response = admin_client.post(url, {**data, "body": "See [my post](page:abc)."})
    assert response.status_code == 200
    body_field = bs4.BeautifulSoup(response.content, "html.parser").select_one(
        "[data-field-wrapper]:has(textarea[name=body])"
    )
    assert "“page:abc” is not a reference" in body_field.text
    assert BlogPage.objects.get(pk=post.pk).body == "Still fine."
    assert client.get("/edited/").status_code == 200


def test_the_admin_refuses_a_bad_reference_in_a_blurb(admin_client, client, blog):
    about = AboutPageFactory(parent=blog)
    url = f"/admin/pages/{about.pk}/edit/"
    data = {**form_data(admin_client, about), "action-publish": "action-publish"}
    response = admin_client.post(url, {**data, "blurb": "I write here. See [my post](page:abc)."})
    assert response.status_code == 200
    assert "“page:abc” is not a reference" in response.content.decode()
    assert AboutPage.objects.get(pk=about.pk).blurb == "I write here."
    assert client.get("/").status_code == 200


def test_a_reference_in_a_sidebar_blurb_is_a_link_on_every_page(client, blog):
    """The sidebar's references are made links when it is built, apart from the page's own."""
    post = BlogPageFactory(parent=blog, slug="first", title="First")
    AboutPageFactory(parent=blog, blurb=f"Start with [my first post](page:{post.pk}).")
    for url in ["/", "/first/", "/search/?q=first"]:
        assert '<p>Start with <a href="/first/">my first post</a>.</p>' in client.get(url).content.decode(), url


def test_bad_references_stored_anyway_never_break_a_page(client, blog, warnings):
    """Say, saved before references were checked: every page is still served, the references as plain text."""
    bad = "See [my post](page:abc), [x](page:1.5), [y](image:1), [z](doc:abc), ![w](image:abc) and [v](page:99999)."
    post = BlogPageFactory(parent=blog, slug="imported", title="Imported", tags=["old"], date=datetime.date(2015, 3, 1))
    BlogPage.objects.filter(pk=post.pk).update(body=bad, body_html=markdown.render(bad))
    about = AboutPageFactory(parent=blog)
    AboutPage.objects.filter(pk=about.pk).update(blurb="See [my post](page:abc).", body=bad)
    for url in [
        "/",
        "/imported/",
        "/about/",
        "/tag/old/",
        "/archive/",
        "/2015/",
        "/search/?q=imported",
        "/feed/",
        "/feed/atom/",
        "/tag/old/feed/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not [attribute for attribute in ['="page:', '="image:', '="doc:'] if attribute in html], url
    assert "See my post, x, y, z, w and v." in client.get("/imported/").content.decode()
    assert '<div class="blurb"><p>See my post.</p></div>' in client.get("/").content.decode()
    assert "“page:abc”" in warnings.text
    post.body = bad + " [u](doc:7)"
    assert post.make_preview_request().status_code == 200


def test_a_reference_whose_target_went_since_never_stops_a_copy_a_save_or_a_publication(client, blog, settings):
    """Wagtail's Page.save() runs full_clean(): references are checked in the editor's form, never there."""
    settings.PAGE_CACHE_ENABLED = False
    target = BlogPageFactory(parent=blog, slug="target")
    post = BlogPageFactory(parent=blog, slug="linking", body=f"See [it](page:{target.pk}).", legacy_id=7)
    post.body += " More."
    post.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))  # scheduled
    target_pk = target.pk
    target.delete()
    call_command("publish_scheduled", stdout=StringIO())
    assert "<p>See it. More.</p>" in client.get("/linking/").content.decode()
    post = BlogPage.objects.get(pk=post.pk)
    post.title = "Retitled"
    post.save_revision().publish()
    copy = post.copy(update_attrs={"slug": "linking-again", "title": "Again"})
    assert copy.legacy_id is None and copy.body == post.body
    BlogPageFactory(parent=blog, body=f"[x](page:{target_pk})")  # an import or a script: shown as text
    assert markdown.validate(post.body) == [f"“page:{target_pk}” leads nowhere: there is no page {target_pk}."]


def unpublish(page):
    page.unpublish()


def delete(page):
    page.delete()


def protect_with_password(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret")


def require_login(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def protect_the_parent(page):
    protect_with_password(page.get_parent())


@pytest.mark.parametrize("hide", [unpublish, delete, protect_with_password, require_login, protect_the_parent])
def test_a_link_to_a_page_that_later_goes_out_of_sight_becomes_plain_text(client, blog, settings, warnings, hide):
    settings.PAGE_CACHE_ENABLED = False  # the page cache's own invalidation is tested elsewhere
    section = BlogPageFactory(parent=blog, slug="section")
    target = BlogPageFactory(parent=section, slug="target-post")
    BlogPageFactory(parent=blog, slug="linking", body=f"See [the target](page:{target.pk}#notes).")
    assert '<a href="/section/target-post/#notes">the target</a>' in client.get("/linking/").content.decode()
    target_pk = target.pk
    hide(target)
    for url in ["/linking/", "/", "/feed/", "/feed/atom/"]:
        html = client.get(url).content.decode()
        assert "See the target." in html, url
        assert "target-post" not in html, url
    assert f"“page:{target_pk}#notes”" in warnings.text


def test_a_link_to_a_draft_shows_no_url_until_the_draft_is_published(client, blog):
    draft = BlogPageFactory(parent=blog, slug="draft-secret", live=False)
    BlogPageFactory(parent=blog, slug="linking", body=f"Soon: [the sequel](page:{draft.pk}).")
    AboutPageFactory(parent=blog, blurb=f"Read [the sequel](page:{draft.pk}).")
    pages = ["/", "/linking/", "/about/", "/archive/", "/search/?q=linking", "/feed/", "/feed/atom/"]
    for url in pages:
        assert "draft-secret" not in client.get(url).content.decode(), url
    assert '<div class="blurb"><p>Read the sequel.</p></div>' in client.get("/archive/").content.decode()
    draft.save_revision().publish()
    html = client.get("/linking/").content.decode()
    assert '<p>Soon: <a href="/draft-secret/">the sequel</a>.</p>' in html
    assert '<div class="blurb"><p>Read <a href="/draft-secret/">the sequel</a>.</p></div>' in html
    assert "http://localhost/draft-secret/" in client.get("/feed/").content.decode()


def test_a_blurb_linking_a_private_page_shows_its_text_on_every_page(client, blog, warnings):
    private = BlogPageFactory(parent=blog, slug="members-only", tags=["t"])
    require_login(private)
    AboutPageFactory(parent=blog, blurb=f"See [my post](page:{private.pk}).")
    BlogPageFactory(parent=blog, slug="public-post", tags=["t"])
    for url in ["/", "/public-post/", "/about/", "/tag/t/", "/archive/", "/2015/", "/search/?q=post", "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert '<div class="blurb"><p>See my post.</p></div>' in html, url
        assert "members-only" not in html, url
    assert f"“page:{private.pk}”" in warnings.text


def test_images_and_documents_are_linked_and_become_text_once_deleted(
    client, blog, settings, image, document, warnings
):
    settings.PAGE_CACHE_ENABLED = False
    body = f"![A picture](image:{image.pk})\n\nRead [the notes](doc:{document.pk}) or [the picture](image:{image.pk})."
    BlogPageFactory(parent=blog, slug="pictures", body=body)
    html = client.get("/pictures/").content.decode()
    assert '<p><img alt="A picture" src="/media/images/' in html
    assert f'Read <a href="{document.url}">the notes</a> or <a href="/media/images/' in html
    image_pk, document_pk = image.pk, document.pk
    image.delete()
    document.delete()
    html = client.get("/pictures/").content.decode()
    assert "<p>A picture</p>" in html and "Read the notes or the picture." in html
    assert "/media/images/" not in html and "/documents/" not in html
    assert f"“image:{image_pk}”" in warnings.text and f"“doc:{document_pk}”" in warnings.text


def test_pictures_come_at_the_size_the_screen_needs_with_their_size_given(client, blog, settings, image):
    settings.PAGE_CACHE_ENABLED = False
    BlogPageFactory(parent=blog, slug="pictures", body=f"![A picture](image:{image.pk}){{: .left }}\n\nText beside it.")
    img = re.search(r"<img [^>]*>", client.get("/pictures/").content.decode())[0]
    assert 'alt="A picture"' in img and 'class="left"' in img
    # The 640 px upload is never sent as it is, nor made larger than it is.
    assert re.search(
        r'srcset="/media/images/[^" ]+\.width-480\.png 480w, /media/images/[^" ]+\.width-960\.png 640w"', img
    )
    assert 'width="640" height="480"' in img and 'loading="lazy"' in img and 'sizes="' in img
    feed = client.get("/feed/").content.decode()
    assert re.search(r"srcset=\"http://localhost/media/images/\S+ 480w, http://localhost/media/images/", feed)


def test_references_cost_the_same_few_queries_however_many_posts_have_them(client, blog, settings):
    settings.PAGE_CACHE_ENABLED = False
    blog.posts_per_page = 20
    blog.save()

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    targets = [BlogPageFactory(parent=blog) for _ in range(8)]
    posts = [BlogPageFactory(parent=blog, body="No references.") for _ in targets]
    without = {url: queries(url) for url in ["/", "/feed/"]}
    for post, target in zip(posts[:2], targets, strict=False):
        BlogPage.objects.filter(pk=post.pk).update(body_html=markdown.render(f"[a](page:{target.pk})"))
    few = {url: queries(url) for url in without}
    for post, target in zip(posts, targets, strict=True):
        BlogPage.objects.filter(pk=post.pk).update(body_html=markdown.render(f"[a](page:{target.pk})"))
    many = {url: queries(url) for url in without}
    assert many == few
    assert all(few[url] <= without[url] + 2 for url in without), (without, few)


# The sanitiser: what the renderer makes is kept, editors' style, id and class are not.


def test_editors_html_loses_style_id_and_class():
    html = markdown.render(
        '<p id="x" class="warning" style="color: red">Hi <span style="font-size: 9em" class="big">there</span></p>\n\n'
        '<h2 id="sb-about" class="evil">Raw heading</h2>\n\n'
        '<div markdown="1" class="highlight-me" style="position: fixed">**inside**</div>\n\n'
        '## Marked up {: #chosen .fancy style="color: red" }\n\n'
        '<img src="https://example.com/x.png" onerror="alert(1)" style="width: 9999px"><script>alert(1)</script>'
    )
    assert "<p>Hi <span>there</span></p>" in html
    assert "<h2>Raw heading</h2>" in html
    assert "<div>\n<p><strong>inside</strong></p>\n</div>" in html
    assert '<h2 id="chosen">Marked up</h2>' in html  # an anchor asked for in Markdown, as toc records it
    assert '<img src="https://example.com/x.png">' in html
    for gone in ["style", "class", "onerror", "script", "sb-about"]:
        assert gone not in html


def test_the_renderers_own_markup_is_kept():
    html = markdown.render(
        "## Setting up\n\n## Setting up\n\nA claim.[^1]\n\n"
        '```python hl_lines="1"\ndef f(x):\n    return x\n```\n\n'
        "| left | right |\n|:--|--:|\n| 1 | 2 |\n\n"
        '~~gone~~ and *HTML* <abbr title="HyperText">HTML</abbr>\n\n[^1]: The footnote.\n'
    )
    assert '<h2 id="setting-up">Setting up</h2>' in html and '<h2 id="setting-up_1">Setting up</h2>' in html
    assert '<div class="highlight"><pre><span></span><code><span class="hll"><span class="k">def</span>' in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<div class="footnote">' in html and '<li id="fn:1">' in html and 'class="footnote-backref"' in html
    assert '<th align="left">left</th>' in html and '<td align="right">2</td>' in html
    assert "<del>gone</del>" in html and '<abbr title="HyperText">HTML</abbr>' in html


def test_links_opening_a_new_window_get_noopener_and_others_are_left_alone():
    html = markdown.render(
        '<a href="https://example.com/" target="_blank" rel="opener">new window</a> '
        '<a href="https://example.org/" target="_top" rel="me">same window</a> [plain](https://example.net/)'
    )
    assert '<a rel="noopener noreferrer" href="https://example.com/" target="_blank">new window</a>' in html
    assert '<a href="https://example.org/">same window</a>' in html
    assert '<a href="https://example.net/">plain</a>' in html


def test_the_renderer_never_touches_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = markdown.render("[a](page:1) ![b](image:2) [c](doc:x) [d](page:abc)")
    assert (
        html
        == '<p><a href="page:1">a</a> <img alt="b" src="image:2"> <a href="doc:x">c</a> <a href="page:abc">d</a></p>'
    )
