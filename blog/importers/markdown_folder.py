"""Reads a Jekyll or Hugo site's folder into ``Post`` records (records.py), one post file at a time.

Jekyll: ``_posts/**/YYYY-MM-DD-slug.md`` (also ``<category>/_posts`` and under ``collections_dir``) and
``_drafts/``, with YAML front matter. The body stays Markdown (kramdown's attribute lists dropped); ``.html``
posts are converted. The Liquid a post body commonly holds (highlight, raw, comment, post_url, link, site.url,
site.baseurl, relative_url) is rewritten; any other is left as text with a warning. Old URLs: the permalink
(``_config.yml`` style or template, or the post's own), the default ``/YYYY/MM/DD/slug.html`` and
``redirect_from``. Comments: Staticman's ``_data/comments/<slug>/*.yml``, the only ones a static site holds.

Hugo: ``content/{posts,post,blog}/**`` (and the config's ``mainSections``): single files and leaf bundles,
not section pages (``_index.md``), with YAML, TOML or JSON front matter; of a multilingual site, the default
language's (``post.fr.md`` is skipped as a translation). The built-in shortcodes (highlight, figure, ref/relref,
youtube, vimeo, gist, tweet/x, instagram) are rewritten; others are left as text with a warning. Old URLs: the
section path or the config's ``[permalinks]``, ``url`` and ``aliases``.

Both: images the body references that the site holds (found beside the post or under the site's root or
``static/``), aware dates in the site's zone, drafts and scheduled posts. Embeds written as HTML in a Markdown
body (an ``<iframe>`` player, a gist's ``<script>``), which the site would drop, become links to what they show.

Left out: pages other than posts, other Jekyll collections and Hugo sections, a multilingual Hugo site's
other languages (also those kept under a content folder of their own), themes' static files, template logic
(loops, includes: left as text, with a warning), Jekyll categories taken from folders (they shape URLs, not
tags), and Hugo taxonomies besides tags and categories.
"""

import codecs
import datetime
import email.utils
import html
import json
import os
import posixpath
import re
import tomllib
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import yaml
from django.utils import timezone

from .records import Comment, NotAnExport, Post, Report
from .text import MORE, embed_page, fit_summary, html_to_markdown, plain_text, summary_from

NEITHER = "This folder is neither a Jekyll site (no _posts folder) nor a Hugo site (no content/posts folder)."
MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".mkdown", ".mdwn", ".mdtxt", ".mdtext"}
HTML_EXTENSIONS = {".html", ".htm"}
POST_EXTENSIONS = MARKDOWN_EXTENSIONS | HTML_EXTENSIONS
OTHER_TEXT_EXTENSIONS = {".textile", ".txt", ".adoc", ".asciidoc", ".org", ".rst", ".pandoc"}  # skipped, with a reason
IGNORED_FOLDERS = {"_site", "node_modules", "vendor", "public", "resources", "__MACOSX"}
HUGO_SECTIONS = ("posts", "post", "blog")

# Front matter, on text whose line ends are already "\n".
YAML_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)??(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)??\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)

