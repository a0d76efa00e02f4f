"""The Markdown-folder reader (Jekyll and Hugo sites) and the zip unpacker, on small sites built in tmp_path."""

import datetime
import io
import json
import os
import stat
import zipfile
import zoneinfo

import pytest

from blog.importers.archive import extract_zip
from blog.importers.markdown_folder import MarkdownFolder
from blog.importers.records import NotAnExport, Report

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
HEAD = "---\ntitle: A\ndate: 2020-01-01\n---\n"  # a Hugo post's front matter
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def write(root, path, text="", data=None):
    """A file under root, its folders made: text, or bytes as ``data``."""
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    if data is not None:
        file.write_bytes(data)
    else:
        file.write_text(text, encoding="utf-8")
    return file


def jekyll(tmp_path, posts, config=""):
    """A Jekyll site: _config.yml and _posts/<name> for each name → text."""
    write(tmp_path, "_config.yml", config)
    for name, text in posts.items():
        write(tmp_path, f"_posts/{name}" if "/" not in name else name, text)
    return tmp_path


def hugo(tmp_path, posts, config='baseURL = "https://example.com/"\n'):
    """A Hugo site: hugo.toml and content/<path> for each path → text."""
    write(tmp_path, "hugo.toml", config)
    for path, text in posts.items():
        write(tmp_path, f"content/{path}", text)
    return tmp_path


def read(root):
    """(posts, report) for the site at root."""
    report = Report()
    return list(MarkdownFolder(root).posts(report)), report


def only(root):
    """The one post of the site at root, and the report."""
    posts, report = read(root)
    assert len(posts) == 1, (posts, report)
    return posts[0], report


def messages(report):
    return [message for _, message in report.warnings]


