"""What a reader sees: the front page, posts, tag pages, the sidebar."""

import datetime
import re

import pytest
from wagtail.models import Site

from blog.models import BlogPage
from home.models import SidebarSettings, StuffIUse

from .factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_front_page_is_the_seed_page(client, demo):
    html = client.get("/").content.decode()
    for heading in ["About Me", "Book", "Colophon", "Pile o'Tags", "Stuff I Use", "Spam Report"]:
        assert f">{heading}</" in html
    assert "I'm Paul Bissex." in html
    assert "Python Web Development with Django" in html
    assert "The database is SQLite." in html
    assert 'At least <strong class="spam-count">236325</strong> pieces of comment spam killed since 2008' in html
    # The seed post leads, whole, with its date and the "+ + +" close.
    first = html.index('class="post-title"')
    assert html.index("What happens when you screw up?", first) < html.index("Counting spam", first)
    assert "Blameless PostMortems and a Just Culture" in html
    assert "Friday, April 1st, 2016" in html
    assert "+ + +" in html


def test_sidebar_blurbs_link_to_their_pages(client, demo):
    html = client.get("/").content.decode()
    for path in ["/about/", "/book/", "/colophon/"]:
        assert f'href="{path}"' in html
        assert client.get(path).status_code == 200
    assert "Addison-Wesley" in client.get("/book/").content.decode()


def test_post_date_format(client, blog):
    BlogPageFactory(parent=blog, title="Leap", slug="leap", date=datetime.date(2016, 2, 29))
    BlogPageFactory(parent=blog, title="Second", slug="second", date=datetime.date(2016, 4, 2))
    BlogPageFactory(parent=blog, title="Third", slug="third", date=datetime.date(2016, 4, 23))
    assert "Monday, February 29th, 2016" in client.get("/leap/").content.decode()
    assert "Saturday, April 2nd, 2016" in client.get("/second/").content.decode()
    assert "Saturday, April 23rd, 2016" in client.get("/third/").content.decode()


def test_post_page_shows_title_body_tags_and_close(client, blog):
    BlogPageFactory(parent=blog, title="Hello", slug="hello", body="Some **bold** words.", tags=["Django"])
    html = client.get("/hello/").content.decode()
    assert '<h1 class="post-title">Hello</h1>' in html
    assert "<strong>bold</strong>" in html
    assert '<a rel="tag" href="/tag/django/">Django</a>' in html
    assert "+ + +" in html


def test_markdown_code_blocks_are_highlighted(client, blog):
    body = "Intro.\n\n```python\ndef f(x):\n    return x + 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    BlogPageFactory(parent=blog, slug="code", body=body)
    html = client.get("/code/").content.decode()
    assert '<div class="highlight"><pre>' in html
    assert '<span class="k">def</span>' in html  # Pygments token classes
    assert "<table>" in html
    assert "/static/vendor/pygments/pygments.css" in html


def test_the_front_page_is_the_newest_post_with_its_conversation_then_older_ones(client, blog):
    """As the seed shows it: the newest post whole, its comments and "Post a comment", then links to older posts."""
    from .factories import CommentFactory

    for day in range(1, 9):
        BlogPageFactory(parent=blog, title=f"Day {day}", date=datetime.date(2020, 1, day), body=f"Body of day {day}.")
    newest = BlogPage.objects.get(title="Day 8")
    CommentFactory(post=newest, status="approved", text="A comment on the newest")
    html = client.get("/").content.decode()
    assert "<title>E-Scribe : a programmer’s blog</title>" in html
    assert '<h2 class="post-title"><a href="/day-8/">Day 8</a></h2>' in html and "Body of day 8." in html
    assert "Body of day 7." not in html  # older posts are links, not whole
    assert "A comment on the newest" in html and "Post a comment" in html
    assert f'action="/comments/post/{newest.pk}/#post-a-comment"' in html
    older = html.split('class="older-posts"')[1]
    assert [f"Day {day}" for day in (7, 6, 5, 4, 3)] == re.findall(r">(Day \d)</a>", older)
    assert html.count("<h1") == 1


def test_pages_of_the_list_still_answer_when_the_front_page_is_the_newest_post(client, blog):
    blog.posts_per_page = 2
    blog.save()
    for day in range(1, 6):
        BlogPageFactory(parent=blog, title=f"Day {day}", date=datetime.date(2020, 1, day), body=f"Body of day {day}.")
    second = client.get("/?page=2").content.decode()
    assert "Body of day 3." in second and "Body of day 2." in second and "Body of day 5." not in second
    assert 'rel="prev"' in second
    assert "Post a comment" not in client.get("/?page=3").content.decode()
    assert client.get("/?page=4").status_code == 404
    assert "Post a comment" in client.get("/?page=1").content.decode()


