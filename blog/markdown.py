"""Markdown to HTML, one way for the whole site: posts, page bodies, sidebar blurbs, previews, bench data.

Why not wagtail-markdown's ``render_markdown`` (and its ``|markdown`` filter): it looks up ``page:``,
``image:`` and ``doc:`` links as it renders, and a malformed one raised (``page:abc`` in a blurb made
every page a 500); it linked drafts and private pages; and its sanitiser let editors' HTML keep
``style``, ``id`` and any ``class``. We keep its editor field and Python-Markdown and nh3 beneath it:

- ``render`` makes sanitised HTML in which references stay as written (``href="page:12"``), the way
  Wagtail's rich text stores links: nothing in it depends on the database, so stored HTML never
  holds a URL that may stop being public;
- ``resolve`` makes them links when the HTML is shown (``{% references %}`` in base.html, the feeds),
  all of a page's at once, in at most five queries: a page only while it is live and under no Privacy
  setting, so an unpublished, deleted or private page becomes its plain link text (logged as a
  warning), as does a deleted image or document;
- ``validate`` names a text's malformed and dangling references, for the editor's page form.

Readers' comments have a narrower Markdown of their own, ``render_comment``: no references, no images,
no headings, no HTML.
"""

import html
import logging
import re
import threading
from xml.etree import ElementTree

import markdown
import nh3
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString
from pygments.token import STANDARD_TYPES
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtailmarkdown.constants import DEFAULT_ALLOWED_TAGS

logger = logging.getLogger("escribe.markdown")

EXTENSIONS = ["extra", "codehilite", "toc", "wagtailmarkdown.mdx.inlinepatterns:DelExtension"]  # ~~struck~~
EXTENSION_CONFIGS = {
    "extra": {"tables": {"use_align_attribute": True}},  # align="…", not a style attribute
    "codehilite": {
        "css_class": "highlight",
        "guess_lang": False,
    },  # Pygments' classes: static/vendor/pygments/pygments.css
    "toc": {"permalink": False},  # headings get ids to link to
}
# A picture in a post is sent at the width the reader's screen needs (srcset), never as uploaded; its width and
# height are given so the text does not jump as it loads. The middle size is the src; links go to the largest.
IMAGE_WIDTHS = (480, 960, 1440)
IMAGE_SPECS = tuple(f"width-{width}" for width in IMAGE_WIDTHS)
IMAGE_SIZES = "(max-width: 46rem) calc(100vw - 2rem), 42rem"  # the text column (static/css/escribe.css: --measure)
SOCIAL_SPEC = "fill-1200x630"  # a post image as link previews (Facebook, LinkedIn, Mastodon, X) and feeds show it

# The renderer's own classes and ids are kept; an editor's HTML keeps neither, nor any style.
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CODE_CLASSES = {"highlight", "hll", *STANDARD_TYPES.values()} - {""}
FOOTNOTE_ID = re.compile(r"fn(ref\d*)?:\S+")
SANITISER = {
    "tags": {*DEFAULT_ALLOWED_TAGS, *HEADINGS, "abbr"},
    "attributes": {
        "a": {"href", "title"},
        "img": {"src", "alt", "title"},
        "abbr": {"title"},
        "ol": {"start"},
        "th": {"align", "colspan", "rowspan", "scope"},
        "td": {"align", "colspan", "rowspan"},
        **{tag: {"id"} for tag in (*HEADINGS, "li", "sup")},  # toc's and the footnotes': keep_own_ids
    },
    "tag_attribute_values": {"a": {"target": {"_blank"}}},
    "allowed_classes": {
        "div": {*CODE_CLASSES, "footnote", "toc"},
        "span": CODE_CLASSES,
        "a": {"footnote-ref", "footnote-backref"},
        "img": {"left", "right"},  # ![…](image:12){: .left } floats a picture beside the text
    },
    "url_schemes": {"http", "https", "mailto", "tel", "page", "image", "doc"},
    "link_rel": None,  # only links that open a new window get one, below
}
# nh3 escapes < and > in attribute values and text, so a tag runs from < to the next >.
NEW_WINDOW = re.compile(r'<a (?=[^>]*\btarget="_blank")')
EMPTY_CLASS = re.compile(r'(<[a-z][^>]*?) class=""')  # left where no class was allowed