def fm(**fields):
    """YAML front matter and a body."""
    lines = [f"{key}: {json.dumps(value) if not isinstance(value, str) else value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\nBody text.\n"


# Detection.


def test_a_jekyll_site_is_told_apart(tmp_path):
    jekyll(tmp_path, {"2010-05-03-hello.md": fm(title="Hello")})
    assert MarkdownFolder(tmp_path).label == "Jekyll site"


def test_a_hugo_site_is_told_apart(tmp_path):
    hugo(tmp_path, {"posts/hello.md": fm(title="Hello")})
    assert MarkdownFolder(tmp_path).label == "Hugo site"


def test_a_site_in_the_only_subfolder_is_found(tmp_path):
    jekyll(tmp_path / "myblog-main", {"2010-05-03-hello.md": fm(title="Hello")})
    post, _ = only(tmp_path)
    assert post.source_id == "jekyll:_posts/2010-05-03-hello.md"


def test_a_folder_that_is_neither_is_not_an_export(tmp_path):
    write(tmp_path, "notes/readme.md", "hi")
    with pytest.raises(NotAnExport, match="neither a Jekyll site .* nor a Hugo site"):
        MarkdownFolder(tmp_path)


def test_fraction_read_goes_from_zero_to_one(tmp_path):
    folder = MarkdownFolder(jekyll(tmp_path, {"2010-05-03-a.md": fm(title="A"), "2010-05-04-b.md": fm(title="B")}))
    assert folder.fraction_read() == 0
    posts = folder.posts(Report())
    next(posts)
    assert folder.fraction_read() == 0.5
    list(posts)
    assert folder.fraction_read() == 1


# Jekyll: names, dates, status.


def test_jekyll_slug_and_date_come_from_the_file_name(tmp_path):
    post, report = only(jekyll(tmp_path, {"2010-05-03-my-first-post.md": fm(title="Mine")}))
    assert post.slug == "my-first-post"
    assert post.date == datetime.datetime(2010, 5, 3, tzinfo=NEW_YORK)
    assert post.status == "live"
    assert post.title == "Mine"
    assert report.warnings == []


def test_jekyll_posts_in_subfolders_of_posts_are_read(tmp_path):
    post, _ = only(jekyll(tmp_path, {"_posts/2010/2010-05-03-deep.md": fm(title="Deep")}))
    assert post.source_id == "jekyll:_posts/2010/2010-05-03-deep.md"


def test_jekyll_front_matter_overrides_slug_and_date(tmp_path):
    text = fm(title="T", slug="other", date="2011-01-02 03:04:05 -0500")
    post, _ = only(jekyll(tmp_path, {"2010-05-03-name.md": text}))
    assert post.slug == "other"
    assert post.date == datetime.datetime(2011, 1, 2, 8, 4, 5, tzinfo=datetime.UTC)


def test_jekyll_a_date_without_a_zone_is_in_the_blogs_zone(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-name.md": fm(title="T", date="2010-05-03 14:20")}))
    assert post.date == datetime.datetime(2010, 5, 3, 14, 20, tzinfo=NEW_YORK)


def test_jekyll_a_date_without_a_zone_is_in_the_configured_zone(tmp_path):
    site = jekyll(tmp_path, {"2010-05-03-name.md": fm(title="T", date="2010-05-03 14:20:00")}, "timezone: Europe/Paris")
    post, _ = only(site)
    assert post.date == datetime.datetime(2010, 5, 3, 14, 20, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))


def test_jekyll_an_iso_date_with_its_offset(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-name.md": fm(title="T", date="2010-05-03T14:20:00+02:00")}))
    assert post.date == datetime.datetime(2010, 5, 3, 12, 20, tzinfo=datetime.UTC)


def test_jekyll_a_missing_title_is_made_from_the_slug_with_a_warning(tmp_path):
    post, report = only(jekyll(tmp_path, {"2010-05-03-hello-world.md": "Just text.\n"}))
    assert post.title == "Hello World"
    assert "no title: made one from the file name" in messages(report)


def test_jekyll_a_file_without_a_date_in_its_name_is_skipped_with_a_reason(tmp_path):
    posts, report = read(jekyll(tmp_path, {"hello.md": fm(title="X"), "2010-05-03-ok.md": fm(title="Ok")}))
    assert [p.slug for p in posts] == ["ok"]
    assert report.skipped == [("jekyll:_posts/hello.md", report.skipped[0][1])]
    assert "does not start with a date" in report.skipped[0][1]


def test_jekyll_drafts_folder_posts_are_drafts_dated_from_the_file(tmp_path):
    site = jekyll(tmp_path, {"_drafts/idea.md": fm(title="Idea")})
    post, report = only(site)
    assert (post.status, post.slug) == ("draft", "idea")
    assert "no date: used the file's modification time" in messages(report)
    assert post.date.tzinfo is not None


def test_jekyll_published_false_is_a_draft(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.md": fm(title="X", published=False)}))
    assert post.status == "draft"


def test_jekyll_a_future_post_is_scheduled(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2999-01-01-later.md": fm(title="Later")}))
    assert post.status == "scheduled"


# Jekyll: tags and summary.


@pytest.mark.parametrize(
    "fields",
    [
        {"tags": "python django"},
        {"tags": ["python", "django"]},
        {"tag": "python", "category": "django"},
        {"tags": ["python"], "categories": "Django"},
    ],
)
def test_jekyll_tags_as_string_list_or_singular(tmp_path, fields):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.md": fm(title="X", **fields)}))
    assert [t.lower() for t in post.tags] == ["python", "django"]


def test_jekyll_summary_is_the_text_before_more(tmp_path):
    text = "---\ntitle: X\n---\nFirst part.\n\n<!--more-->\n\nSecond part.\n"
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.md": text}))
    assert post.summary == "First part."
    assert "Second part." in post.body


def test_jekyll_summary_before_a_configured_excerpt_separator(tmp_path):
    text = "---\ntitle: X\n---\nFirst part.\n<!-- cut -->\nSecond part.\n"
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.md": text}, "excerpt_separator: <!-- cut -->"))
    assert post.summary == "First part."


def test_jekyll_summary_from_excerpt_or_description(tmp_path):
    site = jekyll(
        tmp_path,
        {
            "2010-05-03-a.md": fm(title="A", excerpt="The excerpt."),
            "2010-05-04-b.md": fm(title="B", description="Desc."),
        },
    )
    posts, _ = read(site)
    assert [p.summary for p in posts] == ["The excerpt.", "Desc."]


def test_jekyll_summary_from_the_body_otherwise(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-a.md": "---\ntitle: A\n---\nOne *sentence*. Two.\n"}))
    assert post.summary == "One sentence. Two."


# Jekyll: Liquid and kramdown.


def test_liquid_highlight_becomes_a_fenced_block(tmp_path):
    text = "---\ntitle: X\n---\n{% highlight python linenos %}\nprint('hi')\n{% endhighlight %}\n"
    post, report = only(jekyll(tmp_path, {"2010-05-03-x.md": text}))
    assert "```python\nprint('hi')\n```" in post.body
    assert report.warnings == []


def test_liquid_raw_keeps_its_content_unprocessed(tmp_path):
    text = "---\ntitle: X\n---\n{% raw %}{{ page.title }} {% include x %}{% endraw %}\n"
    post, report = only(jekyll(tmp_path, {"2010-05-03-x.md": text}))
    assert post.body.strip() == "{{ page.title }} {% include x %}"
    assert report.warnings == []


def test_liquid_site_url_and_post_url_are_rewritten(tmp_path):
    site = jekyll(
        tmp_path,
        {
            "2010-05-03-x.md": "---\ntitle: X\n---\n[a]({{ site.baseurl }}{% post_url 2010-05-01-other %}) "
            "[b]({{ site.url }}/about/) [c]({% link _posts/2010-05-01-other.md %})\n",
            "2010-05-01-other.md": fm(title="Other", slug="renamed"),
        },
    )
    posts, report = read(site)
    body = next(p for p in posts if p.title == "X").body
    assert "[a](/post/renamed/) [b](/about/) [c](/post/renamed/)" in body
    assert report.warnings == []


def test_liquid_other_tags_are_left_with_one_warning(tmp_path):
    text = "---\ntitle: X\n---\n{% include note.html %}\n{{ page.title }}\n{% include note.html %}\n"
    post, report = only(jekyll(tmp_path, {"2010-05-03-x.md": text}))
    assert "{% include note.html %}" in post.body
    assert messages(report) == ["Liquid left as text: {% include note.html %}, {{ page.title }}"]


def test_kramdown_attribute_lists_are_removed(tmp_path):
    text = "---\ntitle: X\n---\n* TOC\n{:toc}\n\nA paragraph.\n{: .lead}\n\n![i](http://x.org/i.png){: .center}\n"
    post, report = only(jekyll(tmp_path, {"2010-05-03-x.md": text}))
    assert "{:" not in post.body and "TOC" not in post.body
    assert "A paragraph." in post.body and "![i](http://x.org/i.png)" in post.body
    assert report.warnings == []


def test_kramdown_removal_spares_code(tmp_path):
    text = "---\ntitle: X\n---\n```python\nprint('{:.2f}'.format(x))\n{: not an ial}\n```\n"
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.md": text}))
    assert "{:.2f}" in post.body and "{: not an ial}" in post.body


def test_html_embeds_in_markdown_become_links_outside_code(tmp_path):
    body = (
        '<iframe width="640" src="https://www.youtube-nocookie.com/embed/l2Of1?controls=0&amp;x=1"></iframe>\n\n'
        '<script src="https://gist.github.com/someone/77c6.js"></script>\n\n'
        '```html\n<iframe src="https://example.com/kept"></iframe>\n```\n'
    )
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.md": "---\ntitle: X\n---\n" + body}))
    assert post.body == (
        "<https://www.youtube.com/watch?v=l2Of1>\n\n<https://gist.github.com/someone/77c6>\n\n"
        '```html\n<iframe src="https://example.com/kept"></iframe>\n```\n'
    )


def test_an_html_post_is_converted_to_markdown(tmp_path):
    text = "---\ntitle: X\n---\n<p>Some <strong>bold</strong> text.</p>\n<!--more-->\n<p>After.</p>\n"
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.html": text}))
    assert "Some **bold** text." in post.body
    assert post.summary == "Some bold text."


# Jekyll: old paths.


def test_jekyll_default_permalink(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-hello.md": fm(title="H")}))
    assert post.old_paths == ["/2010/05/03/hello.html"]


def test_jekyll_default_permalink_with_categories(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-hello.md": fm(title="H", categories="Python Web")}))
    assert post.old_paths[0] == "/python/web/2010/05/03/hello.html"
    assert "/2010/05/03/hello.html" in post.old_paths


def test_jekyll_pretty_permalink_and_baseurl(tmp_path):
    post, _ = only(jekyll(tmp_path, {"2010-05-03-hello.md": fm(title="H")}, "permalink: pretty\nbaseurl: /blog"))
    assert post.old_paths == ["/blog/2010/05/03/hello/", "/blog/2010/05/03/hello.html"]


def test_jekyll_custom_permalink_in_config(tmp_path):
    config = "permalink: /:categories/:year/:i_month/:slug/"
    post, _ = only(jekyll(tmp_path, {"2010-05-03-Hello-There.md": fm(title="H", category="News")}, config))
    assert post.old_paths[0] == "/news/2010/5/hello-there/"


def test_jekyll_permalink_in_front_matter_and_redirect_from(tmp_path):
    text = fm(title="H", permalink="/about-me/", redirect_from=["/old/", "older.html"])
    post, _ = only(jekyll(tmp_path, {"2010-05-03-hello.md": text}))
    assert post.old_paths == ["/about-me/", "/2010/05/03/hello.html", "/old/", "/older.html"]


def test_jekyll_url_date_is_in_the_sites_zone(tmp_path):
    text = fm(title="H", date="2010-05-03 23:30:00 -0800")
    post, _ = only(jekyll(tmp_path, {"2010-05-03-hello.md": text}, "timezone: UTC"))
    assert post.old_paths[0] == "/2010/05/04/hello.html"


# Jekyll: images.


def test_jekyll_images_found_under_the_site_or_beside_the_post(tmp_path):
    write(tmp_path, "assets/img/a.png", data=PNG)
    write(tmp_path, "_posts/b.png", data=PNG)
    write(tmp_path, "images/c.png", data=PNG)
    body = '![a](/assets/img/a.png) ![b](b.png "t") ![c]({{ site.baseurl }}/images/c.png) <img src="/images/c.png">\n'
    post, report = only(jekyll(tmp_path, {"2010-05-03-x.md": "---\ntitle: X\n---\n" + body}))
    assert post.images == {
        "/assets/img/a.png": (tmp_path / "assets/img/a.png").resolve(),
        "b.png": (tmp_path / "_posts/b.png").resolve(),
        "/images/c.png": (tmp_path / "images/c.png").resolve(),
    }
    assert "![c](/images/c.png)" in post.body
    assert report.warnings == []


def test_jekyll_missing_images_warn_once_and_remote_ones_are_left_alone(tmp_path):
    body = "![a](/nope.png) ![a again](/nope.png) ![r](https://cdn.example.com/r.png) ![up](../../../etc/passwd)\n"
    post, report = only(jekyll(tmp_path, {"2010-05-03-x.md": "---\ntitle: X\n---\n" + body}))
    assert post.images == {}
    assert messages(report) == ["image not found: /nope.png", "image not found: ../../../etc/passwd"]


def test_jekyll_reference_style_images_are_found(tmp_path):
    write(tmp_path, "img/a.png", data=PNG)
    post, _ = only(jekyll(tmp_path, {"2010-05-03-x.md": "---\ntitle: X\n---\n![alt][pic]\n\n[pic]: /img/a.png\n"}))
    assert list(post.images) == ["/img/a.png"]


def test_jekyll_staticman_comments_are_read(tmp_path):
    site = jekyll(tmp_path, {"2010-05-03-hello.md": fm(title="H")})
    write(
        site,
        "_data/comments/hello/entry1.yml",
        "_id: a1\nname: Ann\nemail: 0cc175b9c0f1b6a831c399e269772661\nmessage: Nice *post*\ndate: 1273000000\n",
    )
    write(
        site,
        "_data/comments/hello/entry2.yml",
        "_id: b2\nname: Bob\nemail: bob@example.com\nmessage: Thanks\n"
        "date: 2010-05-05T10:00:00Z\nreplying_to_uid: a1\n",
    )
    post, _ = only(site)
    first, second = post.comments
    assert (first.name, first.email, first.text, first.status) == ("Ann", "", "Nice *post*", "approved")
    assert first.created == datetime.datetime.fromtimestamp(1273000000, datetime.UTC)
    assert (second.email, second.parent_id) == ("bob@example.com", first.source_id)


# Both: robustness.


def test_a_malformed_front_matter_skips_that_post_only(tmp_path):
    site = jekyll(
        tmp_path, {"2010-05-03-bad.md": "---\ntitle: [unclosed\nok: 1\n---\nx\n", "2010-05-04-ok.md": fm(title="Ok")}
    )
    posts, report = read(site)
    assert [p.title for p in posts] == ["Ok"]
    [(item, reason)] = report.skipped
    assert item == "jekyll:_posts/2010-05-03-bad.md"
    assert reason.startswith("its front matter is not valid YAML (line ")


def test_a_bom_is_tolerated(tmp_path):
    write(tmp_path, "_posts/2010-05-03-x.md", data="\ufeff---\ntitle: Bom\n---\nText\n".encode())
    post, report = only(tmp_path)
    assert post.title == "Bom" and report.warnings == []


def test_undecodable_bytes_are_replaced_with_a_warning(tmp_path):
    write(tmp_path, "_posts/2010-05-03-x.md", data=b"---\ntitle: Latin\n---\ncaf\xe9\n")
    post, report = only(tmp_path)
    assert "caf\ufffd" in post.body
    assert messages(report)[0].startswith("not valid UTF-8")


def test_a_post_that_fails_is_skipped_and_the_others_read(tmp_path, monkeypatch):
    site = jekyll(tmp_path, {"2010-05-03-a.md": fm(title="A"), "2010-05-04-b.md": fm(title="B")})
    folder = MarkdownFolder(site)
    original = folder._site.read

    def failing(path, report):
        if path.name.startswith("2010-05-03"):
            raise RuntimeError("boom")
        return original(path, report)

    monkeypatch.setattr(folder._site, "read", failing)
    report = Report()
    assert [p.title for p in folder.posts(report)] == ["B"]
    assert report.skipped == [("jekyll:_posts/2010-05-03-a.md", "could not be read: boom")]


# Hugo: front matter, status.


def test_hugo_yaml_front_matter(tmp_path):
    post, _ = only(hugo(tmp_path, {"posts/my-post.md": fm(title="Y", date="2020-01-02T03:04:05Z", tags=["a", "b"])}))
    assert (post.title, post.slug, post.source_id) == ("Y", "my-post", "hugo:content/posts/my-post.md")
    assert post.date == datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert post.tags == ["a", "b"]


def test_hugo_toml_front_matter(tmp_path):
    text = '+++\ntitle = "T"\ndate = 2020-01-02\ncategories = ["Go"]\nslug = "tee"\n+++\nBody.\n'
    post, _ = only(hugo(tmp_path, {"post/t.md": text}))
    assert (post.title, post.slug, post.tags) == ("T", "tee", ["Go"])
    assert post.date == datetime.datetime(2020, 1, 2, tzinfo=NEW_YORK)


def test_hugo_json_front_matter(tmp_path):
    text = '{\n  "title": "J",\n  "date": "2020-01-02T10:00:00-05:00",\n  "description": "About J."\n}\nBody.\n'
    post, _ = only(hugo(tmp_path, {"blog/j.md": text}))
    assert (post.title, post.summary, post.body.strip()) == ("J", "About J.", "Body.")


def test_hugo_keys_are_case_insensitive_and_the_config_zone_applies(tmp_path):
    text = "---\ntitle: Z\npublishDate: 2020-01-02T10:00:00\n---\nBody.\n"
    post, _ = only(hugo(tmp_path, {"posts/z.md": text}, 'timeZone = "Asia/Tokyo"\n'))
    assert post.date == datetime.datetime(2020, 1, 2, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))


def test_hugo_draft_true_is_a_draft(tmp_path):
    post, _ = only(hugo(tmp_path, {"posts/d.md": fm(title="D", date="2020-01-02", draft=True)}))
    assert post.status == "draft"


def test_hugo_a_future_publish_date_is_scheduled(tmp_path):
    post, _ = only(hugo(tmp_path, {"posts/s.md": fm(title="S", date="2020-01-02", publishDate="2999-01-01")}))
    assert post.status == "scheduled"
    assert post.date.year == 2999


def test_hugo_an_expired_post_is_skipped(tmp_path):
    posts, report = read(hugo(tmp_path, {"posts/e.md": fm(title="E", date="2020-01-02", expiryDate="2021-01-01")}))
    assert posts == []
    assert report.skipped == [("hugo:content/posts/e.md", "expired in Hugo (expiryDate 2021-01-01)")]


def test_hugo_section_pages_are_skipped_silently(tmp_path):
    posts, report = read(hugo(tmp_path, {"posts/_index.md": fm(title="Posts"), "posts/a.md": fm(title="A")}))
    assert [p.title for p in posts] == ["A"]
    assert report.skipped == []


def test_hugo_translations_are_skipped_and_the_default_languages_suffix_dropped(tmp_path):
    config = 'baseURL = "https://example.com/"\n[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n'
    posts = {
        "posts/a.en.md": fm(title="A", date="2020-01-01"),
        "posts/a.fr.md": fm(title="Le A"),
        "posts/v1.2.md": HEAD,
    }
    posts, report = read(hugo(tmp_path, posts, config))
    assert [(p.title, p.slug) for p in posts] == [("A", "a"), ("A", "v1.2")]
    assert report.skipped == [
        ("hugo:content/posts/a.fr.md", "a translation (fr): only the default language, en, is read")
    ]


def test_hugo_summary_from_more_then_summary_field(tmp_path):
    site = hugo(
        tmp_path,
        {
            "posts/a.md": HEAD + "Lead.\n<!--more-->\nRest.\n",
            "posts/b.md": "---\ntitle: B\ndate: 2020-01-01\nsummary: Given.\n---\nLead.\n<!--more-->\nRest.\n",
        },
    )
    posts, _ = read(site)
    assert [p.summary for p in posts] == ["Lead.", "Given."]


# Hugo: bundles and shortcodes.


def test_hugo_a_bundle_takes_its_folders_slug_and_its_images(tmp_path):
    text = "---\ntitle: B\ndate: 2020-01-01\n---\n![x](cover.png)\n"
    site = hugo(tmp_path, {"posts/my-bundle/index.md": text, "posts/my-bundle/notes.md": "a resource"})
    write(site, "content/posts/my-bundle/cover.png", data=PNG)
    post, report = only(site)
    assert post.slug == "my-bundle"
    assert post.images == {"cover.png": (site / "content/posts/my-bundle/cover.png").resolve()}
    assert report.warnings == []


def test_hugo_root_relative_images_are_under_static(tmp_path):
    site = hugo(tmp_path, {"posts/a.md": HEAD + "![x](/img/a.png)\n"})
    write(site, "static/img/a.png", data=PNG)
    post, _ = only(site)
    assert post.images == {"/img/a.png": (site / "static/img/a.png").resolve()}


def test_hugo_highlight_shortcode_becomes_a_fenced_block(tmp_path):
    text = HEAD + '{{< highlight go "linenos=table" >}}\nfunc main() {}\n{{< /highlight >}}\n'
    post, report = only(hugo(tmp_path, {"posts/a.md": text}))
    assert "```go\nfunc main() {}\n```" in post.body
    assert report.warnings == []


def test_hugo_figure_shortcode_becomes_an_image_and_caption(tmp_path):
    text = HEAD + '{{< figure src="pic.png" alt="A pic" title="T" caption="Seen here" >}}\n'
    site = hugo(tmp_path, {"posts/a/index.md": text})
    write(site, "content/posts/a/pic.png", data=PNG)
    post, _ = only(site)
    assert '![A pic](pic.png "T")\n\n*Seen here*' in post.body
    assert list(post.images) == ["pic.png"]


def test_hugo_ref_youtube_and_gist_shortcodes(tmp_path):
    body = '[o]({{< ref "other.md" >}}) [b]({{< relref "posts/bundle" >}})\n'
    body += "{{< youtube dQw4w9WgXcQ >}}\n{{< gist spf13 7896402 >}}\n"
    site = hugo(
        tmp_path,
        {
            "posts/a.md": HEAD + body,
            "posts/other.md": fm(title="O", date="2020-01-01", slug="the-other"),
            "posts/bundle/index.md": fm(title="B", date="2020-01-01"),
        },
    )
    posts, report = read(site)
    post = next(p for p in posts if p.title == "A")
    assert "[o](/post/the-other/) [b](/post/bundle/)" in post.body
    assert "<https://www.youtube.com/watch?v=dQw4w9WgXcQ>" in post.body
    assert "<https://gist.github.com/spf13/7896402>" in post.body
    assert report.warnings == []


def test_hugo_x_shortcode_and_a_figures_credit(tmp_path):
    body = '{{< x user="someone" id="17" >}}\n\n'
    body += '{{< figure src="https://photos.example.org/p.jpg" attr="Ann" attrlink="https://ann.example" >}}\n'
    post, report = only(hugo(tmp_path, {"posts/a.md": HEAD + body}))
    assert (
        post.body
        == "<https://x.com/someone/status/17>\n\n![](https://photos.example.org/p.jpg)\n\n*[Ann](https://ann.example)*\n"
    )
    assert report.warnings == []


def test_hugo_unknown_shortcodes_are_left_with_one_warning(tmp_path):
    text = HEAD + "{{< notice info >}}Hi{{< /notice >}}\n{{% notice %}}x{{% /notice %}}\n"
    post, report = only(hugo(tmp_path, {"posts/a.md": text}))
    assert "{{< notice info >}}Hi{{< /notice >}}" in post.body
    assert messages(report) == ["Hugo shortcodes left as text: notice"]


def test_hugo_escaped_shortcodes_are_shown_as_written(tmp_path):
    text = HEAD + "{{</* youtube x */>}}\n"
    post, report = only(hugo(tmp_path, {"posts/a.md": text}))
    assert "{{< youtube x >}}" in post.body
    assert report.warnings == []


# Hugo: old paths.


def test_hugo_old_path_is_the_section_path(tmp_path):
    posts, _ = read(hugo(tmp_path, {"posts/My-Post.md": fm(title="A", date="2020-01-01"), "post/b.md": fm(title="B")}))
    assert [p.old_paths for p in posts] == [["/posts/my-post/"], ["/post/b/"]]


def test_hugo_config_permalinks(tmp_path):
    config = '[permalinks]\n  posts = "/:year/:month/:slug/"\n'
    post, _ = only(hugo(tmp_path, {"posts/a.md": fm(title="Hello World", date="2020-03-04")}, config))
    assert post.old_paths == ["/2020/03/hello-world/"]


def test_hugo_url_and_aliases_absolute_and_relative(tmp_path):
    text = fm(title="A", date="2020-01-01", aliases=["/old/path/", "older", "../oldest.html"])
    post, _ = only(hugo(tmp_path, {"posts/a.md": text}))
    assert post.old_paths == ["/posts/a/", "/old/path/", "/posts/older/", "/oldest.html"]
    post, _ = only(hugo(tmp_path, {"posts/a.md": fm(title="A", date="2020-01-01", url="/custom/a/")}))
    assert post.old_paths == ["/custom/a/"]


def test_hugo_malformed_toml_is_skipped_with_a_message(tmp_path):
    posts, report = read(
        hugo(tmp_path, {"posts/a.md": '+++\ntitle = "unclosed\n+++\nx\n', "posts/b.md": fm(title="B")})
    )
    assert [p.title for p in posts] == ["B"]
    assert report.skipped[0][1].startswith("its front matter is not valid TOML")


# Zips.


def make_zip(path, members):
    """A zip at path: name → bytes, compressed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_with_one_top_folder_gives_that_folder(tmp_path):
    zip_path = make_zip(tmp_path / "site.zip", {"myblog-main/_posts/2010-05-03-a.md": b"---\ntitle: A\n---\n"})
    root = extract_zip(zip_path, tmp_path / "out")
    assert root == tmp_path / "out" / "myblog-main"
    assert only(root)[0].title == "A"


def test_a_zip_with_several_top_entries_gives_the_folder_it_was_unpacked_into(tmp_path):
    zip_path = make_zip(
        tmp_path / "site.zip", {"_config.yml": b"", "_posts/2010-05-03-a.md": b"x", "__MACOSX/._x": b""}
    )
    assert extract_zip(zip_path, tmp_path / "out") == tmp_path / "out"
    assert not (tmp_path / "out" / "__MACOSX").exists()


@pytest.mark.parametrize("name", ["../evil.md", "a/../../evil.md", "/etc/evil.md", "C:/evil.md"])
def test_a_zip_leading_out_of_its_folder_is_refused(tmp_path, name):
    zip_path = make_zip(tmp_path / "site.zip", {name: b"x"})
    with pytest.raises(NotAnExport, match="(absolute path|out of its folder)"):
        extract_zip(zip_path, tmp_path / "out")
    assert not (tmp_path / "evil.md").exists()


def test_a_zip_with_a_symlink_is_refused(tmp_path):
    info = zipfile.ZipInfo("link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "site.zip", "w") as archive:
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(NotAnExport, match="symbolic link"):
        extract_zip(tmp_path / "site.zip", tmp_path / "out")


def test_a_zip_with_too_many_members_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("blog.importers.archive.MAX_MEMBERS", 3)
    zip_path = make_zip(tmp_path / "site.zip", {f"f{i}.md": b"x" for i in range(4)})
    with pytest.raises(NotAnExport, match="holds 4 files"):
        extract_zip(zip_path, tmp_path / "out")


def test_a_zip_bomb_is_refused(tmp_path):
    zip_path = make_zip(tmp_path / "site.zip", {"bomb.md": b"\0" * 1_000_000})
    with pytest.raises(NotAnExport, match="zip bomb"):
        extract_zip(zip_path, tmp_path / "out")
    assert not (tmp_path / "out" / "bomb.md").exists()


def test_a_zip_too_big_in_all_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("blog.importers.archive.MAX_SIZE", 10)
    zip_path = make_zip(tmp_path / "site.zip", {"a.md": os.urandom(20)})
    with pytest.raises(NotAnExport, match="more than"):
        extract_zip(zip_path, tmp_path / "out")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    (tmp_path / "site.zip").write_bytes(io.BytesIO(b"not a zip").getvalue())
    with pytest.raises(NotAnExport, match="not a zip archive"):
        extract_zip(tmp_path / "site.zip", tmp_path / "out")
