"""The WordPress export reader (blog/importers/wordpress.py): WXR 1.0 to 1.2 streamed into Post records,
hostile or broken files refused or read as far as they can be, and WordPress's ways with text undone."""

import datetime
import gzip
import io
import os
import time
import tracemalloc
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from blog.importers import wordpress
from blog.importers.records import NotAnExport, Report
from blog.importers.wordpress import WordPressExport

SITE = "https://example.com"
NEW_YORK = ZoneInfo("America/New_York")


def wxr(*items, version="1.2", blog_url=SITE, site_url=SITE, doctype=""):
    """A WXR file's text around ``items``, with the namespaces WordPress declares."""
    wp = f"http://wordpress.org/export/{version}/"
    return f"""<?xml version="1.0" encoding="UTF-8" ?>{doctype}
<rss version="2.0" xmlns:excerpt="{wp}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
    xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{wp}">
<channel>
    <title>E-Scribe</title>
    <link>{blog_url}</link>
    <wp:wxr_version>{version}</wp:wxr_version>
    <wp:base_site_url>{site_url}</wp:base_site_url>
    <wp:base_blog_url>{blog_url}</wp:base_blog_url>
    <wp:author><wp:author_login><![CDATA[pat]]></wp:author_login></wp:author>
{"".join(items)}
</channel>
</rss>
"""


def item(
    post_id=1,
    title="Hello",
    content="Hello world.",
    *,
    status="publish",
    post_type="post",
    name="hello",
    date="2010-05-03 10:00:00",
    date_gmt="2010-05-03 14:00:00",
    link=None,
    excerpt="",
    extra="",
):
    """One <item>; a field given as None is left out."""
    link = f"{SITE}/2010/05/03/{name}/" if link is None else link
    fields = {
        "title": title,
        "link": link,
        "dc:creator": "<![CDATA[pat]]>",
        "content:encoded": f"<![CDATA[{content}]]>" if content is not None else None,
        "excerpt:encoded": f"<![CDATA[{excerpt}]]>",
        "wp:post_id": post_id,
        "wp:post_date": date,
        "wp:post_date_gmt": date_gmt,
        "wp:post_name": name,
        "wp:status": status,
        "wp:post_type": post_type,
        "wp:comment_status": "open",
    }
    written = "".join(f"<{key}>{value}</{key}>\n" for key, value in fields.items() if value is not None)
    return f"<item>\n{written}{extra}</item>\n"


def comment(comment_id, parent=0, *, author="Ann", ip="192.0.2.1", approved="1", kind="", content="Nice post."):
    return f"""<wp:comment>
    <wp:comment_id>{comment_id}</wp:comment_id>
    <wp:comment_author><![CDATA[{author}]]></wp:comment_author>
    <wp:comment_author_email><![CDATA[ann@example.com]]></wp:comment_author_email>
    <wp:comment_author_url>https://ann.example</wp:comment_author_url>
    <wp:comment_author_IP><![CDATA[{ip}]]></wp:comment_author_IP>
    <wp:comment_date>2010-05-04 09:00:00</wp:comment_date>
    <wp:comment_date_gmt>2010-05-04 13:00:00</wp:comment_date_gmt>
    <wp:comment_content><![CDATA[{content}]]></wp:comment_content>
    <wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
    <wp:comment_type><![CDATA[{kind}]]></wp:comment_type>
    <wp:comment_parent>{parent}</wp:comment_parent>
</wp:comment>
"""


@pytest.fixture
def export(tmp_path):
    """Write a file (text or bytes) to tmp_path and return its path."""

    def write(content, name="export.xml"):
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return write


def read(path, uploads=None):
    """The posts and report of an export: ``path`` a file, or a WordPressExport made with options."""
    report = Report()
    export = path if isinstance(path, WordPressExport) else WordPressExport(path, uploads)
    return list(export.posts(report)), report


def read_one(export, *items, **channel):
    posts, report = read(export(wxr(*items, **channel)))
    assert len(posts) == 1
    return posts[0], report


def warnings_of(report):
    return [message for _, message in report.warnings]