# References as nh3 writes them: in an <a> or <img> tag, whose attribute values hold no quote and no >.
# Where a reference may start (="page:, in any case), looked for first: on a page with none, as most are,
# the full pattern below takes 1 ms to find nothing in a post with 50 comments, this 0.13 ms.
MAYBE_REFERENCE = re.compile(r'="(?:[pP][aA][gG][eE]|[iI][mM][aA][gG][eE]|[dD][oO][cC]):')
REFERENCE = re.compile(r'<(?:a|img) [^>]*?\b(href|src)="(page|image|doc):([^"]*)"', re.IGNORECASE)
LINK = re.compile(r'<a ([^>]*?)href="(page|image|doc):([^"]*)"([^>]*)>(.*?)</a>', re.IGNORECASE | re.DOTALL)
IMAGE = re.compile(r'<img ([^>]*?)src="(page|image|doc):([^"]*)"([^>]*)>', re.IGNORECASE)
ALT = re.compile(r'\balt="([^"]*)"')
# A number within SQLite's integers; a page may name a heading: page:12#setting-up.
WELL_FORMED = {"page": re.compile(r"(\d{1,18})(#[\w-]+)?"), "image": re.compile(r"(\d{1,18})()")}
WELL_FORMED["doc"] = WELL_FORMED["image"]
EXAMPLE = {"page": "page:12 or page:12#a-heading", "image": "image:12", "doc": "doc:12"}
NAME = {"page": "page", "image": "image", "doc": "document"}


def render(text):
    """Sanitised HTML for a Markdown text, its references left for ``resolve``. Never touches the database."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html5")
    output = md.convert(text or "")
    heading_ids = set(_heading_ids(md.toc_tokens))

    def keep_own_ids(tag, attribute, value):
        if attribute != "id":
            return value
        return value if (value in heading_ids if tag in HEADINGS else FOOTNOTE_ID.fullmatch(value)) else None

    output = EMPTY_CLASS.sub(r"\1", nh3.clean(output, attribute_filter=keep_own_ids, **SANITISER))
    return mark_safe(NEW_WINDOW.sub('<a rel="noopener noreferrer" ', output))  # noqa: S308 (sanitised just above)


class ReadersMarkdown(Extension):
    """What a reader may write in a comment: paragraphs (a line break is kept), *emphasis*, `code`, fenced
    code blocks (highlighted as in posts), links and > block quotes; a bare web address becomes a link.
    Everything else shows as typed: headings, lists, rules, images, indented code, HTML."""

    def extendMarkdown(self, md):
        for name in ("code", "hashheader", "setextheader", "hr", "olist", "ulist"):
            md.parser.blockprocessors.deregister(name)
        for name in ("image_link", "image_reference", "short_image_ref", "html"):
            md.inlinePatterns.deregister(name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.register(AsTyped(r"!\[", md), "image_as_typed", 150)
        md.inlinePatterns.register(BareLink(BARE_LINK, md), "bare_link", 115)


class AsTyped(InlineProcessor):
    """Text that would start what comments do not have (an image), kept as the reader typed it."""

    def handleMatch(self, m, data):
        return AtomicString(m.group(0)), m.start(0), m.end(0)


BARE_LINK = r"\bhttps?://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]"  # not the full stop or bracket after it


class BareLink(InlineProcessor):
    def handleMatch(self, m, data):
        link = ElementTree.Element("a", href=m.group(0))
        link.text = AtomicString(m.group(0))
        return link, m.start(0), m.end(0)


COMMENT_SANITISER = {
    "tags": {"p", "br", "em", "strong", "code", "pre", "a", "blockquote", "div", "span"},
    "attributes": {"a": {"href"}},
    "allowed_classes": {"div": CODE_CLASSES, "span": CODE_CLASSES},
    "url_schemes": {"http", "https", "mailto"},  # no page:, image: or doc: reference: those are the editors'
    "link_rel": "nofollow ugc noopener",
}
comment_renderer = threading.local()  # a Markdown instance is reusable, not shareable; making one costs 0.2 ms


def render_comment(text):
    """A reader's comment as sanitised HTML (``ReadersMarkdown``), every link marked as the reader's."""
    md = getattr(comment_renderer, "markdown", None)
    if md is None:
        md = comment_renderer.markdown = markdown.Markdown(
            extensions=["fenced_code", "codehilite", "nl2br", ReadersMarkdown()],
            extension_configs={"codehilite": EXTENSION_CONFIGS["codehilite"]},
            output_format="html5",
        )
    output = md.reset().convert(text or "")
    return mark_safe(EMPTY_CLASS.sub(r"\1", nh3.clean(output, **COMMENT_SANITISER)))  # noqa: S308 (sanitised)


def _heading_ids(toc_tokens):
    for token in toc_tokens:
        yield token["id"]
        yield from _heading_ids(token["children"])


def _parse(kind, value):
    """(kind, id, "#fragment" or "") of a reference as nh3 wrote it; id None if it is malformed."""
    kind = kind.lower()
    match = WELL_FORMED[kind].fullmatch(html.unescape(value))
    return (kind, int(match[1]), match[2] or "") if match else (kind, None, "")


def _references(text):
    """{(attribute, kind, value)} of the references in a Markdown text, as nh3 writes them."""
    return {(attribute, kind.lower(), value) for attribute, kind, value in REFERENCE.findall(render(text))}


def validate(text):
    """What is wrong with the text's references, one message naming each bad one; empty if none."""
    models = {"page": Page, "image": get_image_model(), "doc": get_document_model()}
    references = sorted(
        (f"{kind}:{html.unescape(value)}", attribute, *_parse(kind, value))
        for attribute, kind, value in _references(text)
    )
    pks = {kind: {pk for _, _, k, pk, _ in references if k == kind and pk is not None} for kind in models}
    existing = {
        kind: set(models[kind].objects.filter(pk__in=pks[kind]).values_list("pk", flat=True))
        for kind in models
        if pks[kind]
    }
    problems = []
    for written, attribute, kind, pk, _ in references:
        if pk is None:
            problems.append(f"“{written}” is not a reference: write {kind}: and a number, like {EXAMPLE[kind]}.")
        elif attribute == "src" and kind != "image":
            problems.append(f"“{written}” cannot be shown as a picture: only image: references can.")
        elif pk not in existing[kind]:
            problems.append(f"“{written}” leads nowhere: there is no {NAME[kind]} {pk}.")
    return problems


