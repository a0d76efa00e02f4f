"""Text helpers every importer shares: HTML to Markdown, a summary from a body, plain text, embeds' pages.

HTML to Markdown is markdownify's, with what real exports hold kept as the site's Python-Markdown will read it:
code fenced with its language, nested lists indented four spaces, a table's footer rows last, ``|`` in cells
escaped, players (iframes, audio, video) as links to what they play, superscripts as <sup> (which the site
keeps), nested bold as one, and a <cite> emphasised.
"""

import html
import re
import threading

import markdown
from bs4 import BeautifulSoup
from django.utils.html import strip_tags
from django.utils.text import Truncator
from markdownify import MarkdownConverter

SUMMARY_LENGTH = 300  # BlogPage.summary's max_length
MORE = re.compile(r"<!--\s*more\b[^>]*-->", re.IGNORECASE)  # WordPress's, Jekyll's and Hugo's cut
CODE_LANGUAGE = re.compile(r"(?:^|\s)(?:language-|lang-|lang:|brush:\s*)([\w+#-]+)", re.IGNORECASE)
MARKUP = re.compile(r"[<>&*_`\\#\[\]]|^\s*([-+]|\d+\.)\s|^\s{4}", re.MULTILINE)  # HTML, or what Markdown reads
_local = threading.local()
TABLE_PIPE = re.compile(r"(`+).*?\1|\|", re.DOTALL)  # a code span, kept whole, or a pipe to escape
EMBED_PAGES = [  # an embedded player's address → the page of what it plays
    (
        re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)"),
        "https://www.youtube.com/watch?v={}",
    ),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class _Converter(MarkdownConverter):
    """markdownify, adjusted as this module's docstring says; code blocks fenced, their language kept."""

    def __init__(self, **options):
        super().__init__(
            heading_style="ATX",
            bullets="-",
            code_language_callback=code_language,
            escape_underscores=False,
            escape_asterisks=True,
            bs4_options="lxml",  # lxml's HTML parser: several times faster than Python's on a big import
            sup_symbol="<sup>",  # E = MC², footnote marks: the site's sanitiser keeps <sup>
            **options,
        )

    def convert_soup(self, soup):
        """A table's footer rows moved after its body rows, as rows: a Markdown table has only one header."""
        for footer in soup.find_all("tfoot"):
            table = footer.find_parent("table")
            bodies = table.find_all("tbody", recursive=False) if table else []
            (bodies[-1] if bodies else table or footer.parent).extend(footer.find_all("tr", recursive=False))
            footer.decompose()
        return super().convert_soup(soup)

    def convert_td(self, el, text, parent_tags):
        return super().convert_td(el, TABLE_PIPE.sub(lambda m: m[0] if m[1] else r"\|", text), parent_tags)

    def convert_th(self, el, text, parent_tags):
        return super().convert_th(el, TABLE_PIPE.sub(lambda m: m[0] if m[1] else r"\|", text), parent_tags)

    def convert_li(self, el, text, parent_tags):
        """markdownify's, with what follows an item's first line indented four spaces, and a blank line after an
        item of paragraphs: Python-Markdown, which the site renders with, reads a nested list or a second
        paragraph only so (with two or three spaces the list is flattened, the next item glued on)."""
        item = super().convert_li(el, text, parent_tags)
        first, newline, rest = item.partition("\n")
        extra = " " * max(0, 3 - first.find(" "))  # "- " and "1. " fall short of four, "10. " does not
        item = first + newline + re.sub(r"^(?=.)", extra, rest, flags=re.MULTILINE)
        return item + "\n" if "\n\n" in item.strip() else item  # a blank line ends an item of paragraphs

    def convert_strong(self, el, text, parent_tags):
        """Bold inside bold is one bold: ``**bold **text.****`` is no Markdown."""
        return text if parent_tags & {"strong", "b"} else super().convert_strong(el, text, parent_tags)

    convert_b = convert_strong

    def convert_cite(self, el, text, parent_tags):
        """Emphasised, as browsers show it: a quote's source stays apart from the quote."""
        return self.convert_em(el, text, parent_tags)

    def convert_iframe(self, el, text, parent_tags):
        return media_link(embed_page(el.get("src") or ""), parent_tags)

    def convert_audio(self, el, text, parent_tags):
        source = el.get("src") or (el.find("source") or {}).get("src") or ""
        return media_link(source, parent_tags)

    def convert_video(self, el, text, parent_tags):
        """markdownify's, but a link to the file rather than nothing when there is neither text nor poster."""
        if text.strip() or el.get("poster"):
            return super().convert_video(el, text, parent_tags)
        return self.convert_audio(el, text, parent_tags)