def test_an_editor_can_have_the_front_page_list_whole_posts(client, blog, editor):
    client.force_login(editor)
    form = client.get(f"/admin/pages/{blog.pk}/edit/").content.decode()
    assert "The front page shows" in form and "how E-Scribe has always looked" in form
    blog.front_page_shows = "list"
    blog.save_revision().publish()
    client.logout()
    BlogPageFactory(parent=blog, title="First", body="Body one.")
    BlogPageFactory(parent=blog, title="Second", body="Body two.")
    html = client.get("/").content.decode()
    assert "Body one." in html and "Body two." in html and "Post a comment" not in html


@pytest.mark.blog(front_page_shows="list")
def test_front_page_lists_newest_first_and_paginates(client, blog):
    blog.posts_per_page = 2
    blog.save()
    for day in range(1, 6):
        BlogPageFactory(parent=blog, title=f"Day {day}", date=datetime.date(2020, 1, day))
    first = client.get("/").content.decode()
    assert first.index("Day 5") < first.index("Day 4")
    assert "Day 3" not in first
    assert 'rel="next" href="?page=2"' in first
    third = client.get("/?page=3").content.decode()
    assert "Day 1" in third and 'rel="prev"' in third
    assert client.get("/?page=4").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_tag_page_lists_only_that_tags_posts(client, blog):
    BlogPageFactory(parent=blog, title="Tagged one", tags=["Python"])
    BlogPageFactory(parent=blog, title="Untagged one")
    html = client.get("/tag/python/").content.decode()
    assert "Tagged one" in html and "Untagged one" not in html
    assert "Posts tagged “Python”" in html
    assert client.get("/tag/no-such-tag/").status_code == 404


def test_tag_cloud_weights_follow_post_counts(client, blog):
    for n in range(8):
        BlogPageFactory(parent=blog, tags=["common"] + (["middling"] if n < 3 else []))
    BlogPageFactory(parent=blog, tags=["rare", "<b>C&C</b>"])
    html = client.get("/").content.decode()
    assert 'class="tag-w5" href="/tag/common/" title="8 posts">common<' in html
    assert 'class="tag-w1" href="/tag/rare/" title="1 post">rare<' in html
    assert 'class="tag-w3" href="/tag/middling/" title="3 posts">middling<' in html
    assert 'href="/tag/bccb/" title="1 post">&lt;b&gt;C&amp;C&lt;/b&gt;<' in html  # a tag's name is text


def test_stuff_i_use_links_to_existing_tags_only(client, blog):
    BlogPageFactory(parent=blog, tags=["Sublime Text"])
    settings = SidebarSettings.for_site(Site.objects.get(is_default_site=True))
    settings.stuff_i_use = [StuffIUse(name="Emacs"), StuffIUse(name="Sublime Text")]
    settings.save()
    html = client.get("/").content.decode()
    stuff = html[html.index("Stuff I Use") :]
    assert '<li><a href="/tag/sublime-text/">Sublime Text</a></li>' in stuff
    assert "<li>Emacs</li>" in stuff
    assert stuff.index("Emacs") < stuff.index("Sublime Text")  # the editor's order


def test_spam_report_uses_the_editors_numbers(client, blog):
    settings = SidebarSettings.for_site(Site.objects.get(is_default_site=True))
    settings.spam_baseline, settings.spam_since_year = 1234, 2011
    settings.save()
    assert 'At least <strong class="spam-count">1234</strong> pieces of comment spam killed since 2011' in (
        client.get("/").content.decode()
    )


def test_drafts_never_appear(client, blog):
    BlogPageFactory(parent=blog, title="Published post", tags=["shared"])
    draft = BlogPageFactory(parent=blog, title="Secret draft", slug="secret", live=False, tags=["shared", "draftonly"])
    unpublished = BlogPageFactory(parent=blog, title="Withdrawn post", slug="withdrawn", tags=["gone"])
    unpublished.unpublish()
    pages = [client.get(url).content.decode() for url in ["/", "/tag/shared/", "/search/?q=post"]]
    for html in pages:
        assert "Published post" in html
        assert "Secret draft" not in html and "Withdrawn post" not in html
        assert "/tag/draftonly/" not in html and "/tag/gone/" not in html
    for url in [draft.url or "/secret/", "/withdrawn/", "/tag/draftonly/", "/tag/gone/"]:
        assert client.get(url).status_code == 404


def test_scheduled_post_waits_for_its_time(client, blog):
    post = BlogPageFactory(parent=blog, title="Future post", slug="future", live=False)
    post.go_live_at = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    post.save_revision().publish()
    assert not BlogPage.objects.get(pk=post.pk).live
    assert "Future post" not in client.get("/").content.decode()


def test_preview_renders_the_post_template_with_unsaved_markdown(blog):
    post = BlogPageFactory(parent=blog, title="Preview me", body="old")
    post.body = "# New heading\n\nnew *text*"
    response = post.make_preview_request()
    html = response.content.decode()
    assert response.status_code == 200
    assert "<em>text</em>" in html and "Preview me" in html


