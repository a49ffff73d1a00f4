"""A local article file (`.txt`, `.md`, `.html`) → `ParsedEntry` (pure: takes the text).

Seed documents and hand-collected coverage arrive as files, not feeds. Title and body follow
the simplest conventions (first line is the title; Markdown `#` stripped; HTML `<title>` or
first `<h1>`), and the publication date comes from the caller or from common metadata in the
file: front matter `date:`, `<meta property="article:published_time">`, or a `Date:` line near
the top.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
from pathlib import PurePath

from dateutil import parser as date_parser

from digests.models import ParsedEntry
from digests.text import detect_language, html_to_text

_FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)",
                              re.DOTALL)
_FIELD_RE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_DATE_LINE_RE = re.compile(r"^(?:date|published|posted(?: on)?)[ \t]*:[ \t]*(.+?)[ \t]*$",
                           re.IGNORECASE)
_DATE_LINE_WINDOW = 8
_META_TAG_RE = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_H1_RE = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_HEAD_RE = re.compile(r"<head\b.*?</head>", re.IGNORECASE | re.DOTALL)
_CANONICAL_RE = re.compile(r"<link\b[^>]*\brel\s*=\s*[\"']?canonical[^>]*>", re.IGNORECASE)
_DATE_META_NAMES = ("article:published_time", "og:published_time", "date", "dc.date",
                    "pubdate", "publish-date")
_URL_KEYS = ("url", "link", "canonical_url", "source")
_YEAR_RE = re.compile(r"\b\d{4}\b")
# dateutil fills missing fields from today's date unless given a default.
_NO_CLOCK_DEFAULT = dt.datetime(2000, 1, 1)  # noqa: DTZ001 (made aware below)
# A first line longer than this is a paragraph, not a headline: it stays in the body.
_MAX_TITLE = 120


def parse_article(text: str, *, name: str, published: dt.datetime | None) -> ParsedEntry:
    """Read one article file's text; `published` (aware) wins over dates found in the file."""
    suffix = PurePath(name).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        title, body, found_date, url = _from_html(text)
    else:
        title, body, found_date, url = _from_text(text, markdown=suffix in {".md", ".markdown"})
    title = title or PurePath(name).stem
    when = published.astimezone(dt.UTC) if published is not None else found_date
    return ParsedEntry(
        guid=None,
        url=url,
        title=title,
        text=body,
        published=when,
        language=detect_language(f"{title}\n{body}"),
        author=None,
    )


def _from_text(
    text: str, *, markdown: bool
) -> tuple[str, str, dt.datetime | None, str | None]:
    fields: dict[str, str] = {}
    front = _FRONT_MATTER_RE.match(text)
    if front:
        fields = {k.lower(): _unquote(v) for k, v in _FIELD_RE.findall(front.group(1))}
        text = text[front.end():]
    lines = [line.rstrip() for line in text.replace("\ufeff", "").splitlines()]
    found_date = parse_date(fields.get("date", "")) if fields.get("date") else None
    if found_date is None:
        found_date = _take_date_line(lines)
    content = list(lines)
    while content and not content[0].strip():
        content.pop(0)
    title = fields.get("title", "")
    if not title and content:
        first = content[0].strip()
        headline = re.sub(r"^#{1,6}\s*|\s*#+\s*$", "", first) if markdown else first
        if len(headline) <= _MAX_TITLE:
            title = headline
            content.pop(0)
        else:
            title = _shorten(headline)
    body = "\n".join(line for line in (c.strip() for c in content) if line)
    url = next((fields[k] for k in _URL_KEYS if fields.get(k)), None)
    return title, body, found_date, url


def _take_date_line(lines: list[str]) -> dt.datetime | None:
    """A `Date: …` line among the first non-empty lines; removed from the body when used."""
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > _DATE_LINE_WINDOW:
            break
        match = _DATE_LINE_RE.match(line.strip())
        if match and (found := parse_date(match.group(1))) is not None:
            del lines[index]
            return found
    return None


def _from_html(markup: str) -> tuple[str, str, dt.datetime | None, str | None]:
    metas = [_attributes(tag) for tag in _META_TAG_RE.findall(markup)]
    found_date = None
    for wanted in _DATE_META_NAMES:
        for attrs in metas:
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "")
            if key.lower() == wanted and (found_date := parse_date(attrs.get("content", ""))):
                break
        if found_date:
            break
    heading = _H1_RE.search(markup)
    title_tag = _TITLE_RE.search(markup)
    title = _inline_text(title_tag.group(1)) if title_tag else ""
    if not title and heading:
        title = _inline_text(heading.group(1))
    body_markup = _HEAD_RE.sub(" ", markup)
    if heading and title == _inline_text(heading.group(1)):
        body_markup = body_markup.replace(heading.group(0), " ", 1)
    body = html_to_text(re.sub(r"\s+", " ", body_markup))
    canonical = _CANONICAL_RE.search(markup)
    url = _attributes(canonical.group(0)).get("href") if canonical else None
    if not url:
        url = next((a.get("content") for a in metas if a.get("property") == "og:url"), None)
    return title, body, found_date, url or None


def parse_date(value: str) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601, RFC 2822 or a plain written date; naive means UTC."""
    value = value.strip().strip("\"'")
    if not value:
        return None
    parsed: dt.datetime | None = None
    try:
        parsed = date_parser.isoparse(value)
    except (ValueError, OverflowError):
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            if not _YEAR_RE.search(value):
                return None  # "July 1" alone would need a clock to pick the year
            try:
                parsed = date_parser.parse(value, default=_NO_CLOCK_DEFAULT)
            except (ValueError, OverflowError, date_parser.ParserError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _attributes(tag: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v.strip("\"'")) for k, v in _ATTR_RE.findall(tag)}


def _inline_text(markup: str) -> str:
    return re.sub(r"\s+", " ", html_to_text(markup)).strip()


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _shorten(line: str) -> str:
    cut = line[:_MAX_TITLE].rsplit(" ", 1)[0] if " " in line[:_MAX_TITLE] else line[:_MAX_TITLE]
    return cut.rstrip(" ,;:-") + "…"
