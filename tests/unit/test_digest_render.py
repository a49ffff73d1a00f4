"""Discord rendering: within every limit, split on item boundaries, hostile text inert."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from digests.delivery.console import message_text
from digests.digest.building import Digest, DigestLimits, build_digest
from digests.digest.discord_render import (
    MARKER_RESERVE,
    event_line,
    render_messages,
    with_marker,
)
from digests.digest.escaping import ZWSP
from digests.digest.limits import violations
from digests.digest.markdown_render import render_markdown
from digests.models import MessageSpec, SourceRef, StoryView, TimelineEvent
from tests.unit.test_digest_building import END, START, STORYLINE, event, inputs, quote, story

LINK_RE = re.compile(r"\[(?:\\.|[^\]\\])*\]\((https?://[^)\s]+)\)")
WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


def words(n: int, seed: int) -> str:
    return " ".join(f"{WORDS[(seed + i) % len(WORDS)]}{i}" for i in range(n))


def big_digest(stories: int = 120, title_words: int = 40) -> Digest:
    data = inputs(
        [story(f"s{i}", f"S{i} " + words(title_words, i), [f"i{i}", f"j{i}"], hours=i % 20)
         for i in range(stories)],
        [event(1 + i % 28, f"E{i} " + words(30, i), [f"i{i}", f"k{i}", f"m{i}", f"n{i}"])
         for i in range(60)],
        [quote(f"Ada Park{i // 2}", f"Q{i} " + words(120, i), f"i{i}") for i in range(40)],
    )
    return build_digest(STORYLINE, data, START, END,
                        DigestLimits(stories=stories, events=60, quotes=40))


def all_text(messages: list[MessageSpec]) -> list[str]:
    texts: list[str] = []
    for m in messages:
        texts.append(m.content)
        for e in m.embeds:
            texts += [e.title, e.description, e.footer or ""]
            texts += [f.name + "\n" + f.value for f in e.fields]
    return texts


def test_long_digest_splits_across_messages_within_every_limit() -> None:
    digest = big_digest()
    messages = render_messages(digest)
    assert len(messages) > 3
    for n, message in enumerate(messages, 1):
        marked = with_marker(message, f"digest 123456 · part {n}/{len(messages)}")
        assert violations(marked) == []


def test_every_item_appears_once_whole_in_order() -> None:
    digest = big_digest(stories=60, title_words=10)
    text = "\n".join(all_text(render_messages(digest)))
    positions = [text.index(f"[S{int(s.sources[0].item_id[1:])} ") for s in digest.stories]
    assert positions == sorted(positions)
    for s in digest.stories:
        assert text.count(f"[{s.title}]({s.url})") == 1  # whole title, whole link
    for i in range(60):
        assert text.count(f"E{i} ") == 1
    for i in range(40):
        assert text.count(f"“Q{i} ") == 1


def test_no_line_or_link_is_broken_across_a_split() -> None:
    messages = render_messages(big_digest())
    for chunk in all_text(messages):
        for line in chunk.splitlines():
            # any "[" that starts a link label is closed with a full http(s) target
            opened = len(re.findall(r"(?<!\\)\[", line))
            assert opened == len(LINK_RE.findall(line)), line
            if line.endswith("…"):
                assert re.search(r"\w…$", line)  # cut after a whole word
                last_word = line[:-1].split()[-1]
                assert re.fullmatch(r"[a-z]+\d+|\S+\)", last_word), line


def test_over_long_single_title_is_shortened_at_a_word() -> None:
    digest = build_digest(STORYLINE, inputs([story("s", words(400, 0), ["a"])]), START, END)
    [message] = render_messages(digest)
    line = message.embeds[0].description
    assert "…" in line and len(line) < 1100
    label = line.split("](")[0]
    assert re.search(r"[a-z]+\d+…$", label)
    assert LINK_RE.search(line)


HOSTILE = [
    "@everyone free nitro",
    "ping <@&123456789012345678> and <@42> in <#99>",
    "[click](javascript:alert(1))",
    "**__~~||`markdown bomb`||~~__**" * 20,
    "# Heading\n> quote\n- list",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_feed_text_is_rendered_inert(text: str) -> None:
    hostile_source = SourceRef(item_id="x", title=text, url="javascript:alert(1)")
    data = inputs(
        [story("s", text, ["a"]),
         StoryView(id="t", title=text, sources=(hostile_source,), published=START,
                   first_seen=START, updated=START)],
        [event(3, text, ["b"]), TimelineEvent(dt.date(2026, 6, 4), text, (hostile_source,))],
        [quote(text[:40], text, "c")],
    )
    messages = render_messages(build_digest(STORYLINE, data, START, END))
    for chunk in all_text(messages):
        assert "@everyone" not in chunk and "<@" not in chunk and "<#" not in chunk
        assert "](javascript" not in chunk
        # Remove escaped pairs and our own markup; no live Markdown may remain.
        bare = re.sub(r"\\.", "", chunk)
        bare = re.sub(r"\*\*(Moon base|2026-06-0\d)\*\*", "", bare)
        bare = LINK_RE.sub("", bare)
        assert not re.search(r"[*_~|`\[\]]", bare), chunk
        for line in chunk.splitlines():
            assert not re.match(r"^(#|>|- )", line)


def test_quiet_day_note_and_skip() -> None:
    quiet = build_digest(STORYLINE, inputs(), START, END)
    [note] = render_messages(quiet, quiet_day="note")
    assert "Nothing new" in note.content and not note.embeds
    assert violations(with_marker(note, "x" * 200)) == []
    assert render_messages(quiet, quiet_day="skip") == []
    with pytest.raises(ValueError):
        render_messages(quiet, quiet_day="loud")


def test_marker_goes_in_footer_and_fits_the_reserve() -> None:
    [message] = render_messages(build_digest(STORYLINE, inputs([story("s", "One", ["a"])]),
                                             START, END))
    marked = with_marker(message, "digest 7 · part 1/1")
    assert marked.embeds[-1].footer == "digest 7 · part 1/1"
    assert len(with_marker(message, "y" * 500).embeds[-1].footer or "") <= MARKER_RESERVE


def test_markdown_render_reads_well() -> None:
    data = inputs(
        [story("s", "Lunar Agency picks the site", ["a", "b"])],
        [event(25, "Habitat shipped", ["a", "b", "c"], inferred=True),
         event(24, "Crew named", ["a"])],
        [quote("Ada Park", "We are going back, and this time we stay.", "a")],
    )
    text = render_markdown(build_digest(STORYLINE, data, START, END))
    assert text.startswith("# Moon base — digest for 2026-06-26\n")
    assert "- [Lunar Agency picks the site](https://newsa.example/a) · 2 sources" in text
    assert "- **2026-06-24** Crew named — [Title a](https://newsa.example/a)" in text
    assert text.index("Crew named") < text.index("Habitat shipped")  # date order
    assert "- **2026-06-25** (publication date) Habitat shipped — " in text
    assert ("**Ada Park**\n\n> “We are going back, and this time we stay.” — "
            "[Title a](https://newsa.example/a)") in text
    quiet = render_markdown(build_digest(STORYLINE, inputs(), START, END))
    assert "Nothing new." in quiet
    assert ZWSP not in text


def test_discord_timeline_lines_say_when_a_date_is_the_publication_day() -> None:
    digest = build_digest(STORYLINE, inputs(events=[
        event(25, "Habitat shipped", ["a", "b"], inferred=True), event(24, "Crew named", ["c"]),
    ]), START, END)
    lines = [event_line(e) for e in digest.events]
    assert lines[0].startswith("**2026-06-24** Crew named")
    assert lines[1].startswith("**2026-06-25** (publication date) Habitat shipped")


def test_the_more_quotes_line_has_a_blank_field_name_and_reads_cleanly_in_the_console() -> None:
    data = inputs(quotes=[quote(f"Ada Park{i}", f"Quote number {i} " + words(8, i), f"i{i}")
                          for i in range(9)])
    digest = build_digest(STORYLINE, data, START, END, DigestLimits(quotes=3))
    messages = render_messages(digest)
    last = messages[-1].embeds[-1].fields[-1]
    assert last.name == "\u200b" and last.value == "*… and 6 more quotes*"
    assert violations(messages[-1]) == []
    text = message_text(messages[-1])
    assert text.endswith("\n*… and 6 more quotes*")
    assert "**\u200b**" not in text and "**…**" not in text
