"""The WordPress export reader: a WXR file (Tools → Export, versions 1.0 to 1.2) streamed into ``Post`` records.

What maps to what:

- ``<item>`` with ``wp:post_type`` post → a ``Post``; its ``wp:comment``s → ``Comment``s (threaded by
  ``wp:comment_parent``); ``<category>`` of the category and tag domains → ``tags``, minus "Uncategorized".
- ``wp:status`` publish/future/draft/pending/private → live/scheduled/draft (private with a warning);
  trash, auto-draft and inherit are skipped.
- ``title`` → the title without the HTML some titles hold ("Title <em>With</em> Markup").
- ``content:encoded`` → Markdown, the way WordPress would show it: wpautop's paragraphs (not for block-editor
  posts, which WordPress leaves alone too), Gutenberg block comments dropped, SyntaxHighlighter shortcodes,
  ``<pre class="brush: …">`` and a multi-line ``<code>`` on lines of its own as fenced code, ``[caption]`` as the
  image and an emphasised line, ``[embed]``, ``[audio]``, ``[video]`` and video URLs as links. The summary is
  ``excerpt:encoded``, else the text before ``<!--more-->``, else the first sentences.
- Images under the site's ``wp-content/uploads/`` (any host; also ``*.files.wordpress.com``, either also
  through Jetpack's ``i0.wp.com`` image CDN, and the URLs of attachment items read so far) → files of the
  ``uploads`` folder, trying the original of a resized copy.
- Old paths: the item's link relative to the blog URL, ``/?p=ID``, and the ``/YYYY/MM/DD/slug/`` and
  ``/YYYY/MM/slug/`` permalinks; all kept URL-decoded (``/2010/05/日本/``), the query included as written.

Left out: pages (one skip each), attachments (read only for the images posts use), menus, revisions, custom
post types and site settings (one skip per type), pingbacks and trackbacks (one skip in all), featured images,
post formats, custom fields and authors. Other shortcodes ([gallery], forms) stay as text with a warning.

The file is never read whole: lxml's iterparse, entities neither expanded nor fetched, each item dropped once
read, control characters XML forbids stripped from the bytes first, a malformed part skipped with a warning.
"""

import collections
import datetime
import email.utils
import html
import ipaddress
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit, urlunsplit

from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from . import text
from .records import Comment, NotAnExport, Post, Report

PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
NAMESPACES = {"http://purl.org/rss/1.0/modules/content/": "content", "http://purl.org/dc/elements/1.1/": "dc"}
WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/(excerpt/)?$")
MAX_XML_ERRORS = 10
PEEK = 65536  # bytes read to tell an empty or zipped file

