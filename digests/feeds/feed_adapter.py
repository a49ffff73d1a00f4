"""Feed bytes → `ParsedFeed`: the only module that imports feedparser (no I/O).

feedparser is tolerant (RSS 0.9x/2.0, RSS 1.0/RDF, Atom, broken XML, wrong charsets) but hands
back loose dicts and `time.struct_time`s; this adapter turns them into our frozen types with
aware UTC datetimes and plain text, and says in one sentence why a body was not a usable feed.
As feedparser's maintainers advise, we fetch with our own client and pass bytes plus the
response headers (for the charset); the bytes go in as a stream because `feedparser.parse()`
treats a bytes/str argument as a URL or a *file path* to open.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import re
import time
from collections.abc import Mapping
from typing import Any

import feedparser

from digests.models import ParsedEntry, ParsedFeed
from digests.text import detect_language, html_to_text, is_japanese

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_START_RE = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                            re.IGNORECASE | re.DOTALL)
_UNTITLED_LENGTH = 80


def _empty_problem(headers: Mapping[str, str] | None) -> str:
    """Why nothing arrived. A server that declares `Content-Length: 0` and then sends a body
    anyway has it cut at the declared length by the HTTP client: say what it declared, so the
    admin looks at the server rather than at the feed."""
    declared = {k.lower(): v for k, v in (headers or {}).items()}.get("content-length", "")
    if declared.strip() == "0":
        return ("the response body is empty: the server declared Content-Length: 0, so "
                "anything it sent after that was not read")
    return "the response body is empty"


def parse_feed(
    body: bytes, *, url: str, headers: Mapping[str, str] | None = None
) -> ParsedFeed:
    """Parse a fetched feed; `problem` is set when nothing usable came out of it."""
    if not body.strip():
        return ParsedFeed(title=None, entries=(), problem=_empty_problem(headers))
    # The body is already decoded: the transfer headers no longer describe it.
    response_headers = {
        k.lower(): v
        for k, v in (headers or {}).items()
        if k.lower() not in {"content-encoding", "content-length", "transfer-encoding"}
    }
    # Relative links in entries resolve against the URL we fetched unless the server said
    # otherwise.
    response_headers.setdefault("content-location", url)
    # Links inside entry HTML are dropped with the markup, so resolving them is wasted work
    # (a third of the parse time); entry links themselves are still resolved.
    parsed = feedparser.parse(
        io.BytesIO(body), response_headers=response_headers, resolve_relative_uris=False
    )
    feed: Mapping[str, Any] = parsed.get("feed", {})
    feed_language = _language_tag(feed.get("language"))
    raw_entries = parsed.get("entries", [])
    entries = tuple(
        entry for raw in raw_entries if (entry := _entry(raw, feed_language)) is not None
    )
    title = _plain(feed.get("title"), feed.get("title_detail")) or None
    problem = None if entries else _problem(parsed, body, response_headers)
    return ParsedFeed(title=title, entries=entries, language=feed_language, problem=problem,
                      skipped=len(raw_entries) - len(entries))


def _problem(parsed: Mapping[str, Any], body: bytes, headers: Mapping[str, str]) -> str | None:
    """Why a feed with no entries is not usable, or None for an empty but valid feed."""
    version = parsed.get("version") or ""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if not version and (_HTML_START_RE.match(body[:2048]) or content_type in _HTML_TYPES):
        return "not a feed: the URL returned an HTML page (look for its RSS/Atom link)"
    error = parsed.get("bozo_exception")
    # feedparser also flags harmless things (no Content-Type given, a charset it overrode).
    if parsed.get("bozo") and not isinstance(error, feedparser.ThingsNobodyCaresAboutButMe):
        detail = " ".join(str(error).split()) if error else "unknown error"
        what = "malformed feed XML" if version else "not an RSS, Atom or RDF feed"
        return f"{what} and no entries could be read ({detail[:200]})"
    if not version:
        return "not an RSS, Atom or RDF feed"
    return None


def _entry(raw: Mapping[str, Any], feed_language: str | None) -> ParsedEntry | None:
    text = _entry_text(raw)
    title = _plain(raw.get("title"), raw.get("title_detail"))
    url = (raw.get("link") or "").strip() or None
    if not title and not text and not url:
        return None
    if not title:
        first_line = text.split("\n", 1)[0]
        title = first_line[:_UNTITLED_LENGTH].rstrip() + (
            "…" if len(first_line) > _UNTITLED_LENGTH else ""
        )
    guid = (raw.get("id") or "").strip() or None
    author = _plain(raw.get("author"), raw.get("author_detail")) or None
    return ParsedEntry(
        guid=guid,
        url=url,
        title=title,
        text=text,
        published=_published(raw),
        language=_entry_language(raw, feed_language, f"{title}\n{text}"),
        author=author,
    )


def _entry_text(raw: Mapping[str, Any]) -> str:
    """Full content when the feed carries it, else the summary, as plain text."""
    for detail in raw.get("content") or ():
        text = _plain(detail.get("value"), detail, keep_lines=True)
        if text:
            return text
    return _plain(raw.get("summary"), raw.get("summary_detail"), keep_lines=True)


def _plain(value: Any, detail: Any = None, *, keep_lines: bool = False) -> str:
    """Text from a feedparser value whose detail says whether it is HTML or plain text.

    `str.split()` collapses whitespace (ASCII, NBSP, ideographic) several times faster than a
    regex, which matters at a thousand entries per feed.
    """
    if not isinstance(value, str) or not value.strip():
        return ""
    kind = detail.get("type", "text/html") if isinstance(detail, Mapping) else "text/html"
    if kind in _HTML_TYPES:
        # Newlines inside HTML source are spaces; only block tags break lines (html_to_text).
        text = html_to_text(" ".join(value.split()))
    else:
        lines = (" ".join(line.split()) for line in value.splitlines())
        text = "\n".join(line for line in lines if line)
    return text if keep_lines else " ".join(text.split())


def _published(raw: Mapping[str, Any]) -> dt.datetime | None:
    """Publication time in UTC: published, else updated (feedparser gives UTC struct_times)."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(key)
        if isinstance(value, time.struct_time):
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _language_tag(value: Any) -> str | None:
    """`en-US` → `en`: the engine works with primary language subtags."""
    if not isinstance(value, str):
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _entry_language(raw: Mapping[str, Any], feed_language: str | None, text: str) -> str:
    """Declared language (entry, then feed), unless the script plainly contradicts it.

    Many CMSs declare `en-US` for every feed whatever it carries; kana in the text is exact
    evidence of Japanese, so it wins over a declaration that is not `ja`.
    """
    declared = None
    for key in ("content", "summary_detail", "title_detail"):
        detail = raw.get(key)
        if isinstance(detail, list):
            detail = detail[0] if detail else None
        if isinstance(detail, Mapping) and (declared := _language_tag(detail.get("language"))):
            break
    declared = declared or _language_tag(raw.get("language")) or feed_language
    detected = detect_language(text)
    if declared is None or (detected == "ja" and declared != "ja" and is_japanese(text)):
        return detected
    return declared