# Versions and refusals


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_version_is_read(export, version):
    post, _ = read_one(export, item(title="Hi", content="Body text.", excerpt="Short."), version=version)
    assert (post.title, post.body, post.summary, post.source_id) == (
        "Hi",
        "Body text.\n",
        "Short.",
        f"wordpress:{SITE}:1",
    )


RSS_FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title><item><title>A</title></item></channel></rss>'
)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\x00" * 10, "not XML"),
        ("Just some words, not XML at all.", "not XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not XML"),
        ("<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Hi<br></body></html>", "web page"),
        (RSS_FEED, "RSS feed"),
        ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>', "not a WordPress"),
        (gzip.compress(wxr(item()).encode()), "compressed"),
    ],
)
def test_what_is_not_an_export_is_refused_before_any_post(export, content, says):
    with pytest.raises(NotAnExport, match=says):
        next(WordPressExport(export(content)).posts(Report()))


def test_a_zipped_export_is_refused_saying_to_unzip_it(export, tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("export.xml", wxr(item()))
    with pytest.raises(NotAnExport, match="unpack it"):
        next(WordPressExport(export(archive.getvalue(), "export.zip")).posts(Report()))


# Hostile and broken files


def test_billion_laughs_entities_are_not_expanded(export):
    """libxml2 stops at the first reference (its amplification limit): what came before is read, with a warning."""
    levels = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    doctype = f"\n<!DOCTYPE rss [\n{chr(10).join(levels)}\n]>"  # 10⁹ "lol"s if expanded
    laughing = item(2, title="Laughs &lol9; here", content="&lol9;")
    posts, report = read(export(wxr(item(1, title="Before"), laughing, doctype=doctype)))
    assert "lol" not in repr([post.__dict__ for post in posts])
    assert posts[0].title == "Before"
    assert any("amplification" in message for message in warnings_of(report))


@pytest.mark.parametrize("target", ["file:///etc/passwd", "SECRET_FILE", "http://10.255.255.1/secret.txt"])
def test_external_entities_are_neither_read_nor_fetched(export, tmp_path, target):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    target = secret.as_uri() if target == "SECRET_FILE" else target
    doctype = f'\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{target}">\n<!ENTITY % remote SYSTEM "{target}">\n%remote;\n]>'
    started = time.monotonic()
    posts, _ = read(export(wxr(item(title="A &xxe; B", content="Body"), doctype=doctype)))
    assert time.monotonic() - started < 2
    everything = repr([post.__dict__ for post in posts])
    assert "TOP SECRET" not in everything
    assert "root:" not in everything
    assert posts[0].title == "A  B"


def test_an_external_dtd_is_not_fetched(export):
    doctype = '\n<!DOCTYPE rss SYSTEM "http://10.255.255.1/evil.dtd">'
    started = time.monotonic()
    post, _ = read_one(export, item(title="Fine"), doctype=doctype)
    assert (post.title, time.monotonic() - started < 2) == ("Fine", True)


def test_control_characters_are_stripped_with_one_warning(export):
    text = wxr(item(title="Tab\x01ula\x0b rasa", content="Form\x0cfeed\x00 and\x1f more"))
    posts, report = read(export(text))
    post = posts[0]
    assert (post.title, post.body) == ("Tabula rasa", "Formfeed and more\n")
    assert warnings_of(report) == ["removed 5 control characters XML does not allow"]


def test_malformed_xml_warns_where_and_reads_the_items_around_it(export):
    broken = "<item><title>Bad & co</title><wp:post_id>2</wp:post_id></itemm>\n"
    text = wxr(item(1, title="Before", name="before"), broken, item(3, title="After", name="after"))
    line = text.splitlines().index(broken.strip()) + 1
    posts, report = read(export(text))
    assert [post.title for post in posts][::2] == ["Before", "After"]
    assert any(message.startswith(f"malformed XML at line {line}, column ") for message in warnings_of(report))


def test_an_unclosed_item_does_not_hide_the_ones_after_it(export):
    unclosed = item(2, title="Unclosed", name="unclosed").replace("</item>", "")
    posts, report = read(export(wxr(item(1, title="Before"), unclosed, item(3, title="After"))))
    assert {"Before", "After"} <= {post.title for post in posts}
    assert any("malformed XML" in message for message in warnings_of(report))


def test_blank_lines_before_the_xml_declaration_are_survived(export):
    """A theme or plugin that echoes whitespace puts it before <?xml: a classic of real exports."""
    posts, report = read(export("\n\n  " + wxr(item(title="Still here"))))
    assert [post.title for post in posts] == ["Still here"]
    assert any("malformed XML at line 3" in message for message in warnings_of(report))


def test_an_item_that_cannot_be_read_is_skipped_and_the_rest_imported(export, monkeypatch):
    real = wordpress.convert

    def fragile(content):
        if "boom" in content:
            raise ValueError("kaboom")
        return real(content)

    monkeypatch.setattr(wordpress, "convert", fragile)
    posts, report = read(
        export(wxr(item(1, title="One"), item(2, title="Two", content="boom"), item(3, title="Three")))
    )
    assert [post.title for post in posts] == ["One", "Three"]
    assert report.skipped == [(f"“Two” (wordpress:{SITE}:2)", "could not be read: kaboom")]


def test_missing_fields_are_defaults_with_warnings_not_errors(export):
    post, report = read_one(export, "<item><wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type></item>")
    assert (post.title, post.slug, post.status, post.body) == ("Untitled post 9", "post-9", "draft", "\n")
    assert len(report.warnings) >= 3


# Items and statuses


@pytest.mark.parametrize(
    ("status", "expected"),
    [("publish", "live"), ("future", "scheduled"), ("draft", "draft"), ("pending", "draft"), ("private", "draft")],
)
def test_statuses(export, status, expected):
    post, report = read_one(export, item(status=status))
    assert post.status == expected
    assert ("private in WordPress: imported as a draft" in warnings_of(report)) == (status == "private")


@pytest.mark.parametrize("status", ["trash", "auto-draft", "inherit"])
def test_trashed_auto_drafts_and_revisions_are_skipped(export, status):
    posts, report = read(export(wxr(item(status=status))))
    assert posts == []
    assert len(report.skipped) == 1


def test_pages_are_skipped_one_by_one_and_other_types_summed_up(export):
    items = [
        item(1, title="About", post_type="page"),
        item(2, title="Photo", post_type="attachment", status="inherit"),
        item(3, title="Photo 2", post_type="attachment", status="inherit"),
        item(4, title="Home", post_type="nav_menu_item"),
        item(5, title="Styles", post_type="wp_global_styles"),
        item(6, title="Post", post_type="post"),
    ]
    posts, report = read(export(wxr(*items)))
    assert [post.title for post in posts] == ["Post"]
    assert report.skipped == [
        (f"“About” (wordpress:{SITE}:1)", "WordPress pages are not imported, only posts (unless asked: --pages)"),
        ("2 attachment items", "attachments are read only for the images posts use"),
        ("1 nav_menu_item item", "menus are not imported"),
        ("1 wp_global_styles item", "WordPress's own settings and templates, not content"),
    ]


def test_password_and_closed_comments(export):
    closed = item().replace("<wp:comment_status>open", "<wp:comment_status>closed")
    post, _ = read_one(export, closed.replace("</item>", "<wp:post_password>sesame</wp:post_password></item>"))
    assert (post.password, post.comments_open) == ("sesame", False)


def test_source_id_uses_the_blog_url_and_titles_are_unescaped(export):
    post, _ = read_one(export, item(42, title="Tom &amp;amp; Jerry&#8217;s"), blog_url="https://example.com/blog/")
    assert (post.source_id, post.title) == ("wordpress:https://example.com/blog:42", "Tom & Jerry’s")


def test_titles_lose_their_html(export):
    post, _ = read_one(export, item(title="<![CDATA[Title <em>With</em> <b>Mark<sup>up</sup></b> &amp; more]]>"))
    assert post.title == "Title With Markup & more"


def test_an_export_without_a_blog_url_says_so(export):
    text = wxr(item(7)).replace(f"<link>{SITE}</link>", "").replace(SITE, "")
    posts, report = read(export(text))
    assert posts[0].source_id == "wordpress::7"
    assert ("export.xml", "no blog URL in the export: source IDs and old paths are the posts' own") in report.warnings


# Dates


def test_the_gmt_date_is_used_when_there_is_one(export):
    post, report = read_one(export, item(date="2010-05-03 10:00:00", date_gmt="2010-05-03 14:00:00"))
    assert post.date == datetime.datetime(2010, 5, 3, 14, tzinfo=datetime.UTC)
    assert not report.warnings


def test_without_gmt_the_local_date_is_read_in_the_sites_zone(export):
    post, report = read_one(export, item(status="draft", date="2010-05-03 10:00:00", date_gmt="0000-00-00 00:00:00"))
    assert post.date == datetime.datetime(2010, 5, 3, 10, tzinfo=NEW_YORK)
    assert "no GMT date: read 2010-05-03 10:00:00 in America/New_York" in warnings_of(report)


def test_without_wordpress_dates_pubdate_is_read(export):
    dated = item(date=None, date_gmt=None).replace(
        "</item>", "<pubDate>Mon, 03 May 2010 14:00:00 +0000</pubDate></item>"
    )
    post, report = read_one(export, dated)
    assert post.date == datetime.datetime(2010, 5, 3, 14, tzinfo=datetime.UTC)
    assert not report.warnings


def test_without_any_date_it_is_dated_now_with_a_warning(export):
    post, report = read_one(export, item(date=None, date_gmt=None))
    assert abs(post.date - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)
    assert "no date in the export: dated now" in warnings_of(report)


# Slugs


def test_percent_encoded_slugs_are_decoded(export):
    post, _ = read_one(export, item(name="%e6%97%a5%e6%9c%ac-caf%c3%a9"))
    assert post.slug == "日本-café"


def test_an_empty_slug_is_made_from_the_title(export):
    post, report = read_one(export, item(title="Café Society", name="", status="draft", link=f"{SITE}/?p=1"))
    assert post.slug == "café-society"
    assert "no slug in the export: made “café-society” from the title" in warnings_of(report)


def test_without_slug_or_title_the_slug_is_the_id(export):
    post, report = read_one(export, item(7, title="", name=""))
    assert (post.title, post.slug) == ("Untitled post 7", "post-7")
    assert "no slug in the export: named it “post-7”" in warnings_of(report)
    assert "no title in the export: named it “Untitled post 7”" in warnings_of(report)


# Body


def test_wpautop_makes_paragraphs_and_line_breaks(export):
    post, _ = read_one(export, item(content="First line\nsecond line\n\nNext paragraph"))
    assert post.body == "First line  \nsecond line\n\nNext paragraph\n"


def test_wpautop_leaves_pre_and_block_tags_alone(export):
    content = "Intro\n<pre>line one\n\nline three</pre>\n<ul>\n<li>item</li>\n</ul>"
    post, _ = read_one(export, item(content=content))
    assert post.body == "Intro\n\n```\nline one\n\nline three\n```\n\n- item\n"


def test_block_editor_posts_lose_their_comments_and_are_not_autopd(export):
    content = (
        '<!-- wp:paragraph {"className":"x"} -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->\n\n'
        '<!-- wp:code -->\n<pre class="wp-block-code"><code>x = 1</code></pre>\n<!-- /wp:code -->'
    )
    post, _ = read_one(export, item(content=content))
    assert post.body == "One\ntwo\n\n```\nx = 1\n```\n"


@pytest.mark.parametrize(
    "content",
    [
        '[code lang="python"]\nif a &lt; b:\n    pass\n[/code]',
        '[sourcecode language="python"]\nif a < b:\n    pass\n[/sourcecode]',
        "[python]\nif a < b:\n    pass\n[/python]",
        '<pre class="brush: python; gutter: false">if a &lt; b:\n    pass</pre>',
    ],
)
def test_code_shortcodes_and_brushes_become_fenced_code(export, content):
    post, report = read_one(export, item(content=f"Code:\n\n{content}\n\nDone."))
    assert post.body == "Code:\n\n```python\nif a < b:\n    pass\n```\n\nDone.\n"
    assert not report.warnings


def test_captions_become_the_image_and_an_emphasised_line(export):
    content = (
        '[caption id="attachment_5" align="alignleft" width="300"]'
        '<img src="https://cdn.example.net/photo.jpg" alt="A dog" width="300" /> My dog, Rex[/caption]'
    )
    post, _ = read_one(export, item(content=content))
    assert post.body == "![A dog](https://cdn.example.net/photo.jpg)\n\n*My dog, Rex*\n"


@pytest.mark.parametrize(
    "content",
    [
        "[embed]https://www.youtube.com/watch?v=abc[/embed]",
        "[youtube https://www.youtube.com/watch?v=abc]",
        "[youtube=https://www.youtube.com/watch?v=abc]",
        "https://www.youtube.com/watch?v=abc",
    ],
)
def test_embeds_become_links(export, content):
    post, _ = read_one(export, item(content=f"Watch:\n\n{content}\n\nThe end."))
    assert post.body == "Watch:\n\n<https://www.youtube.com/watch?v=abc>\n\nThe end.\n"


@pytest.mark.parametrize(
    "content",
    [
        '[audio src="https://example.com/a.mp3"]',
        '[audio mp3="https://example.com/a.mp3"][/audio]',
        "[audio https://example.com/a.mp3]",
        '[video width="640" mp4="https://example.com/a.mp3"][/video]',
    ],
)
def test_audio_and_video_shortcodes_become_links_to_the_file(export, content):
    post, report = read_one(export, item(content=f"Listen:\n\n{content}\n\nThe end."))
    assert post.body == "Listen:\n\n<https://example.com/a.mp3>\n\nThe end.\n"
    assert not report.warnings


@pytest.mark.parametrize(
    ("content", "link"),
    [
        (
            '<iframe src="https://www.youtube.com/embed/abc?rel=0" width="560"></iframe>',
            "https://www.youtube.com/watch?v=abc",
        ),
        ('<iframe src="//player.vimeo.com/video/42"></iframe>', "https://vimeo.com/42"),
        (
            '<iframe src="https://maps.example.com/embed?q=1&amp;z=2"></iframe>',
            "https://maps.example.com/embed?q=1&z=2",
        ),
        (
            '<figure class="wp-block-audio"><audio controls src="https://example.com/a.mp3"></audio></figure>',
            "https://example.com/a.mp3",
        ),
        (
            '<figure class="wp-block-video"><video controls src="https://example.com/a.mov"></video></figure>',
            "https://example.com/a.mov",
        ),
    ],
)
def test_players_become_links_to_what_they_play(export, content, link):
    post, _ = read_one(export, item(content=f"<p>Watch:</p>\n{content}\n<p>The end.</p>"))
    assert post.body == f"Watch:\n\n<{link}>\n\nThe end.\n"


def test_a_multiline_code_on_lines_of_its_own_becomes_a_code_block(export):
    content = "Some CSS:\n<code>.title {\n\tmargin: 0;\n}</code>\nInline <code>a &lt; b</code> stays."
    post, _ = read_one(export, item(content=content))
    assert post.body == "Some CSS:\n\n```\n.title {\n\tmargin: 0;\n}\n```\n\nInline `a < b` stays.\n"


def test_nested_lists_are_indented_four_spaces_and_items_of_paragraphs_end_with_a_blank_line(export):
    content = (
        "<ul><li>One<ul><li>Two<ol><li>Three</li></ol></li></ul></li><li><p>Four</p><p>More</p></li><li>Five</li></ul>"
    )
    post, _ = read_one(export, item(content=content))
    assert post.body == "- One\n    - Two\n        1. Three\n- Four\n\n    More\n\n- Five\n"


def test_a_tables_footer_rows_come_last_as_plain_rows(export):
    content = (
        "<table><thead><tr><th>Item</th><th>Cost</th></tr></thead>"
        "<tfoot><tr><th>Total</th><th>$3</th></tr></tfoot>"
        "<tbody><tr><td>Tea</td><td>$3</td></tr></tbody></table>"
    )
    post, _ = read_one(export, item(content=content))
    assert post.body == "| Item | Cost |\n| --- | --- |\n| Tea | $3 |\n| Total | $3 |\n"


def test_pipes_in_table_cells_are_escaped_outside_code(export):
    post, _ = read_one(export, item(content="<table><tr><td>a | b</td><td><code>x|y</code></td></tr></table>"))
    assert "| a \\| b | `x|y` |" in post.body


@pytest.mark.parametrize(
    ("content", "markdown"),
    [
        ("This is <strong>bold <strong>text.</strong></strong>", "This is **bold text.**"),
        ("E = MC<sup>2</sup>", "E = MC<sup>2</sup>"),
        ("<blockquote><p>Quote</p><cite>Someone</cite></blockquote>", "> Quote\n>\n> *Someone*"),
    ],
)
def test_inline_markup_keeps_its_meaning(export, content, markdown):
    post, _ = read_one(export, item(content=content))
    assert post.body == markdown + "\n"


def test_unknown_shortcodes_stay_with_one_warning_naming_them(export):
    content = '[gallery ids="1,2"]\n\n[contact-form-7 id="3"]\n\n[gallery]\n\nSee [1] and [sic].'
    post, report = read_one(export, item(content=content))
    assert '[gallery ids="1,2"]' in post.body
    assert warnings_of(report) == ["unknown shortcodes left as text: [gallery], [contact-form-7]"]


def test_summary_is_the_excerpt_when_there_is_one(export):
    post, _ = read_one(export, item(content="Body first.<!--more-->Rest.", excerpt="<p>The <b>excerpt</b>.</p>"))
    assert post.summary == "The excerpt."


def test_summary_is_the_text_before_more_and_more_leaves_the_body(export):
    post, _ = read_one(export, item(content="Teaser here.\n\n<!--more-->\n\nThe rest. And more."))
    assert post.summary == "Teaser here."
    assert post.body == "Teaser here.\n\nThe rest. And more.\n"
    assert "more" not in post.body.replace("And more", "")


def test_summary_is_the_first_sentences_without_excerpt_or_more(export):
    post, _ = read_one(export, item(content="One sentence. " * 40))
    assert post.summary.startswith("One sentence. One sentence.")
    assert len(post.summary) <= 300


# Images


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2010" / "05").mkdir(parents=True)
    for name in ("photo.jpg", "big-scaled.jpg", "日本.png"):
        (folder / "2010" / "05" / name).write_bytes(b"image")
    return folder


def image_post(export, uploads, *sources):
    content = "\n\n".join(f'<img src="{source}" alt="x" />' for source in sources)
    posts, report = read(export(wxr(item(content=content))), uploads)
    return posts[0], warnings_of(report)


@pytest.mark.parametrize(
    "source",
    [
        f"{SITE}/wp-content/uploads/2010/05/photo.jpg",
        "http://www.example.com/wp-content/uploads/2010/05/photo.jpg",
        "/wp-content/uploads/2010/05/photo.jpg",
        "https://old-host.example.org/blog/wp-content/uploads/2010/05/photo.jpg",
    ],
)
def test_uploaded_images_are_found_in_the_uploads_folder(export, uploads, source):
    post, warnings = image_post(export, uploads, source)
    assert post.images == {source: uploads / "2010/05/photo.jpg"}
    assert warnings == []


def test_percent_encoded_image_names_are_decoded(export, uploads):
    source = f"{SITE}/wp-content/uploads/2010/05/%E6%97%A5%E6%9C%AC.png"
    post, _ = image_post(export, uploads, source)
    assert post.images == {source: uploads / "2010/05/日本.png"}


@pytest.mark.parametrize(("name", "file"), [("photo-300x200.jpg", "photo.jpg"), ("big-1024x768.jpg", "big-scaled.jpg")])
def test_a_resized_copy_falls_back_to_its_original(export, uploads, name, file):
    source = f"{SITE}/wp-content/uploads/2010/05/{name}"
    post, warnings = image_post(export, uploads, source)
    assert post.images == {source: uploads / "2010/05" / file}
    assert warnings == []


def test_missing_images_warn_once_each_and_other_sites_images_are_left_alone(export, uploads):
    missing = f"{SITE}/wp-content/uploads/2010/05/gone.jpg"
    post, warnings = image_post(export, uploads, missing, missing, "https://flickr.example/p.jpg")
    assert post.images == {}
    assert warnings == [f"missing image: {missing}"]


def test_without_an_uploads_folder_every_uploaded_image_is_missing(export):
    source = f"{SITE}/wp-content/uploads/2010/05/photo.jpg"
    post, warnings = image_post(export, None, source)
    assert (post.images, warnings) == ({}, [f"missing image: {source}"])


def test_an_image_path_cannot_leave_the_uploads_folder(export, uploads):
    (uploads.parent / "private.jpg").write_bytes(b"secret")
    source = f"{SITE}/wp-content/uploads/../private.jpg"
    post, warnings = image_post(export, uploads, source)
    assert (post.images, warnings) == ({}, [f"missing image: {source}"])


def test_images_through_jetpacks_image_cdn_are_found_in_the_uploads_folder(export, uploads):
    source = "https://i0.wp.com/example.com/wp-content/uploads/2010/05/photo.jpg?w=604"
    post, warnings = image_post(export, uploads, source)
    assert post.images == {source: uploads / "2010/05/photo.jpg"}
    assert warnings == []


def test_attachments_read_before_map_custom_upload_urls(export, uploads):
    attachment = item(5, title="Photo", post_type="attachment", status="inherit").replace(
        "</item>",
        "<wp:attachment_url>https://cdn.example.net/media/2010/05/photo.jpg</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        "<wp:meta_value><![CDATA[2010/05/photo.jpg]]></wp:meta_value></wp:postmeta></item>",
    )
    source = "https://cdn.example.net/media/2010/05/photo-150x150.jpg"
    posts, report = read(export(wxr(attachment, item(content=f'<img src="{source}" />'))), uploads)
    assert posts[0].images == {source: uploads / "2010/05/photo.jpg"}


# Tags


def test_categories_and_tags_are_deduplicated_and_uncategorized_dropped(export):
    categories = (
        '<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>'
        '<category domain="category" nicename="python"><![CDATA[Python]]></category>'
        '<category domain="post_tag" nicename="python"><![CDATA[python]]></category>'
        '<category domain="post_tag" nicename="r-d"><![CDATA[R &amp; D]]></category>'
        '<category domain="post_format" nicename="post-format-aside"><![CDATA[Aside]]></category>'
        "<category><![CDATA[Python]]></category><category><![CDATA[Django]]></category>"
    )
    post, _ = read_one(export, item(extra=categories))
    assert post.tags == ["Python", "R & D", "Django"]


# Old paths


def test_old_paths_are_the_link_the_id_and_the_date_permalinks(export):
    post, _ = read_one(export, item(12, name="hello", date="2010-05-03 22:30:00", date_gmt="2010-05-04 02:30:00"))
    assert post.old_paths == ["/2010/05/03/hello/", "/?p=12", "/2010/05/hello/"]


def test_old_paths_are_relative_to_a_blog_in_a_subfolder(export):
    blog = f"{SITE}/blog"
    post, _ = read_one(export, item(3, name="hi", link=f"{blog}/archives/hi/"), blog_url=blog)
    assert post.old_paths == ["/archives/hi/", "/?p=3", "/2010/05/03/hi/", "/2010/05/hi/"]


def test_a_drafts_old_path_is_its_query_link(export):
    post, _ = read_one(export, item(8, name="", status="draft", link=f"{SITE}/?p=8"))
    assert post.old_paths == ["/?p=8"]


def test_old_paths_are_url_decoded(export):
    post, _ = read_one(export, item(4, name="%e6%97%a5", link=f"{SITE}/%e6%97%a5/"))
    assert post.old_paths == ["/日/", "/?p=4", "/2010/05/03/日/", "/2010/05/日/"]


# Comments


def test_comments_keep_their_threads(export):
    post, _ = read_one(export, item(extra=comment(10) + comment(11, parent=10) + comment(12, parent=99)))
    parents = {c.source_id.rsplit(":", 1)[1]: c.parent_id for c in post.comments}
    assert parents == {"10": None, "11": f"wordpress:{SITE}:comment:10", "12": None}
    first = post.comments[0]
    assert (first.name, first.email, first.url, first.ip, first.text) == (
        "Ann",
        "ann@example.com",
        "https://ann.example",
        "192.0.2.1",
        "Nice post.",
    )
    assert first.created == datetime.datetime(2010, 5, 4, 13, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("approved", "status"), [("1", "approved"), ("0", "pending")])
def test_comment_statuses(export, approved, status):
    post, _ = read_one(export, item(extra=comment(1, approved=approved)))
    assert post.comments[0].status == status


def test_spam_and_trashed_comments_are_counted_not_imported(export):
    kinds = comment(1, approved="spam") + comment(2, approved="trash") + comment(3, approved="post-trashed")
    posts, report = read(export(wxr(item(1, extra=kinds + comment(4)))))
    assert [c.source_id.rsplit(":", 1)[-1] for c in posts[0].comments] == ["4"]
    assert report.skipped == [
        ("1 spam comment", "spam and trashed comments are not imported"),
        ("2 trashed comments", "spam and trashed comments are not imported"),
    ]


def test_pages_and_pingbacks_come_in_when_asked(export):
    page = item(1, title="About", post_type="page", extra=comment(1, kind="pingback"))
    posts, report = read(WordPressExport(export(wxr(page)), pages=True, pings=True))
    assert [post.title for post in posts] == ["About"] and len(posts[0].comments) == 1
    assert report.skipped == []


def test_pingbacks_and_trackbacks_are_counted_not_imported(export):
    pings = comment(1, kind="pingback") + comment(2, kind="trackback") + comment(3)
    posts, report = read(export(wxr(item(1, extra=pings), item(2, extra=comment(4, kind="pingback")))))
    assert [len(post.comments) for post in posts] == [1, 0]
    assert report.skipped == [
        (
            "3 pingbacks and trackbacks",
            "pingbacks and trackbacks are not imported, only comments (unless asked: --pingbacks)",
        )
    ]


@pytest.mark.parametrize("ip", ["", "not-an-ip", "999.1.1.1"])
def test_an_invalid_comment_ip_is_none(export, ip):
    post, _ = read_one(export, item(extra=comment(1, ip=ip)))
    assert post.comments[0].ip is None


def test_an_anonymous_comment_is_named_so_and_its_html_is_plain_text_as_the_form_takes_it(export):
    content = 'Line one\nline <b>two</b>, <a href="https://example.org/x">see</a>\n\nMore'
    post, _ = read_one(export, item(extra=comment(1, author="", content=content)))
    assert (post.comments[0].name, post.comments[0].text) == (
        "Anonymous",
        "Line one\nline two, see (https://example.org/x)\n\nMore",
    )


def test_a_comment_agent_is_kept_when_the_export_has_one(export):
    agent = comment(1).replace("</wp:comment>", "<wp:comment_agent>Mozilla/5.0</wp:comment_agent></wp:comment>")
    post, _ = read_one(export, item(extra=agent))
    assert post.comments[0].user_agent == "Mozilla/5.0"


# Streaming


def resident_bytes():
    """This process's resident memory, libxml2's included (which tracemalloc does not see); None off Linux."""
    statm = Path("/proc/self/statm")
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") if statm.exists() else None


def test_memory_stays_flat_while_streaming_a_large_export(export, monkeypatch):
    """5,000 items of 10 kB (every 50th a post, the rest attachments, which are parsed but not converted)."""
    blob = "<wp:postmeta><wp:meta_key>blob</wp:meta_key><wp:meta_value>{}</wp:meta_value></wp:postmeta>"
    padding = blob.format("x" * 10_000)
    items = [item(n, post_type="attachment" if n % 50 else "post", name=f"p{n}", extra=padding) for n in range(5_000)]
    path = export(wxr(*items))
    size = path.stat().st_size
    siblings, resident = [], []
    real = wordpress.Run.item

    def spy(self, element):
        siblings.append(len(element.getparent()))
        resident.append(resident_bytes())
        yield from real(self, element)

    monkeypatch.setattr(wordpress.Run, "item", spy)
    before = resident_bytes()
    tracemalloc.start()
    try:
        count = sum(1 for _ in WordPressExport(path).posts(Report()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 100
    assert max(siblings) < 50, "the channel keeps the items already read"
    assert peak < size / 20, f"Python objects peaked at {peak} bytes for a {size}-byte file"
    if before is not None:
        assert max(resident) - before < size / 4, "libxml2 keeps the tree"


def test_fraction_read_grows_to_one(export):
    path = export(wxr(*[item(n, content="x" * 2_000) for n in range(200)]))
    reader = WordPressExport(path)
    fractions = [reader.fraction_read()]
    for _ in reader.posts(Report()):
        fractions.append(reader.fraction_read())
    fractions.append(reader.fraction_read())
    assert fractions[0] == 0 and fractions[-1] == 1
    assert fractions == sorted(fractions) and 0 < fractions[50] < 1