POST_NAME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")  # a Jekyll post's file name, without its extension
DATE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?(?:\s+[A-Z]{3,5})?$",
    re.IGNORECASE,
)
FENCED_CODE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[`~]*[ \t]*$", re.DOTALL | re.MULTILINE)

# Liquid (Jekyll).
LIQUID_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
LIQUID_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}\n?", re.DOTALL)
LIQUID_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+([^\s%]+)[^%]*?-?%\}[ \t]*\n?(.*?)\n?[ \t]*\{%-?\s*endhighlight\s*-?%\}", re.DOTALL
)
LIQUID_SITE_URL = re.compile(r"\{\{-?\s*(?:site\.url|site\.baseurl|base_path|site\.github\.url)\s*-?\}\}")
LIQUID_URL_FILTER = re.compile(
    r"""\{\{-?\s*(["'])(.*?)\1\s*(?:\|\s*(?:relative_url|absolute_url|prepend:\s*site\.(?:base)?url)\s*)+-?\}\}"""
)
LIQUID_POST_URL = re.compile(r"\{%-?\s*post_url\s+[\"']?([^\s%\"']+)[\"']?\s*-?%\}")
LIQUID_LINK = re.compile(r"\{%-?\s*link\s+[\"']?([^\s%\"']+)[\"']?\s*-?%\}")
LIQUID_ANY = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)

# kramdown: a table of contents list item, attribute lists and extensions.
KRAMDOWN_TOC = re.compile(r"^[ \t]*(?:[*+-]|1\.)[ \t]+[^\n]*\n[ \t]*\{:[ \t]*toc[ \t]*\}[ \t]*$\n?", re.MULTILINE)
KRAMDOWN_COMMENT = re.compile(r"\{::comment\}.*?\{:/(?:comment)?\}", re.DOTALL)
KRAMDOWN_BLOCK = re.compile(r"^[ \t]*\{:[^\n]*\}[ \t]*$\n?", re.MULTILINE)  # a line of its own: IAL, ALD, {:toc}
KRAMDOWN_SPAN = re.compile(r"\{:\s*(?:[.#][A-Za-z_-]|[\w-]+=)[^}\n]*\}|\{::[\w]+[^}\n]*/?\}|\{:/[\w]*\}")

# Hugo shortcodes: {{< name args >}} and {{% name args %}}.
SHORTCODE_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.DOTALL)
SHORTCODE_HIGHLIGHT = re.compile(
    r"\{\{[<%]\s*highlight\s+(.*?)\s*[>%]\}\}[ \t]*\n?(.*?)\n?[ \t]*\{\{[<%]\s*/highlight\s*[>%]\}\}", re.DOTALL
)
SHORTCODE = re.compile(r"\{\{[<%]-?\s*([\w./-]+)(.*?)\s*-?[>%]\}\}", re.DOTALL)
SHORTCODE_ARG = re.compile(r"""(?:([\w-]+)=)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))""")

# Images in a Markdown body.
MARKDOWN_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*(?:<([^>\n]+)>|([^\s)]+(?:\([^\s)]*\)[^\s)]*)*))")
REFERENCE_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\[([^\]]*)\]")
# Embeds written as HTML in a Markdown body: an iframe's player, a gist's script.
HTML_EMBED = re.compile(
    r"""<iframe\b[^>]*?\ssrc\s*=\s*["']([^"']+)["'][^>]*>\s*</iframe>"""
    r"""|<script\b[^>]*?\ssrc\s*=\s*["']((?:https?:)?//gist\.github\.com/[^"']+?)\.js\b[^"']*["'][^>]*>\s*</script>""",
    re.IGNORECASE,
)
HTML_IMAGE = re.compile(r"<img\b[^>]*?\ssrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, with dates left as text: to_datetime reads them all alike, and a bad one only warns."""


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


class FrontMatterError(ValueError):
    """A post's front matter that does not parse: the post is skipped with this message."""


class MarkdownFolder:
    """A Jekyll or Hugo site's folder, read as a stream of posts."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        if not folder.is_dir():
            raise NotAnExport("This folder does not exist.")
        self._site = find_site(folder)
        self.label = self._site.label
        self._files = self._site.files()
        self._done = 0
        # The site's host name (_config.yml url, Hugo's baseURL): its absolute links between posts are found by it.
        self.hosts = {urlsplit(self._site.site_url()).netloc} - {""}

    def posts(self, report: Report) -> Iterator[Post]:
        for item, message in self._site.notes:
            report.warn(item, message)
        for path in self._files:
            source_id = self._site.source_id(path)
            try:
                post = self._site.read(path, report)
            except Exception as error:
                report.skip(source_id, f"could not be read: {error}")
                post = None
            self._done += 1
            if post is not None:
                yield post

    def fraction_read(self) -> float:
        return self._done / len(self._files) if self._files else 1.0


def find_site(folder):
    """The Jekyll or Hugo site in the folder itself, else in its only subfolder (a zip's "myblog-main/")."""
    for root in (folder, *only_subfolder(folder)):
        for kind in (JekyllSite, HugoSite):
            if kind.is_one(root):
                return kind(root)
    raise NotAnExport(NEITHER)


def only_subfolder(folder):
    subfolders = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".") and p.name != "__MACOSX"]
    return subfolders if len(subfolders) == 1 else []


class Site:
    """What Jekyll and Hugo sites share: reading a post file, finding its images and the posts it links to."""

    label = ""
    prefix = ""
    static_folders = ()  # where root-relative image paths ("/images/x.png") are looked up

    def __init__(self, root):
        self.root = root
        self.notes = []  # (item, message): warnings about the site as a whole, reported before the posts
        self._slugs = None  # a post's names → its slug, built when a body links to another post

    def source_id(self, path):
        return f"{self.prefix}:{path.relative_to(self.root).as_posix()}"

    def read_file(self, path, warnings):
        """The file's text and its front matter, or a FrontMatterError."""
        return split_front_matter(read_text(path, warnings), self.front_matter_kinds)

    def finish(self, post, path, report, warnings):
        """Add the images the body references, then report the post's warnings against it."""
        post.images.update(self.images(post.body, path, warnings))
        for message in warnings:
            report.warn(post.label, message)
        return post

    def images(self, body, path, warnings):
        """The local images the body references: its reference as written → the file, a warning for each missing one."""
        found = {}
        for reference in image_references(body):
            if reference in found:
                continue
            local = self.local_path(reference)
            if local is None:
                continue
            file = self.find_image(local, path.parent)
            if file:
                found[reference] = file
            else:
                warnings.append(f"image not found: {reference}")
                found[reference] = None
        return {reference: file for reference, file in found.items() if file}

    def local_path(self, reference):
        """The path part of a reference to a file of this site (root-relative or relative); None if remote."""
        if reference.startswith(("data:", "mailto:", "#")):
            return None
        site_url = self.site_url()
        if site_url and reference.startswith(site_url + "/"):
            reference = reference[len(site_url) :]
        elif re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", reference, re.IGNORECASE):
            return None
        return unquote(urlsplit(reference).path)

    def find_image(self, local, beside):
        """The file of an image path: root-relative under the static folders, relative beside the post first."""
        if local.startswith("/"):
            local = self.without_base_path(local)
            candidates = [folder / local.lstrip("/") for folder in self.static_folders]
        else:
            candidates = [beside / local, *(folder / local for folder in self.static_folders)]
        root = self.root.resolve()
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(root):
                return resolved
        return None

    def without_base_path(self, local):
        base = self.base_path()
        return local[len(base) :] if base and local.startswith(base + "/") else local

    def post_slug(self, name):
        """The slug of the post a link names (by file name or path), or None when the site holds no such post."""
        if self._slugs is None:
            self._slugs = self.slug_index()
        return self._slugs.get(name.strip("/").lower())

    def slug_index(self):
        """Every post's names (path, file name, with and without extension) → its slug, from its front matter."""
        index = {}
        for path in self.files():
            try:
                data, _ = self.read_file(path, [])
            except (FrontMatterError, OSError):
                data = {}
            slug = str(lowered(data).get("slug") or self.file_slug(path))
            for name in self.names_of(path):
                index.setdefault(name.lower(), slug)
        return index


class JekyllSite(Site):
    """A Jekyll site: _config.yml, _posts and _drafts."""

    label = "Jekyll site"
    prefix = "jekyll"
    front_matter_kinds = ("yaml",)

    @classmethod
    def is_one(cls, root):
        if (root / "_posts").is_dir() or (root / "_drafts").is_dir():
            return True
        return (root / "_config.yml").is_file() and any(post_folders(root, "_posts"))

    def __init__(self, root):
        super().__init__(root)
        self.config = self.read_config()
        self.zone = site_zone(self.config.get("timezone"), self.notes, "_config.yml")
        self.base = "/" + str(self.config.get("baseurl") or "").strip("/")
        self.static_folders = (root,)
        self.collections = root / str(self.config.get("collections_dir") or "")
        self.drafts = set()

    def read_config(self):
        for name, load in (("_config.yml", yaml.safe_load), ("_config.yaml", yaml.safe_load), ("_config.toml", None)):
            path = self.root / name
            if path.is_file():
                return load_config(path, load, self.notes)
        return {}

    def site_url(self):
        return str(self.config.get("url") or "").rstrip("/")

    def base_path(self):
        return self.base.rstrip("/")

    def files(self):
        """Every post and draft file, in a stable order; drafts remembered as such."""
        posts, drafts = [], []
        for folder in post_folders(self.collections, "_posts"):
            posts += post_files(folder)
        for folder in post_folders(self.collections, "_drafts"):
            drafts += post_files(folder)
        self.drafts = set(drafts)
        return posts + drafts

    def file_slug(self, path):
        match = POST_NAME.match(path.stem)
        return match[4] if match else path.stem

    def names_of(self, path):
        """What {% post_url %} and {% link %} call a post: its name, and its path from the site root."""
        relative = path.relative_to(self.root).as_posix()
        in_posts = relative.split("/_posts/", 1)[-1]  # {% post_url 2010/2010-05-03-slug %} names a subfolder's post
        return {path.stem, posixpath.splitext(relative)[0], relative, posixpath.splitext(in_posts)[0]}

    def read(self, path, report):
        source_id = self.source_id(path)
        draft = path in self.drafts
        match = POST_NAME.match(path.stem)
        if path.suffix.lower() not in POST_EXTENSIONS:
            report.skip(source_id, f"not Markdown or HTML: {path.suffix} files are not read")
            return None
        if not match and not draft:
            report.skip(source_id, "its name does not start with a date (YYYY-MM-DD-title.md), so Jekyll skips it")
            return None
        warnings = []
        try:
            data, text = self.read_file(path, warnings)
        except FrontMatterError as error:
            report.skip(source_id, str(error))
            return None
        file_slug = self.file_slug(path)
        slug = str(data.get("slug") or file_slug)
        title = str(data.get("title") or "").strip()
        if not title:
            title = " ".join(word.capitalize() for word in file_slug.split("-"))
            warnings.append("no title: made one from the file name")
        date = self.post_date(data, match, path, warnings)
        status = self.status(data, date, draft)
        body, head = self.body(text, path, data, warnings)
        post = Post(
            source_id=source_id,
            title=title,
            slug=slug,
            date=date,
            status=status,
            body=body,
            summary=summary(data.get("excerpt"), head, data.get("description"), body),
            tags=unique(as_list(data.get("tags")) + as_list(data.get("tag")) + self.categories(data)),
            old_paths=self.old_paths(path, data, date, slug),
        )
        post.comments = self.comments({slug, file_slug}, source_id, warnings)
        return self.finish(post, path, report, warnings)

    def post_date(self, data, match, path, warnings):
        """The front matter's date, else the file name's (00:00 in the site's zone), else the file's mtime."""
        if data.get("date") is not None:
            date = to_datetime(data["date"], self.zone)
            if date:
                return date
            warnings.append(f"date not understood: {data['date']}")
        if match:
            try:
                return datetime.datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=self.zone)
            except ValueError:
                warnings.append(f"the file name's date is not a date: {path.stem}")
        warnings.append("no date: used the file's modification time")
        return file_time(path)

    def status(self, data, date, draft):
        if draft or not truthy(data.get("published", True)):
            return "draft"
        if date > timezone.now() and not truthy(self.config.get("future", False)):
            return "scheduled"
        return "live"

    def categories(self, data):
        return as_list(data.get("categories")) + as_list(data.get("category"))

    def body(self, text, path, data, warnings):
        """The body as Markdown, and the text before the excerpt separator (None without one)."""
        text = self.liquid(text, path.suffix.lower() in HTML_EXTENSIONS, warnings)
        separator = data.get("excerpt_separator") or self.config.get("excerpt_separator")
        head = cut(text, str(separator) if separator else None)
        if path.suffix.lower() in HTML_EXTENSIONS:
            text = html_to_markdown(text)
            head = html_to_markdown(head) if head is not None else None
        else:
            text = outside_code(outside_code(text, remove_kramdown), embeds_as_links)
        return text, head

    def liquid(self, text, is_html, warnings):
        """The Liquid a post commonly holds rewritten; {% raw %} kept as written; others left, with one warning."""
        raws = []

        def keep_raw(match):
            raws.append(match[1])
            return f"\x00{len(raws) - 1}\x00"

        def restore(value):
            return re.sub(r"\x00(\d+)\x00", lambda m: raws[int(m[1])], value)

        text = LIQUID_RAW.sub(keep_raw, text)
        text = LIQUID_COMMENT.sub("", text)
        text = LIQUID_URL_FILTER.sub(lambda m: m[2], text)
        text = LIQUID_SITE_URL.sub("", text)
        text = LIQUID_POST_URL.sub(lambda m: self.post_link(m[0], m[1]), text)
        text = LIQUID_LINK.sub(lambda m: self.post_link(m[0], m[1]), text)
        left = [
            " ".join(m[0].split())
            for m in LIQUID_ANY.finditer(LIQUID_HIGHLIGHT.sub("", text))
            if not re.match(r"\{%-?\s*(?:end)?highlight\b", m[0])
        ]
        if left:
            warnings.append(f"Liquid left as text: {named(left)}")
        text = LIQUID_HIGHLIGHT.sub(lambda m: code_block(m[1], restore(m[2]), is_html), text)
        return restore(text)

    def post_link(self, tag, name):
        """/post/<slug>/ for a link to another post (our site redirects it); the tag unchanged if it names none."""
        slug = self.post_slug(name)
        if slug is None and POST_NAME.match(posixpath.basename(name)):
            slug = POST_NAME.match(posixpath.basename(name))[4]
        return f"/post/{slug}/" if slug else tag

    def old_paths(self, path, data, date, slug):
        """The permalink as configured or set by the post, the default date URL, and redirect_from."""
        template = str(data.get("permalink") or self.config.get("permalink") or "date")
        tokens = self.url_tokens(path, data, date, slug)
        # Jekyll keeps a category's spaces (%20); the slugify plugins many sites use make them hyphens.
        slugged = {**tokens, "categories": "/".join(slugify_jekyll(c) for c in self.url_categories(path, data))}
        paths = [self.permalink(template, tokens), self.permalink(template, slugged)]
        paths.append(self.permalink("/:year/:month/:day/:title:output_ext", tokens))
        redirects = as_list(data.get("redirect_from"), split=False)
        return unique(paths + [re.sub(r"/+", "/", f"{self.base_path()}/{old}") for old in redirects])

    def url_tokens(self, path, data, date, slug):
        """Jekyll's permalink placeholders for a post, its date in the site's zone."""
        local = date.astimezone(self.zone)
        return {
            "year": local.strftime("%Y"),
            "short_year": local.strftime("%y"),
            "month": local.strftime("%m"),
            "i_month": str(local.month),
            "short_month": local.strftime("%b"),
            "long_month": local.strftime("%B"),
            "day": local.strftime("%d"),
            "i_day": str(local.day),
            "y_day": local.strftime("%j"),
            "w_year": local.strftime("%G"),
            "week": local.strftime("%V"),
            "w_day": local.strftime("%u"),
            "short_day": local.strftime("%a"),
            "long_day": local.strftime("%A"),
            "hour": local.strftime("%H"),
            "minute": local.strftime("%M"),
            "second": local.strftime("%S"),
            "title": slugify_jekyll(slug, pretty=True, cased=True),
            "slug": slugify_jekyll(slug),
            "name": slugify_jekyll(path.stem),
            "categories": "/".join(c.lower() for c in self.url_categories(path, data)),
            "output_ext": ".html",
        }

    def url_categories(self, path, data):
        """The categories in a post's URL: its front matter's, else the folders above its _posts (plus `category`)."""
        if data.get("categories"):
            categories = as_list(data["categories"])
        else:
            above = path.relative_to(self.collections).parts
            categories = list(above[: above.index("_posts")]) if "_posts" in above else []
        return unique(categories + as_list(data.get("category")))

    def permalink(self, template, tokens):
        template = JEKYLL_STYLES.get(template, template)
        names = "|".join(sorted(tokens, key=len, reverse=True))
        url = re.sub(f":({names})", lambda m: tokens[m[1]], template)
        url = re.sub(r"/+", "/", f"{self.base_path()}/{url}".replace("..", "/").replace("./", ""))
        return quote(url, safe="/:@!$&'()*+,;=-._~%")

    def comments(self, slugs, source_id, warnings):
        """Staticman's comments on the post: _data/comments/<slug>/*.yml (or .json)."""
        folders = [self.root / "_data" / "comments" / slug for slug in sorted(slugs)]
        files = [f for folder in folders if folder.is_dir() for f in sorted(folder.iterdir()) if f.is_file()]
        comments, ids = [], {}
        for file in files:
            if file.suffix.lower() not in {".yml", ".yaml", ".json"}:
                continue
            try:
                data = yaml.safe_load(read_text(file, []))  # YAML reads JSON too
            except (yaml.YAMLError, ValueError) as error:
                warnings.append(f"comment {file.name} could not be read: {error}")
                continue
            if isinstance(data, dict):
                comments.append(self.comment(file, lowered(data)))
                ids[str(data.get("_id") or file.stem)] = comments[-1].source_id
        for comment in comments:
            comment.parent_id = ids.get(comment.parent_id or "")
        return comments

    def comment(self, file, data):
        """A Staticman comment: its parent_id, for now, the _id of the comment it answers."""
        address = str(data.get("email") or "")
        when = data.get("date")
        is_timestamp = isinstance(when, int | float) and not isinstance(when, bool)
        created = (
            datetime.datetime.fromtimestamp(when, tz=datetime.UTC) if is_timestamp else to_datetime(when, self.zone)
        )
        return Comment(
            source_id=self.source_id(file),
            parent_id=str(data.get("replying_to_uid") or data.get("replying_to") or "") or None,
            name=str(data.get("name") or ""),
            email=address if "@" in address else "",  # Staticman often keeps only an MD5 hash of it
            url=str(data.get("url") or data.get("website") or ""),
            ip=None,
            created=created or file_time(file),
            text=str(data.get("message") or data.get("comment") or ""),
            status="approved",
        )


JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


class HugoSite(Site):
    """A Hugo site: its config, content/<section>/ and static/."""

    label = "Hugo site"
    prefix = "hugo"
    front_matter_kinds = ("yaml", "toml", "json")

    @classmethod
    def is_one(cls, root):
        return bool(hugo_sections(root, read_hugo_config(root, [])))

    def __init__(self, root):
        super().__init__(root)
        self.config = read_hugo_config(root, self.notes)
        self.zone = site_zone(self.config.get("timezone"), self.notes, "Hugo config")
        self.content = root / str(self.config.get("contentdir") or "content")
        static = self.config.get("staticdir") or "static"
        self.static_folders = tuple(root / str(folder) for folder in (static if isinstance(static, list) else [static]))
        permalinks = lowered(self.config.get("permalinks") or {})
        self.permalinks = lowered(permalinks["page"]) if isinstance(permalinks.get("page"), dict) else permalinks
        self.sections = hugo_sections(root, self.config)
        self.languages = set(lowered(self.config.get("languages")))
        self.language = str(self.config.get("defaultcontentlanguage") or "en").lower()

    def site_url(self):
        return str(self.config.get("baseurl") or "").rstrip("/")

    def base_path(self):
        return urlsplit(str(self.config.get("baseurl") or "")).path.rstrip("/")

    def files(self):
        return [path for section in self.sections for path in hugo_pages(section)]

    def file_slug(self, path):
        stem = path.stem.removesuffix(f".{self.language}")  # post.en.md: the default language's
        return path.parent.name if stem == "index" else stem

    def translation(self, path):
        """The language of a translation, post.fr.md, when fr is one of the site's other languages."""
        language = Path(path.stem).suffix[1:].lower()
        return language if language in self.languages - {self.language} else None

    def names_of(self, path):
        """What {{< ref >}} calls a page: its path in content/ (with or without extension), its file or bundle name."""
        relative = path.relative_to(self.content).as_posix()
        names = {relative, posixpath.splitext(relative)[0], path.name, self.file_slug(path)}
        if path.stem == "index":
            names.add(posixpath.dirname(relative))
        return names

    def read(self, path, report):
        source_id = self.source_id(path)
        if language := self.translation(path):
            report.skip(source_id, f"a translation ({language}): only the default language, {self.language}, is read")
            return None
        warnings = []
        try:
            data, text = self.read_file(path, warnings)
        except FrontMatterError as error:
            report.skip(source_id, str(error))
            return None
        data = lowered(data)
        now = timezone.now()
        expiry = to_datetime(first(data, "expirydate", "unpublishdate"), self.zone)
        if expiry and expiry <= now:
            report.skip(source_id, f"expired in Hugo (expiryDate {expiry:%Y-%m-%d})")
            return None
        slug = str(data.get("slug") or self.file_slug(path))
        title = str(data.get("title") or "").strip()
        if not title:
            title = self.file_slug(path).replace("-", " ").capitalize()
            warnings.append("no title: made one from the file name")
        date, status = self.date_and_status(data, path, now, warnings)
        body = self.shortcodes(text, path.suffix.lower() in HTML_EXTENSIONS, warnings)
        head = cut(body, None)
        if path.suffix.lower() in HTML_EXTENSIONS:
            body = html_to_markdown(body)
            head = html_to_markdown(head) if head is not None else None
        else:
            body = outside_code(body, embeds_as_links)
        post = Post(
            source_id=source_id,
            title=title,
            slug=slug,
            date=date,
            status=status,
            body=body,
            summary=summary(data.get("summary"), head, data.get("description"), body),
            tags=unique(as_list(data.get("tags")) + as_list(data.get("categories"))),
            old_paths=self.old_paths(path, data, date, slug, title),
        )
        return self.finish(post, path, report, warnings)

    def date_and_status(self, data, path, now, warnings):
        """Hugo's .Date (date, else publishDate, else lastmod), and draft, scheduled (publishDate ahead) or live."""
        raw = first(data, "date", "publishdate", "pubdate", "published", "lastmod", "modified")
        date = to_datetime(raw, self.zone)
        if raw is not None and date is None:
            warnings.append(f"date not understood: {raw}")
        if date is None:
            warnings.append("no date: used the file's modification time")
            date = file_time(path)
        publish = to_datetime(first(data, "publishdate", "pubdate", "published"), self.zone) or date
        if truthy(data.get("draft", False)):
            return date, "draft"
        if publish > now and not truthy(self.config.get("buildfuture", False)):
            return publish, "scheduled"
        return date, "live"

    def shortcodes(self, text, is_html, warnings):
        """The built-in shortcodes rewritten as Markdown; {{</* */>}} shown as written; others left, one warning."""
        escaped = []

        def keep_escaped(match):
            escaped.append("{{" + match[1] + match[2] + match[3] + "}}")
            return f"\x00{len(escaped) - 1}\x00"

        text = SHORTCODE_ESCAPED.sub(keep_escaped, text)
        text = SHORTCODE_HIGHLIGHT.sub(lambda m: code_block((shortcode_args(m[1])[0] + [""])[0], m[2], is_html), text)
        left = []
        text = SHORTCODE.sub(lambda m: self.shortcode(m, left), text)
        if left:
            warnings.append(f"Hugo shortcodes left as text: {named(left)}")
        return re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m[1])], text)

    def shortcode(self, match, left):
        name, (positional, named_args) = match[1], shortcode_args(match[2])
        arg = (positional + [""])[0]
        if name == "figure":
            return figure(named_args)
        if name in {"ref", "relref"}:
            return self.ref(named_args.get("path") or arg) or left.append(f"{name} {arg}") or match[0]
        video = {
            "youtube": "https://www.youtube.com/watch?v={}",
            "vimeo": "https://vimeo.com/{}",
            "instagram": "https://www.instagram.com/p/{}/",
        }
        if name in video and (named_args.get("id") or arg):
            return "<" + video[name].format(named_args.get("id") or arg) + ">"
        if name == "gist" and len(positional) >= 2:
            return f"<https://gist.github.com/{positional[0]}/{positional[1]}>"
        if name in {"tweet", "x"} and (named_args.get("id") or arg):
            user = named_args.get("user") or "i"
            host = "twitter.com" if name == "tweet" else "x.com"
            return f"<https://{host}/{user}/status/{named_args.get('id') or arg}>"
        if not name.startswith("/"):
            left.append(name)
        return match[0]

    def ref(self, target):
        """/post/<slug>/ (and the anchor) for a {{< ref >}} to a post; None when no post has that name."""
        name, _, anchor = target.partition("#")
        if not name:
            return f"#{anchor}"
        slug = self.post_slug(name)
        return f"/post/{slug}/" + (f"#{anchor}" if anchor else "") if slug else None

    def old_paths(self, path, data, date, slug, title):
        """The post's URL (its `url`, else the section's permalink pattern, else its path), and its aliases."""
        relative = path.relative_to(self.content)
        folders = list(relative.parts[:-2] if path.stem == "index" else relative.parts[:-1])
        if data.get("url"):
            own = "/" + str(data["url"]).lstrip("/")
        else:
            own = self.own_path(folders, path, data, date, slug, title)
        paths = [own] + [self.alias(own, str(alias)) for alias in as_list(data.get("aliases"), split=False)]
        return unique(quote(re.sub(r"/+", "/", self.base_path() + p), safe="/:@!$&'()*+,;=-._~%") for p in paths)

    def own_path(self, folders, path, data, date, slug, title):
        """The URL Hugo gives a post: the section's permalink pattern, else its folders and slug (lower case)."""
        template = self.permalinks.get(folders[0].lower())
        if template:
            own = self.permalink(str(template), folders, path, data, date, title)
        else:
            own = "/" + "/".join([*folders, urlize(slug)]) + (".html" if truthy(self.config.get("uglyurls")) else "/")
        return own if truthy(self.config.get("disablepathtolower", False)) else own.lower()

    def permalink(self, template, folders, path, data, date, title):
        filename = self.file_slug(path)
        tokens = {
            "year": date.strftime("%Y"),
            "month": date.strftime("%m"),
            "monthname": date.strftime("%B"),
            "day": date.strftime("%d"),
            "weekday": str(date.isoweekday() % 7),
            "weekdayname": date.strftime("%A"),
            "yearday": str(date.timetuple().tm_yday),
            "section": folders[0],
            "sections": "/".join(folders),
            "title": urlize(title),
            "slug": urlize(str(data.get("slug") or title)),
            "filename": filename,
            "contentbasename": filename,
            "slugorfilename": urlize(str(data.get("slug") or filename)),
            "slugorcontentbasename": urlize(str(data.get("slug") or filename)),
        }
        names = "|".join(sorted(tokens, key=len, reverse=True))
        return "/" + re.sub(f":({names})", lambda m: tokens[m[1]], template).lstrip("/")

    def alias(self, own, alias):
        """An alias as an absolute path; a relative one is relative to the folder the post's URL is in."""
        alias = urlsplit(alias).path if "://" in alias else alias
        if not alias.startswith("/"):
            alias = posixpath.normpath(posixpath.join(posixpath.dirname(own.rstrip("/")), alias))
        if not posixpath.splitext(alias)[1] and not alias.endswith("/"):
            alias += "/"
        return alias


# Front matter, text and dates.


def read_text(path, warnings):
    """The file's text, UTF-8 (a BOM dropped), undecodable bytes replaced with a warning, line ends as "\\n"."""
    raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        text = raw.decode("utf-8", errors="replace")
        warnings.append(f"not valid UTF-8 (from byte {error.start}): undecodable bytes replaced with “�”")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text, kinds):
    """(front matter as a dict, body) for the kinds of front matter the generator reads; ({}, text) without any."""
    if "yaml" in kinds and (match := YAML_FRONT.match(text)):
        return load_front_matter(match[1] or "", "YAML"), text[match.end() :]
    if "toml" in kinds and (match := TOML_FRONT.match(text)):
        return load_front_matter(match[1] or "", "TOML"), text[match.end() :]
    if "json" in kinds and text.startswith("{"):
        try:
            data, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as error:
            raise FrontMatterError(f"its front matter is not valid JSON (line {error.lineno}: {error.msg})") from None
        return mapping(data, "JSON"), text[end:].lstrip("\n")
    return {}, text


def load_front_matter(source, kind):
    try:
        data = tomllib.loads(source) if kind == "TOML" else yaml.load(source, FrontMatterLoader)  # noqa: S506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 2}: " if mark else ""
        raise FrontMatterError(f"its front matter is not valid YAML ({line}{error.problem or error})") from None
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as error:
        raise FrontMatterError(f"its front matter is not valid {kind} ({error})") from None
    return mapping(data, kind)


def mapping(data, kind):
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(f"its front matter is not a {kind} mapping of fields")
    return data


def load_config(path, load, notes):
    """A config file as a dict; a broken one noted and read as empty."""
    try:
        text = read_text(path, [])
        data = load(text) if load else tomllib.loads(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError, ValueError) as error:
        notes.append((path.name, f"could not be read, so its settings were not used: {error}"))
        return {}
    return data if isinstance(data, dict) else {}


def to_datetime(value, zone):
    """An aware datetime from a front matter value (a date, a datetime, or text as Jekyll and Hugo write it)."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=zone)
    if not isinstance(value, str) or not value.strip():
        return None
    match = DATE.match(value.strip())
    if not match:
        try:
            parsed = email.utils.parsedate_to_datetime(value)  # "Mon, 03 May 2010 14:20:00 -0500"
        except (TypeError, ValueError):
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        return datetime.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=utc_offset(offset) if offset else zone,
        )
    except ValueError:
        return None


def utc_offset(text):
    if text.upper() in {"Z", "UTC", "GMT"}:
        return datetime.UTC
    sign = -1 if text.startswith("-") else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    return datetime.timezone(sign * datetime.timedelta(hours=int(hours), minutes=int(minutes)))


def site_zone(name, notes, where):
    """The site's time zone as configured, else the blog's own."""
    if name:
        try:
            return zoneinfo.ZoneInfo(str(name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            notes.append((where, f"unknown time zone “{name}”: dates without a zone are read in the blog's"))
    return timezone.get_default_timezone()


def file_time(path):
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)


def truthy(value):
    return value.strip().lower() in {"true", "yes", "on", "1"} if isinstance(value, str) else bool(value)


def as_list(value, split=True):
    """A front matter list of strings: a list, or one string (split at spaces and commas, as Jekyll and Hugo do)."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if item is not None and str(item).strip()]
    return [word for word in re.split(r"[,\s]+", str(value)) if word] if split else [str(value)]


def unique(items):
    """The items in order, without repeats (tags compared without case)."""
    seen, kept = set(), []
    for item in items:
        if item.lower() not in seen:
            seen.add(item.lower())
            kept.append(item)
    return kept


def lowered(data):
    """A mapping with its keys in lower case: Hugo's keys are case-insensitive (publishDate, publishdate)."""
    return {str(key).lower(): value for key, value in data.items()} if isinstance(data, dict) else {}


def first(data, *keys):
    return next((data[key] for key in keys if data.get(key) not in (None, "")), None)


def named(items, shown=5):
    """A short list of what was left as text: the first few, and how many more."""
    items = list(dict.fromkeys(items))
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


# Bodies.


def summary(explicit, head, description, body):
    """The author's excerpt, else the text before the cut, else the description, else the first sentences."""
    if explicit:
        return fit_summary(plain_text(str(explicit)))
    if head is not None:
        return fit_summary(plain_text(head))
    if description:
        return fit_summary(plain_text(str(description)))
    return summary_from(body)


def cut(text, separator):
    """The text before the excerpt separator (the given one, else <!--more-->), or None without one."""
    if separator and separator in text:
        return text.split(separator, 1)[0]
    parts = MORE.split(text, maxsplit=1)
    return parts[0] if len(parts) == 2 else None


def code_block(language, code, is_html):
    """A fenced code block (a <pre> in an HTML post) for a highlight tag or shortcode."""
    language = language.strip("\"'")
    if is_html:
        return f'<pre><code class="language-{html.escape(language)}">{html.escape(code)}</code></pre>'
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", code)), default=0))
    return f"{fence}{language}\n{code}\n{fence}"


def outside_code(text, change):
    """The text with ``change`` applied everywhere but in fenced code blocks."""
    parts, start = [], 0
    for match in FENCED_CODE.finditer(text):
        parts += [change(text[start : match.start()]), match[0]]
        start = match.end()
    return "".join([*parts, change(text[start:])])


def embeds_as_links(text):
    """An <iframe> player or a gist's <script>, which the site does not show, as a link to what it shows."""
    return HTML_EMBED.sub(lambda m: f"<{embed_page(m[1]) if m[1] else embed_page(m[2])}>", text)


def remove_kramdown(text):
    """kramdown's attribute lists, {:toc} (and its list item) and extensions, which our Markdown would show."""
    text = KRAMDOWN_TOC.sub("", text)
    text = KRAMDOWN_COMMENT.sub("", text)
    text = KRAMDOWN_BLOCK.sub("", text)
    return KRAMDOWN_SPAN.sub("", text)


def image_references(body):
    """Every image reference in a Markdown body, as written: ![](…), ![][id] with its definition, <img src>."""
    references = []

    def collect(text):
        references.extend(m[1] or m[2] for m in MARKDOWN_IMAGE.finditer(text))
        references.extend(m[1] or m[2] or m[3] for m in HTML_IMAGE.finditer(text))
        for m in REFERENCE_IMAGE.finditer(text):
            label = re.escape(m[2] or m[1])
            definition = re.search(rf"^ {{0,3}}\[{label}\]:\s*<?([^\s>]+)>?", text, re.MULTILINE | re.IGNORECASE)
            if definition:
                references.append(definition[1])
        return text

    outside_code(body, collect)
    return [reference.strip() for reference in references if reference and reference.strip()]


def slugify_jekyll(text, pretty=False, cased=False):
    """Jekyll's Utils.slugify: "default" mode keeps letters and digits, "pretty" also ._~!$&'()+,;=@."""
    pattern = r"[^\w.~!$&'()+,;=@]+" if pretty else r"[^\w]+|_+"
    slug = re.sub(pattern, "-", str(text)).strip("-")
    return slug if cased else slug.lower()


def urlize(text):
    """Hugo's urlize: spaces become hyphens, other punctuation goes (path separators and ._-~#+ stay)."""
    text = re.sub(r"\s+", "-", str(text).strip())
    return "".join(c for c in text if c.isalnum() or c in "./_-~#+%")


# Hugo config, sections and shortcodes.


def hugo_config_files(root):
    names = [f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")]
    default = root / "config" / "_default"
    return [path for path in [root / name for name in names] + [default / name for name in names] if path.is_file()]


def read_hugo_config(root, notes):
    """Hugo's settings (keys in lower case), from hugo.* or config.*, and config/_default/ with its per-key files."""
    loaders = {".toml": None, ".yaml": yaml.safe_load, ".yml": yaml.safe_load, ".json": json.loads}
    config = {}
    for path in hugo_config_files(root):
        config.update(lowered(load_config(path, loaders[path.suffix], notes)))
    default = root / "config" / "_default"
    for stem in ("permalinks", "params"):
        for suffix, load in loaders.items():
            if (default / f"{stem}{suffix}").is_file():
                config[stem] = load_config(default / f"{stem}{suffix}", load, notes)
    return config


def hugo_sections(root, config):
    """The content folders holding posts: posts, post, blog, and the sections the config calls main."""
    content = root / str(config.get("contentdir") or "content")
    main = as_list(lowered(config.get("params")).get("mainsections") or config.get("mainsections"))
    return [content / name for name in dict.fromkeys([*HUGO_SECTIONS, *main]) if (content / name).is_dir()]


def hugo_pages(folder):
    """The page files under a section: single pages, and each leaf bundle's index (its other files are resources)."""
    pages = []
    for directory, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        index = next((n for n in sorted(names) if Path(n).stem == "index" and Path(n).suffix in POST_EXTENSIONS), None)
        if index:
            folders[:] = []
            pages.append(Path(directory) / index)
            continue
        pages += [
            Path(directory) / name
            for name in sorted(names)
            if Path(name).suffix.lower() in POST_EXTENSIONS and not name.startswith((".", "_"))
        ]
    return pages


def shortcode_args(text):
    """A shortcode's positional and named arguments."""
    positional, named_args = [], {}
    for match in SHORTCODE_ARG.finditer(text or ""):
        value = match[2].replace('\\"', '"') if match[2] is not None else match[3] if match[3] is not None else match[4]
        if match[1]:
            named_args[match[1].lower()] = value
        else:
            positional.append(value)
    return positional, named_args


def figure(args):
    """A {{< figure >}} as a Markdown image (linked if it links), and its caption and credit as a line below."""
    alt = args.get("alt") or args.get("caption") or args.get("title") or ""
    title = args.get("title", "").replace('"', "'")
    image = f"![{alt}]({args.get('src', '')}" + (f' "{title}")' if title else ")")
    if args.get("link"):
        image = f"[{image}]({args['link']})"
    attribution = args.get("attr", "").strip()
    if attribution and args.get("attrlink"):
        attribution = f"[{attribution}]({args['attrlink']})"
    caption = " ".join(part for part in (args.get("caption", "").strip(), attribution) if part)
    return f"{image}\n\n*{caption}*" if caption else image


# Jekyll folders.


def post_folders(base, name):
    """Every folder called ``name`` (_posts, _drafts) in the site, at its root or under category folders."""
    if not base.is_dir():
        return []
    found = []
    for directory, folders, _ in os.walk(base):
        if name in folders:
            found.append(Path(directory) / name)
        folders[:] = sorted(f for f in folders if not f.startswith((".", "_")) and f not in IGNORED_FOLDERS)
    return found


def post_files(folder):
    """The files of a _posts or _drafts folder that may be posts; Jekyll ignores names starting with . _ # ~."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith((".", "_", "#", "~")) for part in path.relative_to(folder).parts)
        and path.suffix.lower() in POST_EXTENSIONS | OTHER_TEXT_EXTENSIONS
    )
