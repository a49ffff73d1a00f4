"""An article page's main text, date, author and language (the one importer of trafilatura).

trafilatura keeps the article body and drops navigation, cookie banners, related links and
comments; the project's own `html_to_text` keeps all of those, which would hand the matcher
and the quote extractor a site's menu and its readers' opinions (compared in
`tests/unit/test_page_extraction.py`). trafilatura costs ~0.12 s to import (dateparser,
babel, htmldate, justext), so it is imported only when a page is extracted.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from digests.fulltext.need import word_count
from digests.text import detect_language

# Fewer words than this is not an article: a paywall's "subscribe to read", a consent wall,
# an error page served with status 200.
MIN_ARTICLE_WORDS = 40


@dataclass(frozen=True)
class PageText:
    """What a page holds: its body text, or `problem` saying why nothing usable was found."""

    text: str = ""
    title: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    language: str | None = None
    problem: str | None = None


def extract_page(markup: str | bytes, url: str | None = None) -> PageText:
    """The article in `markup`; a page with no article gives `problem`, never raises."""
    import trafilatura  # lazily: see the module docstring

    try:
        raw = trafilatura.extract(
            markup, url=url, output_format="json", with_metadata=True,
            include_comments=False, include_tables=False, favor_precision=True,
        )
    except Exception as exc:  # a parser failure on hostile markup is a page we cannot use
        return PageText(problem=f"extraction failed: {type(exc).__name__}")
    if not raw:
        return PageText(problem="no article text found on the page")
    data: dict[str, Any] = json.loads(raw)
    text = str(data.get("text") or "").strip()
    title = _str_or_none(data.get("title"))
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:
        text = rest.strip()  # the headline is the item's title already
    if word_count(text) < MIN_ARTICLE_WORDS:
        return PageText(problem=f"the page holds only {word_count(text)} words of article text "
                                "(paywall or stub)")
    return PageText(
        text=text,
        title=title,
        author=_str_or_none(data.get("author")),
        published=_date(data.get("date")),
        language=detect_language(text),
    )


def _str_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value: object) -> dt.datetime | None:
    """trafilatura gives a day (`2026-03-04`); a day alone is taken as midnight UTC."""
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