class CheckedReferencesForm(WagtailAdminPageForm):
    """Wagtail's page form, with a field error naming each bad reference in the page's ``markdown_fields``.

    In the editor's form, not the model's ``clean()``: Wagtail's ``Page.save()`` runs
    ``full_clean()``, and copying a page, publishing a scheduled revision or an import must
    never fail because a target has gone since; there the reference shows as plain text.
    """

    def clean(self):
        cleaned_data = super().clean()
        for name in self._meta.model.markdown_fields:
            if name in cleaned_data and (problems := validate(cleaned_data[name])):
                self.add_error(name, problems)
        return cleaned_data


def resolve(fragments, request=None):
    """Each HTML fragment with its references made links, or plain text where readers may not follow them."""
    if not any(MAYBE_REFERENCE.search(fragment) for fragment in fragments):
        return fragments
    references = {_parse(kind, value) for fragment in fragments for _, kind, value in REFERENCE.findall(fragment)}
    if not references:
        return fragments
    urls = _urls({kind: {pk for k, pk, _ in references if k == kind and pk is not None} for kind in NAME}, request)

    def url(kind, value):
        kind, pk, fragment = _parse(kind, value)
        if (kind, pk) in urls:
            return html.escape(urls[kind, pk]) + fragment
        logger.warning("Markdown reference “%s:%s” has no target readers may see: shown as plain text.", kind, value)
        return None

    def link(match):
        before, kind, value, after, text = match.groups()
        return f'<a {before}href="{href}"{after}>{text}</a>' if (href := url(kind, value)) else text

    def image(match):
        before, kind, value, after = match.groups()
        if kind.lower() == "image" and url(kind, value):
            return f"<img {before}{urls['picture', _parse(kind, value)[1]]}{after}>"
        alt = ALT.search(before + after)
        return alt[1] if alt else ""

    return [mark_safe(IMAGE.sub(image, LINK.sub(link, fragment))) for fragment in fragments]  # noqa: S308


def _urls(pks, request):
    """{(kind, id): URL} of the targets readers may see: live public pages, images and documents. A query a kind."""
    urls = {}
    if pks["page"]:
        for page in Page.objects.live().public().filter(pk__in=pks["page"]):
            if page_url := page.get_url(request):
                urls["page", page.pk] = page_url
    if pks["doc"]:
        for document in get_document_model().objects.filter(pk__in=pks["doc"]):
            urls["doc", document.pk] = document.url
    if pks["image"]:
        for image in get_image_model().objects.filter(pk__in=pks["image"]).prefetch_renditions(*IMAGE_SPECS):
            try:
                renditions = list(image.get_renditions(*specs_for(image.width)).values())
            except OSError:  # its file is gone or unreadable
                logger.warning("Image %s cannot be shown.", image.pk, exc_info=True)
                continue
            urls["image", image.pk] = renditions[-1].url
            urls["picture", image.pk] = picture(renditions)
    return urls


def specs_for(width):
    """The renditions worth making of an image this wide: each size below it, then one at its own width (Wagtail
    never makes a picture larger), so a small upload is stored once, not once per size."""
    smaller = [spec for spec, size in zip(IMAGE_SPECS, IMAGE_WIDTHS, strict=True) if size < width]
    return smaller + [IMAGE_SPECS[len(smaller)]] if len(smaller) < len(IMAGE_SPECS) else smaller


def picture(renditions):
    """An <img>'s attributes for an image's renditions, smallest first: the middle one is its src and its size."""
    middle = renditions[len(renditions) // 2]
    srcset = ", ".join(f"{html.escape(rendition.url)} {rendition.width}w" for rendition in renditions)
    return (
        f'src="{html.escape(middle.url)}" srcset="{srcset}" sizes="{IMAGE_SIZES}" width="{middle.width}" '
        f'height="{middle.height}" loading="lazy" decoding="async"'
    )
