"""Text helpers every importer shares: HTML to Markdown, a summary from a body, plain text."""

import html
import re
import threading

import markdown
from django.utils.html import strip_tags
from django.utils.text import Truncator
from markdownify import MarkdownConverter

SUMMARY_LENGTH = 300  # BlogPage.summary's max_length
MORE = re.compile(r"<!--\s*more\b[^>]*-->", re.IGNORECASE)  # WordPress's, Jekyll's and Hugo's cut
CODE_LANGUAGE = re.compile(r"(?:^|\s)(?:language-|lang-|lang:|brush:\s*)([\w+#-]+)", re.IGNORECASE)
MARKUP = re.compile(r"[<>&*_`\\#\[\]]|^\s*([-+]|\d+\.)\s|^\s{4}", re.MULTILINE)  # HTML, or what Markdown reads
_local = threading.local()
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class _Converter(MarkdownConverter):
    """markdownify, with code blocks fenced and their language kept from the usual class names."""

    def __init__(self, **options):
        super().__init__(
            heading_style="ATX",
            bullets="-",
            code_language_callback=code_language,
            escape_underscores=False,
            escape_asterisks=True,
            bs4_options="lxml",  # lxml's HTML parser: several times faster than Python's on a big import
            **options,
        )


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