def media_link(url, parent_tags):
    """A link to a player's address (an autolink when absolute): a paragraph of its own, except in a line."""
    if not url:
        return ""
    url = url.strip().replace(" ", "%20")
    url = f"<{url}>" if re.match(r"[a-z][a-z0-9+.-]*:", url, re.IGNORECASE) else f"[{url}]({url})"
    return url if "_inline" in parent_tags else f"\n\n{url}\n\n"


def embed_page(src):
    """The page an embedded player's address shows: YouTube's and Vimeo's players as their video pages."""
    src = html.unescape(src.strip())
    for pattern, page in EMBED_PAGES:
        if match := pattern.match(src):
            return page.format(match[1])
    return "https:" + src if src.startswith("//") else src


def code_language(element):
    """The language of a <pre> as blogs write it: class="language-x", "lang-x", "brush: x", lang="x"."""
    for attribute in ("lang", "data-lang"):
        if element.get(attribute):
            return element.get(attribute).strip().lower()
    match = CODE_LANGUAGE.search(" ".join(element.get("class") or []).replace(";", " "))
    if match:
        return match[1].lower()
    code = element.find("code")
    return code_language(code) if code is not None and code is not element else ""


def html_to_markdown(text):
    """Markdown for an HTML fragment: paragraphs, links, emphasis, lists, tables, images and fenced code."""
    if not MARKUP.search(text or ""):  # most comments: plain words, the same in Markdown, without parsing
        return (text or "").strip() + "\n"
    return _Converter().convert(text).strip() + "\n"


BLOCKS = ("p", "div", "blockquote", "pre", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr")


def html_to_text(text):
    """Plain text for a comment's HTML, as the comment form takes it: paragraphs, line breaks, and each link's
    address after its words (comments are shown as typed, their addresses made links)."""
    if not MARKUP.search(text or ""):
        return (text or "").strip()
    soup = BeautifulSoup(text, "lxml")
    for link in soup.find_all("a", href=True):
        words = link.get_text().strip()
        if link["href"].startswith(("http://", "https://")) and link["href"] not in words:
            link.replace_with(f"{words} ({link['href']})" if words else link["href"])
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(BLOCKS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", soup.get_text())).strip()


def plain_text(markdown_text):
    """The words of a Markdown text, without markup or code blocks."""
    if not hasattr(_local, "markdown"):  # made once per thread: making one costs more than converting a post
        _local.markdown = markdown.Markdown(extensions=["fenced_code"])
    rendered = _local.markdown.reset().convert(markdown_text or "")
    rendered = re.sub(r"<pre>.*?</pre>", " ", rendered, flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(strip_tags(rendered))).strip()


def summary_from(markdown_text):
    """A post's summary when its source has none: the text before a <!--more--> cut, else its first sentences."""
    head, kept = MORE.split(markdown_text or "", maxsplit=1)[0], []
    for paragraph in head.split("\n\n"):  # enough paragraphs for a summary, not a whole long post
        kept.append(paragraph)
        if sum(map(len, kept)) > 4 * SUMMARY_LENGTH and paragraph.count("```") % 2 == 0:
            break
    return fit_summary(plain_text("\n\n".join(kept)))


def fit_summary(text):
    """The text, cut at a sentence (else a word) to fit the summary field."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= SUMMARY_LENGTH:
        return text
    kept = ""
    for sentence in SENTENCE_END.split(text):
        if len(kept) + len(sentence) + 1 > SUMMARY_LENGTH:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or Truncator(text).chars(SUMMARY_LENGTH, truncate="…")
