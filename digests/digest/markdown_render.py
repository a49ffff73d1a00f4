"""A digest as Markdown for the terminal: what a person would read (pure, no I/O).

Unlike the Discord renderer this one does not escape Markdown (a terminal shows it raw, and
backslashes would only get in the way); it still drops control characters and non-http(s)
links, because feed text reaches the user's terminal.
"""

from __future__ import annotations

from digests.digest.building import INFERRED_NOTE, Digest
from digests.digest.escaping import clean_line, safe_url
from digests.digest.limits import shorten
from digests.digest.quote_section import by_speaker

TEXT_MAX = 300
SOURCE_MAX = 80


def _line(text: str, limit: int = TEXT_MAX) -> str:
    return shorten(clean_line(text), limit)


def _link(text: str, url: str | None, limit: int = TEXT_MAX) -> str:
    target = safe_url(url)
    return f"[{_line(text, limit)}]({target})" if target else _line(text, limit)


def _source(text: str, url: str | None) -> str:
    return _link(text, url, SOURCE_MAX)


def render_markdown(digest: Digest) -> str:
    """Heading, then stories and quotes in importance order and the timeline in date order
    (an inferred date says so); ends with a newline."""
    day = digest.period_end.date().isoformat()
    out = [f"# {_line(digest.storyline_name)} — digest for {day}", ""]
    since = digest.period_start.isoformat(timespec="minutes")
    until = digest.period_end.isoformat(timespec="minutes")
    out.append(f"_New between {since} and {until}._")
    if digest.is_quiet:
        out += ["", "Nothing new."]
        return "\n".join(out) + "\n"
    if digest.stories:
        out += ["", "## Stories", ""]
        for story in digest.stories:
            count = story.source_count
            extra = f" · {count} source{'s' if count != 1 else ''}"
            extra += " · updated" if story.updated else ""
            out.append(f"- {_link(story.title, story.url)}{extra}")
        if digest.more_stories:
            out.append(f"- … and {digest.more_stories} more stories")
    if digest.events:
        out += ["", "## Timeline", ""]
        for event in digest.events:
            sources = ", ".join(_source(s.title, s.url) for s in event.sources[:3])
            more = len(event.sources) - 3
            sources += f" +{more} more" if more > 0 else ""
            when = f"**{event.date.isoformat()}**" + (f" {INFERRED_NOTE}" if event.inferred else "")
            out.append(f"- {when} {_line(event.text)} — {sources}")
        if digest.more_events:
            out.append(f"- … and {digest.more_events} more events")
    if digest.quotes:
        out += ["", "## Quotes", ""]
        for group in by_speaker(digest.quotes):
            role = f" ({_line(group[0].role)})" if group[0].role else ""
            out.append(f"**{_line(group[0].speaker)}**{role}")
            out.append("")
            for quote in group:
                out.append(f"> “{_line(quote.quote)}” — "
                           f"{_source(quote.source.title, quote.source.url)}")
                out.append("")
        if digest.more_quotes:
            out.append(f"… and {digest.more_quotes} more quotes")
    return "\n".join(out).rstrip("\n") + "\n"
