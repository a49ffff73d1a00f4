"""A digest as Discord messages that always fit Discord's limits (pure, no I/O).

Layout: the first message's content is a one-line heading; then one embed per section
(stories, timeline, quotes). Stories and events are one description line each; quotes are
embed fields (speaker as the name). When a section outgrows an embed it continues in a new
embed titled "(continued)"; when a message outgrows 10 embeds or 6,000 characters the next
item starts a new message. Splits happen only between items, so no word or link is ever cut
across messages; a single over-long item is shortened at a word boundary (`limits.shorten`).

Every message keeps `MARKER_RESERVE` characters free in its last embed's footer (or content)
for the delivery marker (`digest 42 · part 2/3`) that makes re-sending detectable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from digests.digest.building import INFERRED_NOTE, Digest, DigestEvent, DigestStory
from digests.digest.escaping import clean_line, escape, link, safe_url
from digests.digest.limits import (
    CONTENT_MAX,
    EMBED_DESCRIPTION_MAX,
    EMBED_FIELDS_MAX,
    EMBED_TITLE_MAX,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    MESSAGE_EMBED_CHARS_MAX,
    embed_chars,
    shorten,
)
from digests.digest.quote_section import DigestQuote, by_speaker
from digests.models import EmbedField, EmbedSpec, MessageSpec

QUIET_DAY_CHOICES = ("note", "skip")
MARKER_RESERVE = 64
LINE_MAX = 1000
TITLE_TEXT_MAX = 300
QUOTE_TEXT_MAX = 700
SOURCES_SHOWN = 3
COLORS = {"stories": 0x3B82F6, "timeline": 0xF59E0B, "quotes": 0x10B981}
_MESSAGE_BUDGET = MESSAGE_EMBED_CHARS_MAX - MARKER_RESERVE


def source_label(url: str | None, fallback: str) -> str:
    """A short label for a source link: its host without `www.`."""
    target = safe_url(url)
    if target:
        host = urlsplit(target).hostname or ""
        return host.removeprefix("www.") or fallback
    return fallback


def _sources(refs_urls: list[tuple[str, str | None]]) -> str:
    shown = [link(source_label(url, title), url) for title, url in refs_urls[:SOURCES_SHOWN]]
    more = len(refs_urls) - SOURCES_SHOWN
    return ", ".join(shown) + (f" +{more} more" if more > 0 else "")


def story_line(story: DigestStory) -> str:
    title = shorten(clean_line(story.title), TITLE_TEXT_MAX)
    count = story.source_count
    parts = [f"• {link(title, story.url)}", f"{count} source{'s' if count != 1 else ''}"]
    if story.updated:
        parts.append("updated")
    return shorten(" · ".join(parts), LINE_MAX)


def event_line(event: DigestEvent) -> str:
    text = escape(shorten(clean_line(event.text), TITLE_TEXT_MAX))
    sources = _sources([(s.title, s.url) for s in event.sources])
    when = f"**{event.date.isoformat()}**" + (f" {INFERRED_NOTE}" if event.inferred else "")
    line = f"{when} {text}" + (f" — {sources}" if sources else "")
    return shorten(line, LINE_MAX)


def quote_fields(quotes: Sequence[DigestQuote]) -> list[EmbedField]:
    """One speaker (with their role when known) and their quotes under the name; quotes that
    do not fit one field go on in the next, under the same name marked "(cont.)"."""
    first = quotes[0]
    who = escape(first.speaker) + (f" ({escape(first.role)})" if first.role else "")
    fields: list[EmbedField] = []
    lines: list[str] = []
    for quote in quotes:
        text = escape(shorten(clean_line(quote.quote), QUOTE_TEXT_MAX))
        where = link(source_label(quote.source.url, quote.source.title), quote.source.url)
        line = shorten(f"“{text}” — {where}", FIELD_VALUE_MAX)
        if lines and len("\n".join([*lines, line])) > FIELD_VALUE_MAX:
            fields.append(_speaker_field(who, lines, continued=bool(fields)))
            lines = []
        lines.append(line)
    fields.append(_speaker_field(who, lines, continued=bool(fields)))
    return fields


def _speaker_field(who: str, lines: list[str], *, continued: bool) -> EmbedField:
    name = shorten(who, FIELD_NAME_MAX - 8) + (" (cont.)" if continued else "")
    return EmbedField(name=name, value="\n".join(lines))


def heading(digest: Digest) -> str:
    day = digest.period_end.date().isoformat()
    return shorten(f"**{escape(digest.storyline_name)}** — digest for {day}", 200)


@dataclass
class _Packer:
    """Greedy packing of items into embeds and embeds into messages, within every limit."""

    messages: list[MessageSpec] = field(default_factory=list)
    content: str = ""
    embeds: list[EmbedSpec] = field(default_factory=list)
    current: EmbedSpec | None = None
    section: str = ""
    pending_title: str = ""

    def _used(self) -> int:
        done = sum(embed_chars(e) for e in self.embeds)
        return done + (embed_chars(self.current) if self.current else 0)

    def _close_embed(self) -> None:
        if self.current is not None:
            self.embeds.append(self.current)
            self.current = None

    def _close_message(self) -> None:
        self._close_embed()
        if self.embeds or self.content:
            self.messages.append(MessageSpec(content=self.content, embeds=tuple(self.embeds)))
        self.content, self.embeds = "", []

    def start_section(self, key: str, title: str) -> None:
        """The next item opens an embed with this title (no empty embed is ever sent)."""
        self._close_embed()
        self.section = key
        self.pending_title = shorten(title, EMBED_TITLE_MAX)

    def _new_embed(self, grow: int) -> None:
        """Open an embed for an item of `grow` characters, in a new message if needed."""
        if self.current is not None:
            base = self.current.title.removesuffix(" (continued)")
            title = shorten(base + " (continued)", EMBED_TITLE_MAX)
            self._close_embed()
        else:
            title = self.pending_title
        full = len(self.embeds) >= EMBEDS_PER_MESSAGE
        if full or self._used() + len(title) + grow > _MESSAGE_BUDGET:
            self._close_message()
        self.current = EmbedSpec(title=title, color=COLORS.get(self.section))

    def add_line(self, line: str) -> None:
        if self.current is not None and not self.current.fields:
            joined = f"{self.current.description}\n{line}" if self.current.description else line
            grow = len(joined) - len(self.current.description)
            if len(joined) <= EMBED_DESCRIPTION_MAX and self._used() + grow <= _MESSAGE_BUDGET:
                self.current = replace(self.current, description=joined)
                return
        self._new_embed(len(line))
        assert self.current is not None
        self.current = replace(self.current, description=line)

    def add_field(self, item: EmbedField) -> None:
        grow = len(item.name) + len(item.value)
        if (self.current is not None and not self.current.description
                and len(self.current.fields) < EMBED_FIELDS_MAX
                and self._used() + grow <= _MESSAGE_BUDGET):
            self.current = replace(self.current, fields=(*self.current.fields, item))
            return
        self._new_embed(grow)
        assert self.current is not None
        self.current = replace(self.current, fields=(item,))

    def finish(self) -> list[MessageSpec]:
        self._close_message()
        return self.messages


# Discord requires a field name; a zero-width space is the usual way to show none.
BLANK_FIELD_NAME = "\u200b"


def _more(count: int, noun: str) -> str:
    return f"*… and {count} more {noun}*"


def render_messages(digest: Digest, *, quiet_day: str = "note") -> list[MessageSpec]:
    """The digest as Discord messages in posting order; `[]` for a quiet day when skipping."""
    if quiet_day not in QUIET_DAY_CHOICES:
        raise ValueError(f"quiet_day must be one of {QUIET_DAY_CHOICES}, got {quiet_day!r}")
    if digest.is_quiet:
        if quiet_day == "skip":
            return []
        since = digest.period_start.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        note = f"{heading(digest)}\nNothing new since {since}."
        return [MessageSpec(content=shorten(note, CONTENT_MAX - MARKER_RESERVE))]
    packer = _Packer(content=heading(digest))
    if digest.stories:
        packer.start_section("stories", "Stories")
        for story in digest.stories:
            packer.add_line(story_line(story))
        if digest.more_stories:
            packer.add_line(_more(digest.more_stories, "stories"))
    if digest.events:
        packer.start_section("timeline", "Timeline")
        for event in digest.events:
            packer.add_line(event_line(event))
        if digest.more_events:
            packer.add_line(_more(digest.more_events, "events"))
    if digest.quotes:
        packer.start_section("quotes", "Quotes")
        for group in by_speaker(digest.quotes):
            for quote_field in quote_fields(group):
                packer.add_field(quote_field)
        if digest.more_quotes:
            packer.add_field(EmbedField(name=BLANK_FIELD_NAME,
                                        value=_more(digest.more_quotes, "quotes")))
    return packer.finish()


def with_marker(message: MessageSpec, marker: str) -> MessageSpec:
    """The message with a delivery marker in its last embed's footer, or its content."""
    marker = shorten(marker, MARKER_RESERVE - 4)
    if message.embeds:
        last = message.embeds[-1]
        footer = f"{last.footer} · {marker}" if last.footer else marker
        return replace(message, embeds=(*message.embeds[:-1], replace(last, footer=footer)))
    content = f"{message.content}\n-# {marker}" if message.content else f"-# {marker}"
    return replace(message, content=content)