STATUSES = {"publish": "live", "future": "scheduled", "draft": "draft", "pending": "draft", "private": "draft"}
NOT_IMPORTED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an auto-draft WordPress made, never edited",
    "inherit": "a revision of another post",
}
COMMENT_STATUSES = {"1": "approved", "0": "pending"}
SITE_URLS = ("wp:base_blog_url", "link", "wp:base_site_url")  # the blog's own first
LEFT_OUT = {"spam": "spam", "trash": "trashed", "post-trashed": "trashed"}  # WordPress statuses not imported
PINGS = {"pingback", "trackback"}
TAG_DOMAINS = {"category", "post_tag", "tag", None}  # "tag" and no domain: WXR 1.0
DEFAULT_CATEGORY = "uncategorized"
TYPE_REASONS = {
    "attachment": "attachments are read only for the images posts use",
    "revision": "revisions are not imported, only each post as it is now",
    "nav_menu_item": "menus are not imported",
}
SETTINGS_TYPES = re.compile(r"^(wp_|custom_css$|customize_changeset$|oembed_cache$|user_request$)")

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->\n?", re.S)
PAGE_BREAKS = re.compile(r"<!--\s*(nextpage|noteaser)\s*-->", re.I)
PRE = re.compile(r"<pre\b[^>]*>.*?</pre>", re.S | re.I)
PRE_PLACEHOLDER = re.compile(r"<pre wp-pre-tag-(\d+)></pre>")
BRUSHES = (  # SyntaxHighlighter Evolved's shortcodes named after a language
    "as3|actionscript3|bash|shell|coldfusion|cf|clojure|clj|cpp|c|c-sharp|csharp|css|delphi|pas|pascal|diff|patch"
    "|erl|erlang|fsharp|go|golang|groovy|haskell|java|jfx|javafx|js|jscript|javascript|json|latex|tex|matlab|objc"
    "|obj-c|perl|pl|php|plain|text|ps|powershell|py|python|r|rails|rb|ror|ruby|rust|sass|scala|sql|swift|vb|vbnet"
    "|xml|xhtml|xslt|html|yaml"
)
CODE_SHORTCODE = re.compile(rf"\[(code|sourcecode|source|{BRUSHES})(?=[\s\]=])([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
PLAIN_LANGUAGES = {"plain", "text", "code", "sourcecode", "source"}
LANGUAGE_CLASS = re.compile(r"(?:^|[\s;])(?:language-|lang-|lang:|brush:\s*)([\w+#-]+)", re.I)
CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
CAPTIONED = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
VIDEO_SHORTCODE = re.compile(r"\[(youtube|vimeo)(?:=|\s+)([^\]\s]+)[^\]]*\]", re.I)
VIDEO_PAGES = {"youtube": "https://www.youtube.com/watch?v={}", "vimeo": "https://vimeo.com/{}"}
MEDIA_SHORTCODE = re.compile(r"\[(audio|video)\b([^\]]*)\](?:\s*\[/\1\])?", re.I)
MEDIA_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
CODE_LINES = re.compile(r"^[ \t]*<code\b[^>]*>([^<]*\n[^<]*)</code>[ \t]*$", re.M | re.I)  # classic editor's
TITLE_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
URL_LINE = re.compile(r"^([ \t]*)(https?://[^\s<>\"]+)[ \t]*$", re.M)
ATTRIBUTE = re.compile(r"""([\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
SHORTCODE = re.compile(r"(?<!\[)\[([A-Za-z][\w-]*)(?=[\s\]/=])([^\]\n]*)\]")
ESCAPED_SHORTCODE = re.compile(r"\[(\[[A-Za-z][^\[\]]*\])\]")
WELL_KNOWN_SHORTCODES = {"gallery", "audio", "video", "playlist", "contact-form", "contact-form-7", "wpforms"}

BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote"
    r"|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure"
    r"|figcaption|details|menu|summary)"
)
BLOCK_TAG = rf"</?{BLOCKS}\b[^>]*>"
TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^<>]*>", re.S)

IMAGE = re.compile(r"!\[(?:\\.|[^\]\\])*\]\(([^)\"]*?)(?:\s+\"[^\"]*\")?\)")
UPLOADS = "/wp-content/uploads/"
VARIANT = re.compile(r"(?:-\d+x\d+|-scaled|-e\d{10,})+(?=\.\w+$)")
PHOTON = re.compile(r"^i\d\.wp\.com$")  # Jetpack's image CDN: i0.wp.com/<host>/<path>


class WordPressExport:
    """A WordPress export file, read one item at a time; ``uploads`` is a copy of its wp-content/uploads."""

    label = "WordPress export"

    def __init__(self, path: Path, uploads: Path | None = None, pages=False, pings=False):
        """``pages``: WordPress pages are imported as posts too; ``pings``: pingbacks and trackbacks as comments."""
        self.path = Path(path)
        self.uploads = Path(uploads) if uploads else None
        self.pages, self.pings = pages, pings
        self.hosts = set()  # the old blog's host names, once read: its absolute links between posts are found by them
        self._stream = None

    def posts(self, report: Report) -> Iterator[Post]:
        """One Post per importable item, in the file's order; NotAnExport before any when it is no export."""
        refuse_archives(self.path)
        with self.path.open("rb") as raw:
            self._stream = ControlCharacterFilter(raw)
            run = Run(report, self.uploads, self.path.name, self.pages, self.pings)
            yield from self._read(run)
            self.hosts = {urlsplit(run.channel.get(name, "")).netloc for name in SITE_URLS} - {""}
            if self._stream.stripped:
                run.report.warn(run.file, f"removed {self._stream.stripped} control characters XML does not allow")
            run.finish()

    def fraction_read(self) -> float:
        """How much of the file the parser has consumed, 0 to 1: for a progress bar."""
        if self._stream is None:
            return 0.0
        size = self.path.stat().st_size
        return min(1.0, self._stream.consumed / size) if size else 1.0

    def _read(self, run):
        """Stream the file: channel fields as they come, each item once complete, then forget it."""
        events = etree.iterparse(self._stream, events=("start-ns", "start", "end"), recover=True, **PARSER_OPTIONS)
        root, wordpress = None, False
        try:
            for event, element in events:
                if event == "start-ns":
                    wordpress = wordpress or bool(WP_NAMESPACE.match(element[1]))
                elif event == "start":
                    root = root if root is not None else refuse_other_roots(element, self.path.name)
                    wordpress = wordpress or name_of(element.tag).startswith("wp:")  # wp: even undeclared
                    if element.tag == "item" and not wordpress:
                        raise NotAnExport(feed_refusal(self.path.name))
                elif event == "end" and element.tag == "item" and parent_tag(element) in ("channel", "item"):
                    yield from run.item(element)
                    forget(element)
                elif event == "end" and parent_tag(element) == "channel":
                    run.channel_field(element)
                    forget(element)
        except etree.XMLSyntaxError as error:
            if root is None:
                raise NotAnExport(f"{self.path.name} is not XML, so it is not a WordPress export.") from error
            run.report.warn(run.file, f"the rest of the file could not be read: {error}")
        if root is None:
            raise NotAnExport(f"{self.path.name} is not XML, so it is not a WordPress export.")
        if not wordpress:
            raise NotAnExport(feed_refusal(self.path.name))
        run.xml_errors(events.error_log)


class ControlCharacterFilter:
    """The export's bytes without the control characters XML 1.0 forbids, which real exports contain and which
    would make libxml2 drop what follows; counts what it read and what it removed."""

    def __init__(self, raw):
        self.raw = raw
        self.consumed = 0
        self.stripped = 0

    def read(self, size=-1):
        while True:
            chunk = self.raw.read(size)
            self.consumed += len(chunk)
            kept = chunk.translate(None, CONTROL_BYTES)
            self.stripped += len(chunk) - len(kept)
            if kept or not chunk:
                return kept


def refuse_archives(path):
    """Refuse the usual wrong files (empty, zipped) with a sentence that says what to do instead."""
    with path.open("rb") as file:
        start = file.read(PEEK)
    if not start.strip() and len(start) < PEEK:
        raise NotAnExport(f"{path.name} is empty, so it is not a WordPress export.")
    if start.startswith((b"PK\x03\x04", b"\x1f\x8b")):
        raise NotAnExport(f"{path.name} is compressed: unpack it and choose the .xml WordPress export inside.")


def refuse_other_roots(root, name):
    """The root element, if it is an RSS one as WordPress writes; NotAnExport for an HTML page or other XML."""
    local = etree.QName(root).localname.lower() if isinstance(root.tag, str) else ""
    if local == "html":
        raise NotAnExport(f"{name} is a web page, not a WordPress export (Tools → Export in WordPress makes one).")
    if local != "rss":
        raise NotAnExport(f"{name} is XML but not a WordPress export, which is an RSS file with wp: fields.")
    return root


def feed_refusal(name):
    return f"{name} is an RSS feed without WordPress's wp: fields, not a WordPress export (Tools → Export makes one)."


def parent_tag(element):
    """The parent's tag: items are the channel's children, or, after a broken one, nested in it by recovery."""
    parent = element.getparent()
    return parent.tag if parent is not None else None


def forget(element):
    """Free a read channel child and everything before it, so memory stays flat however long the file."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent.tag == "channel" and element.getprevious() is not None:
        del parent[0]


def name_of(tag):
    """A tag as WXR writes it ("wp:post_id", "content:encoded", "title"), whichever 1.x the wp namespace is."""
    if not isinstance(tag, str):
        return ""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    wordpress = WP_NAMESPACE.match(uri)
    prefix = ("excerpt" if wordpress[1] else "wp") if wordpress else NAMESPACES.get(uri)
    return f"{prefix}:{local}" if prefix else tag


def text_of(element):
    """An element's text, CDATA or not, without unexpanded entity references or comments."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


class Item:
    """An item's fields by WXR name: the first of each, and all its categories, comments and post meta."""

    def __init__(self, element):
        self.fields = {}
        self.categories, self.comments, self.meta = [], [], {}
        for child in element:
            name = name_of(child.tag)
            if name == "category":
                self.categories.append((child.get("domain"), text_of(child)))
            elif name == "wp:comment":
                self.comments.append(Fields(child))
            elif name == "wp:postmeta":
                meta = Fields(child)
                self.meta.setdefault(meta.get("wp:meta_key"), meta.get("wp:meta_value"))
            else:
                self.fields.setdefault(name, text_of(child))

    def get(self, name):
        return self.fields.get(name, "").strip()


class Fields(Item):
    """A comment's or a meta's fields: the same reading, one level down."""


def item_label(title, source_id):
    """How the report names an item: as Post.label does."""
    return f"“{title}” ({source_id})"


def plural(count, singular, many=None):
    return f"{count} {singular if count == 1 else many or singular + 's'}"


class Run:
    """One reading of the export: the channel's URLs, attachments seen so far, and what to tell at the end."""

    def __init__(self, report, uploads, file, pages=False, keep_pings=False):
        self.report, self.uploads, self.file = report, uploads, file
        self.pages, self.keep_pings = pages, keep_pings
        self.channel = {}
        self.attachments = {}  # attachment URL without query → its path under uploads
        self.other_types = collections.Counter()
        self.pings = 0
        self.left_out = collections.Counter()  # comments not imported, by WordPress status (spam, trash)

    def channel_field(self, element):
        self.channel.setdefault(name_of(element.tag), text_of(element).strip())

    @property
    def blog_url(self):
        """The blog's URL: its links are under it, and it names the source (base_site_url is a whole network's)."""
        for name in SITE_URLS:
            if self.channel.get(name):
                return self.channel[name].rstrip("/")
        return ""

    def item(self, element):
        """The item's Post, if it is an importable post; anything it raises skips it alone."""
        item = None
        try:
            item = Item(element)
            post = self.post(item)
        except Exception as error:  # one bad item must not stop the import
            self.report.skip(self.label(item) if item else "an item", f"could not be read: {error}")
            return
        if post:
            yield post

    def label(self, item):
        title = html.unescape(item.get("title")) or "Untitled"
        return item_label(title, f"wordpress:{self.blog_url}:{item.get('wp:post_id')}")

    def post(self, item):
        """A Post for a post item; attachments remembered, anything else counted or skipped."""
        kind = item.get("wp:post_type") or "post"
        if kind == "attachment":
            self.remember_attachment(item)
        if kind == "page" and not self.pages:
            self.report.skip(self.label(item), "WordPress pages are not imported, only posts (unless asked: --pages)")
        elif kind not in ("post", "page"):
            self.other_types[kind] += 1
        elif not item.get("wp:post_id"):
            self.report.skip(self.label(item), "it has no wp:post_id, so it cannot be told apart from others")
        elif item.get("wp:status") in NOT_IMPORTED_STATUSES:
            self.report.skip(self.label(item), NOT_IMPORTED_STATUSES[item.get("wp:status")])
        else:
            return PostReader(self, item).post()
        return None

    def remember_attachment(self, item):
        """Its URL → its path under uploads, for images whose URL is not under wp-content/uploads (a CDN, a custom
        upload_url_path). Old WordPress stored an absolute path in _wp_attached_file."""
        url = item.get("wp:attachment_url")
        attached = (item.meta.get("_wp_attached_file") or "").strip().split(UPLOADS, 1)[-1]
        if url and (attached or UPLOADS in url):
            self.attachments[without_query(url)] = attached or unquote(urlsplit(url).path).split(UPLOADS, 1)[1]

    def xml_errors(self, log):
        """One warning per place the parser had to recover, up to a few."""
        errors = [error for error in log if error.level >= etree.ErrorLevels.ERROR]
        for error in errors[:MAX_XML_ERRORS]:
            where = f"line {error.line}, column {error.column}"
            self.report.warn(self.file, f"malformed XML at {where}: {error.message.strip()}; read what could be")
        if len(errors) > MAX_XML_ERRORS:
            self.report.warn(self.file, f"and {len(errors) - MAX_XML_ERRORS} more XML errors")

    def finish(self):
        """One skip per kind of item left out in bulk, and a word if the export never said where the blog was."""
        if not self.blog_url:
            self.report.warn(self.file, "no blog URL in the export: source IDs and old paths are the posts' own")
        for kind, count in sorted(self.other_types.items()):
            self.report.skip(plural(count, f"{kind} item"), type_reason(kind))
        if self.pings:
            self.report.skip(
                plural(self.pings, "pingback or trackback", "pingbacks and trackbacks"),
                "pingbacks and trackbacks are not imported, only comments (unless asked: --pingbacks)",
            )
        for status, count in sorted(self.left_out.items()):
            self.report.skip(plural(count, f"{status} comment"), "spam and trashed comments are not imported")


def type_reason(kind):
    if kind in TYPE_REASONS:
        return TYPE_REASONS[kind]
    if SETTINGS_TYPES.match(kind):
        return "WordPress's own settings and templates, not content"
    return "custom post types are not imported, only posts"


class PostReader:
    """One post item read into a Post; what it had to guess goes to the report under the post's label."""

    def __init__(self, run, item):
        self.run, self.item = run, item
        self.id = item.get("wp:post_id")
        self.notes = []

    def post(self):
        source_id = f"wordpress:{self.run.blog_url}:{self.id}"
        if not self.item.get("wp:post_type"):
            self.notes.append("no post type in the export: read as a post")
        title = self.title()
        body, summary = self.body_and_summary()
        post = Post(
            source_id=source_id,
            title=title,
            slug=self.slug(title),
            date=self.date(),
            status=self.status(),
            body=body,
            summary=summary,
            tags=self.tags(),
            password=self.item.get("wp:post_password"),
            comments_open=self.item.get("wp:comment_status") != "closed",
        )
        post.old_paths = self.old_paths(post.date)
        post.images = self.images(body)
        post.comments = CommentReader(self.run, self.item.comments, self.notes).comments()
        for note in self.notes:
            self.run.report.warn(post.label, note)
        return post

    def title(self):
        title = html.unescape(TITLE_TAG.sub("", self.item.get("title"))).strip()
        if not title:
            title = f"Untitled post {self.id}"
            self.notes.append(f"no title in the export: named it “{title}”")
        return title

    def slug(self, title):
        """The slug as WordPress stored it (percent-encoded when not ASCII), else one made from the title."""
        slug = unquote(self.item.get("wp:post_name"))
        if slug:
            return slug
        slug = slugify(title, allow_unicode=True) if self.item.get("title") else ""
        if slug:
            self.notes.append(f"no slug in the export: made “{slug}” from the title")
            return slug
        self.notes.append(f"no slug in the export: named it “post-{self.id}”")
        return f"post-{self.id}"

    def status(self):
        status = self.item.get("wp:status")
        if status == "private":
            self.notes.append("private in WordPress: imported as a draft")
        elif not status:
            self.notes.append("no status in the export: imported as a draft")
        elif status not in STATUSES:
            self.notes.append(f"status “{status}” is not one of WordPress's own: imported as a draft")
        return STATUSES.get(status, "draft")

    def date(self):
        return read_date(
            self.item.get("wp:post_date_gmt"), self.item.get("wp:post_date"), self.item.get("pubDate"), self.notes
        )

    def body_and_summary(self):
        """The body as Markdown, and a summary: the excerpt, else the text before <!--more-->, else the start."""
        content = self.item.fields.get("content:encoded", "")
        body, unknown = convert(content)
        if unknown:
            self.notes.append(f"unknown shortcodes left as text: {', '.join(unknown)}")
        excerpt = self.item.get("excerpt:encoded")
        if excerpt:
            return body, text.fit_summary(text.plain_text(text.html_to_markdown(excerpt)))
        head = text.MORE.split(content, maxsplit=1)
        summary = text.fit_summary(text.plain_text(convert(head[0])[0])) if len(head) > 1 else ""
        return body, summary or text.summary_from(body)

    def tags(self):
        """Categories and tags as one list of names, first spelling kept, WordPress's default category left out."""
        names = {}
        for domain, name in self.item.categories:
            name = html.unescape(name).strip()
            if domain in TAG_DOMAINS and name and name.casefold() != DEFAULT_CATEGORY:
                names.setdefault(name.casefold(), name)
        return list(names.values())

    def old_paths(self, date):
        """Where the post was: its link, /?p=ID, and the usual date permalinks; URL-decoded, without duplicates."""
        paths = [relative_path(self.item.get("link"), self.run.blog_url), f"/?p={self.id}"]
        slug = unquote(self.item.get("wp:post_name"))
        if slug:
            local = wordpress_datetime(self.item.get("wp:post_date")) or timezone.localtime(date)
            paths += [f"/{local:%Y/%m/%d}/{slug}/", f"/{local:%Y/%m}/{slug}/"]
        return list(dict.fromkeys(path for path in paths if path and path != "/"))

    def images(self, body):
        """The site's uploaded images the body shows → their files; a warning for each one not found."""
        found = {}
        for url in dict.fromkeys(IMAGE.findall(body)):
            relative = self.upload_path(url)
            if relative is None:
                continue
            file = self.find_upload(relative)
            if file:
                found[url] = file
            else:
                self.notes.append(f"missing image: {url}")
        return found

    def upload_path(self, url):
        """The image's path under wp-content/uploads, or None when it is not one of the site's uploads."""
        parts = urlsplit(url)
        path = unquote(parts.path)
        if PHOTON.match(parts.hostname or ""):
            return self.upload_path(f"https://{parts.path.lstrip('/')}")
        if UPLOADS in path:
            return path.split(UPLOADS, 1)[1]
        if (parts.hostname or "").endswith(".files.wordpress.com"):
            return path.lstrip("/")
        name = PurePosixPath(path).name
        for candidate in dict.fromkeys([without_query(url), VARIANT.sub("", without_query(url))]):
            if candidate in self.run.attachments:
                return str(PurePosixPath(self.run.attachments[candidate]).parent / name)
        return None

    def find_upload(self, relative):
        """The file in the uploads folder, else the original a resized or scaled copy was made from."""
        if self.run.uploads is None:
            return None
        relative = PurePosixPath(relative.lstrip("/"))
        if ".." in relative.parts:
            return None
        original = VARIANT.sub("", str(relative))
        stem, dot, extension = original.rpartition(".")
        for candidate in dict.fromkeys([str(relative), original, f"{stem}-scaled.{extension}" if dot else original]):
            file = self.run.uploads / candidate
            if file.is_file():
                return file
        return None


class CommentReader:
    """A post's comments as Comment records, pingbacks counted and left out, parents kept only if present."""

    def __init__(self, run, comments, notes):
        self.run, self.fields, self.notes = run, comments, notes

    def comments(self):
        """The comments imported, each counted or noted where it is not; a reply's parent must be one of them."""
        kept = []
        for fields in self.fields:
            approved = fields.get("wp:comment_approved")
            if self.is_ping(fields) and not self.run.keep_pings:
                self.run.pings += 1
            elif approved in LEFT_OUT:
                self.run.left_out[LEFT_OUT[approved]] += 1
            elif not fields.get("wp:comment_id"):
                self.notes.append("a comment without wp:comment_id was left out")
            else:
                kept.append(fields)
        known = {fields.get("wp:comment_id") for fields in kept}
        return [self.comment(fields, known) for fields in kept]

    def is_ping(self, fields):
        """A pingback or trackback: left out unless asked for, and then a comment like the others."""
        return fields.get("wp:comment_type") in PINGS

    def source_id(self, comment_id):
        return f"wordpress:{self.run.blog_url}:comment:{comment_id}"

    def comment(self, fields, known):
        comment_id = fields.get("wp:comment_id")
        notes = []
        comment = Comment(
            source_id=self.source_id(comment_id),
            parent_id=self.parent(fields.get("wp:comment_parent"), known, notes),
            name=html.unescape(fields.get("wp:comment_author")) or "Anonymous",
            email=fields.get("wp:comment_author_email"),
            url=fields.get("wp:comment_author_url"),
            ip=valid_ip(fields.get("wp:comment_author_IP")),
            created=read_date(fields.get("wp:comment_date_gmt"), fields.get("wp:comment_date"), "", notes),
            text=text.html_to_text(fields.fields.get("wp:comment_content", "")),  # its newlines are its paragraphs
            status=self.status(fields.get("wp:comment_approved"), notes),
            user_agent=fields.get("wp:comment_agent"),
        )
        self.notes.extend(f"comment {comment_id}: {note}" for note in notes)
        return comment

    def parent(self, parent, known, notes):
        if parent in ("", "0"):
            return None
        if parent not in known:
            notes.append(f"it answers comment {parent}, which is not in the export: imported as a new thread")
            return None
        return self.source_id(parent)

    def status(self, approved, notes):
        if approved not in COMMENT_STATUSES:
            notes.append(f"moderation status “{approved}” unknown: imported as pending")
        return COMMENT_STATUSES.get(approved, "pending")


def read_date(gmt, local, rfc822, notes):
    """An aware datetime: the GMT date, else the local one in the site's zone, else the RFC 822 one, else now."""
    moment = wordpress_datetime(gmt)
    if moment:
        return moment.replace(tzinfo=datetime.UTC)
    moment = wordpress_datetime(local)
    if moment:
        zone = timezone.get_default_timezone()
        notes.append(f"no GMT date: read {local} in {zone}")
        return timezone.make_aware(moment, zone)
    moment = rfc822_datetime(rfc822)
    if moment:
        return moment
    notes.append("no date in the export: dated now")
    return timezone.now()


def wordpress_datetime(value):
    """WordPress's "Y-m-d H:i:s", naive; None when empty, zero (0000-00-00 00:00:00, drafts) or invalid."""
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def rfc822_datetime(value):
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def without_query(url):
    return urlunsplit(urlsplit(url)._replace(query="", fragment=""))


def relative_path(link, blog_url):
    """The link's path (and query), relative to the blog's URL when under it, URL-decoded; "" without a link."""
    if not link:
        return ""
    parts = urlsplit(link)
    path = unquote(parts.path) or "/"
    prefix = unquote(urlsplit(blog_url).path).rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        path = path[len(prefix) :] or "/"
    if not path.startswith("/"):
        path = "/" + path
    return f"{path}?{unquote(parts.query)}" if parts.query else path


def convert(content):
    """Markdown for a post's HTML as WordPress would show it, and the unknown shortcodes it left as text."""
    blocks = "<!-- wp:" in content
    html_text = PAGE_BREAKS.sub("", text.MORE.sub("", BLOCK_COMMENT.sub("", content)))
    html_text = CODE_SHORTCODE.sub(code_shortcode, html_text)
    pres = []
    html_text = PRE.sub(lambda match: protect(clean_pre(match[0]), pres), html_text)
    html_text = CODE_LINES.sub(lambda match: protect(code_block(html.unescape(match[1]), ""), pres), html_text)
    html_text = known_shortcodes(html_text)
    unknown = unknown_shortcodes(html_text)
    html_text = restore(ESCAPED_SHORTCODE.sub(r"\1", html_text), pres)
    return text.html_to_markdown(html_text if blocks else wpautop(html_text)), unknown


def protect(block, store):
    """A placeholder for a block nothing else may touch (WordPress's own trick in wpautop)."""
    store.append(block)
    return f"<pre wp-pre-tag-{len(store) - 1}></pre>"


def restore(html_text, store):
    return PRE_PLACEHOLDER.sub(lambda match: store[int(match[1])], html_text)


def attributes(source):
    """A shortcode's attributes, by lower-case name ("" for [code="python"] and [youtube=…])."""
    return {match[1].lower(): first_value(match) for match in ATTRIBUTE.finditer(source)}


def first_value(match):
    return next(value for value in match.groups()[1:] if value is not None)


def code_block(code, language):
    """A <pre> the Markdown converter fences, with the language as a class it reads."""
    code = code.strip("\n").rstrip()
    css = f' class="language-{html.escape(language)}"' if language and language not in PLAIN_LANGUAGES else ""
    return f"<pre><code{css}>{html.escape(code, quote=False)}</code></pre>"


def code_shortcode(match):
    """SyntaxHighlighter's [code lang="x"], [sourcecode language="x"] and [x]: the code as written."""
    name, given = match[1].lower(), attributes(match[2])
    language = given.get("language") or given.get("lang") or given.get("") or name
    return code_block(html.unescape(match[3]), language.lower())


def clean_pre(block):
    """A <pre> as fenced code: its text, entities decoded, and its language from the usual attributes only
    (class="wp-block-code" or "EnlighterJSRAW" is no language)."""
    opening = re.match(r"<pre\b[^>]*>", block, re.I)[0]
    inner = re.sub(r"<br\s*/?>", "\n", block[len(opening) : -len("</pre>")], flags=re.I)
    code_tag = re.match(r"\s*<code\b[^>]*>", inner, re.I)
    given = attributes(opening + (code_tag[0] if code_tag else ""))
    language = given.get("lang") or given.get("data-lang") or given.get("data-enlighter-language") or ""
    found = LANGUAGE_CLASS.search(given.get("class", ""))
    return code_block(html.unescape(re.sub(r"<[^>]+>", "", inner)), (language or (found[1] if found else "")).lower())


def known_shortcodes(html_text):
    """[caption], [embed], [audio]/[video], [youtube]/[vimeo] and URLs alone on a line, as HTML the converter
    understands."""
    html_text = CAPTION.sub(caption, html_text)
    html_text = EMBED.sub(lambda match: link(match[1].strip()), html_text)
    html_text = MEDIA_SHORTCODE.sub(media, html_text)
    html_text = VIDEO_SHORTCODE.sub(video, html_text)
    return URL_LINE.sub(lambda match: match[1] + link(match[2]), html_text)


def caption(match):
    """The image, then its caption (the text after it, or the old caption="…") as an emphasised line."""
    captioned = CAPTIONED.match(match[3])
    if not captioned:
        return match[3]
    words = captioned[2].strip() or attributes(match[2]).get("caption", "")
    return f"<p>{captioned[1]}</p>\n" + (f"<p><em>{words}</em></p>\n" if words else "")


def media(match):
    """[audio src="…"], [video mp4="…"][/video] and WordPress.com's [audio https://…] as a link to the file."""
    given = attributes(match[2])
    address = next((given[name] for name in MEDIA_SOURCES if given.get(name)), None)
    address = address or next(iter(re.findall(r"https?://[^\s\"'\]]+", match[2])), None)
    return link(address) if address else match[0]


def video(match):
    address = html.unescape(match[2])
    if not address.startswith(("http://", "https://")):
        address = VIDEO_PAGES[match[1].lower()].format(address)
    return link(address)


def link(url):
    url = html.escape(html.unescape(url))
    return f'<a href="{url}">{url}</a>'


def unknown_shortcodes(html_text):
    """Names of what looks like a shortcode (attributes, a closing tag, or a well-known name), once each."""
    names = []
    for match in SHORTCODE.finditer(html_text):
        name, rest = match[1], match[2]
        if (
            name.lower() in WELL_KNOWN_SHORTCODES
            or "=" in rest
            or rest.rstrip().endswith("/")
            or f"[/{name}]" in html_text
        ):
            names.append(f"[{name}]")
    return list(dict.fromkeys(names))


def wpautop(html_text):
    """WordPress's wpautop: blank-line separated blocks become paragraphs, single newlines <br>, except in
    block-level tags and <pre>."""
    if not html_text.strip():
        return ""
    pres = []
    html_text = PRE.sub(lambda match: protect(match[0], pres), html_text)
    html_text = html_text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    html_text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", html_text, flags=re.I)
    html_text = re.sub(rf"(<{BLOCKS}[\s/>])", r"\n\n\1", html_text, flags=re.I)
    html_text = re.sub(rf"(</{BLOCKS}>)", r"\1\n\n", html_text, flags=re.I)
    html_text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", html_text, flags=re.I)
    html_text = TAG_OR_COMMENT.sub(lambda match: match[0].replace("\n", " "), html_text)
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", html_text) if part.strip()]
    html_text = "".join(f"<p>{part}</p>\n" for part in paragraphs)
    for pattern, replacement in PARAGRAPH_FIXES:
        html_text = pattern.sub(replacement, html_text)
    return restore(html_text, pres)


PARAGRAPH_FIXES = [
    (re.compile(r"<p>\s*</p>"), ""),
    (re.compile(r"<p>([^<]+)</(div|address|form)>", re.I), r"<p>\1</p></\2>"),
    (re.compile(rf"<p>\s*({BLOCK_TAG})\s*</p>", re.I), r"\1"),
    (re.compile(r"<p>(<li.+?)</p>", re.I), r"\1"),
    (re.compile(r"<p><blockquote([^>]*)>", re.I), r"<blockquote\1><p>"),
    (re.compile(r"</blockquote></p>", re.I), "</p></blockquote>"),
    (re.compile(rf"<p>\s*({BLOCK_TAG})", re.I), r"\1"),
    (re.compile(rf"({BLOCK_TAG})\s*</p>", re.I), r"\1"),
    (re.compile(r"(?<!<br />)\s*\n"), "<br />\n"),
    (re.compile(rf"({BLOCK_TAG})\s*<br />", re.I), r"\1"),
    (re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.I), r"\1"),
    (re.compile(r"\n</p>$"), "</p>"),
]
