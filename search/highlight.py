"""Excerpts of search results with the reader's words marked, built from escaped text only."""

import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

MAX_TERMS = 10


def terms(query):
    """The words of a query, as a reader means them: no punctuation, no repeats."""
    return list(dict.fromkeys(word.lower() for word in re.findall(r"\w+", query)))[:MAX_TERMS]


def excerpt(texts, words, width=240):
    """The first of ``texts`` (plain or HTML) that mentions a word, cut around it, words wrapped in <mark>."""
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    plain = [" ".join(strip_tags(text).split()) for text in texts if text]
    for text in plain:
        match = pattern.search(text) if pattern else None
        if match:
            start = max(0, match.start() - width // 3)
            snippet = text[start : start + width]
            marked = pattern.sub(lambda m: f"\0{m.group(0)}\1", snippet)
            html = escape(marked).replace("\0", "<mark>").replace("\1", "</mark>")
            return mark_safe(("…" if start else "") + html + ("…" if start + width < len(text) else ""))  # noqa: S308
    return plain[0][:width] if plain else ""