def test_markdown_for_programmers(client, blog):
    target = BlogPageFactory(parent=blog, title="Target", slug="target")
    body = (
        f"## Setting up\n\nA claim.[^1]\n\nSee [the other post](page:{target.pk}).\n\n"
        "```sql\nSELECT 1;\n```\n\n[^1]: The footnote.\n"
    )
    BlogPageFactory(parent=blog, slug="extras", body=body)
    html = client.get("/extras/").content.decode()
    assert '<h2 id="setting-up">Setting up</h2>' in html  # an anchor to link to
    assert 'class="footnote"' in html and "The footnote." in html
    assert '<a href="/target/">the other post</a>' in html
    assert '<span class="k">SELECT</span>' in html


def test_code_colours_are_readable_on_the_code_panel_in_light_and_dark_schemes():
    """WCAG AA (4.5:1) for every token colour on the panel code sits on; the stylesheet is the generator's."""
    from blog.management.commands import pygments_css

    css = pygments_css.OUTPUT.read_text()
    assert css == pygments_css.stylesheet(), "static/vendor/pygments/pygments.css is stale: run make pygments-css"
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    for part, (_, panel, _) in zip([light, dark], pygments_css.SCHEMES, strict=True):
        colours = pygments_css.COLOUR.findall(part)
        assert len(colours) > 20 and ".highlight .c1 " in part
        assert min(pygments_css.contrast(colour, panel) for colour in colours) >= 4.5


def test_only_pages_showing_code_load_its_stylesheet(client, blog):
    BlogPageFactory(parent=blog, slug="prose", body="Just words.")
    assert "pygments.css" not in client.get("/prose/").content.decode()
    BlogPageFactory(parent=blog, slug="code", body="```python\nx = 1\n```")
    html = client.get("/code/").content.decode()
    assert html.count("pygments.css") == 1 and html.index("pygments.css") < html.index('class="highlight"')
    assert "pygments.css" in client.get("/").content.decode()  # the front page shows the post with code


def test_preview_of_a_post_never_saved(blog):
    post = BlogPage(title="Brand new", slug="brand-new", summary="New.", body="```python\nx = 1\n```")
    post.tags.add("fresh")
    post.set_url_path(blog)
    response = post.make_preview_request()
    html = response.content.decode()
    assert response.status_code == 200
    assert "Brand new" in html and '<div class="highlight">' in html and ">fresh</a>" in html


def test_preview_shows_unsaved_tags_of_a_published_post(blog):
    post = BlogPageFactory(parent=blog, title="Tagged", tags=["old-tag"])
    post.tags.set(["new-tag"])
    html = post.make_preview_request().content.decode()
    post_tags = html.split('class="post-tags"')[1].split("</p>")[0]
    assert ">new-tag</a>" in post_tags and ">old-tag</a>" not in post_tags


def test_a_preview_never_shows_the_live_posts_kept_fragment_nor_leaves_its_own(client, blog):
    post = BlogPageFactory(parent=blog, title="Kept", slug="kept", body="The live words.")
    assert "The live words." in client.get("/kept/").content.decode()  # now kept as a fragment
    post.body = "The draft words."
    preview = post.make_preview_request().content.decode()
    assert "The draft words." in preview and "The live words." not in preview
    live = client.get("/kept/").content.decode()
    assert "The live words." in live and "The draft words." not in live


def test_the_blogs_own_addresses_come_before_a_post_of_the_same_name(client, blog):
    """Posts are found in one query (blog/models.py), after the routes, as Wagtail orders them."""
    BlogPageFactory(parent=blog, title="Feed me", slug="feed")
    BlogPageFactory(parent=blog, title="A post", slug="a-post", body="Found.")
    assert client.get("/feed/")["Content-Type"].startswith("application/rss+xml")
    assert "Found." in client.get("/a-post/").content.decode()
    assert client.get("/a-post/more/").status_code == 404


def test_the_page_chrome_a_validator_and_lighthouse_accept(client, post, settings):
    """A favicon, a front-page title that names the site once, no canonical address for a missing page, and
    comment times in the precision HTML allows (at most three fractional digits: here none)."""
    from .factories import CommentFactory

    front = client.get("/").content.decode()
    assert "<title>E-Scribe : a programmer’s blog</title>" in front
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in front
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon["Location"] == "/static/favicon.ico"
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert 'rel="canonical"' not in missing.content.decode() and 'property="og:url"' not in missing.content.decode()
    assert '<meta name="robots" content="noindex">' in missing.content.decode()
    CommentFactory(post=post, status="approved", name="Grace")
    html = client.get("/a-post/").content.decode()
    stamp = re.search(r'<time datetime="([^"]+)">\w+ \d+\w\w, \d{4}, ', html)[1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp
    assert '<h3 class="comment-author">Grace</h3>' in html  # each comment <article> has a heading
