"""Building a digest: importance order (not feed order), collapsed copies, caps, quiet days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from digests.config.storylines import Entity, StorylineDefinition
from digests.digest.building import DigestLimits, build_digest
from digests.models import DigestInputs, QuoteHit, SourceRef, StoryView, TimelineEvent

START = dt.datetime(2026, 6, 25, 9, tzinfo=dt.UTC)
END = dt.datetime(2026, 6, 26, 9, tzinfo=dt.UTC)

STORYLINE = StorylineDefinition(
    id="moon",
    name="Moon base",
    description="A fictional lunar base programme.",
    keywords=("moon base",),
    entities=(
        Entity(name="Lunar Agency", aliases=("LA",), kind="organization", core=True),
        Entity(name="Ada Park", aliases=("Director Park",), kind="person", core=True),
        Entity(name="Ben Ode", kind="person"),
    ),
)


def ref(item: str, title: str = "", url: str | None = None) -> SourceRef:
    return SourceRef(item_id=item, title=title or f"Title {item}",
                     url=url if url is not None else f"https://news{item}.example/{item}")


def story(sid: str, title: str, items: list[str], *, hours: int = 1,
          first_seen: dt.datetime | None = None) -> StoryView:
    when = START + dt.timedelta(hours=hours)
    return StoryView(id=sid, title=title, sources=tuple(ref(i, title) for i in items),
                     published=when, first_seen=first_seen or when, updated=when)


def event(day: int, text: str, items: list[str], *, inferred: bool = False) -> TimelineEvent:
    return TimelineEvent(date=dt.date(2026, 6, day), text=text,
                         sources=tuple(ref(i) for i in items), inferred=inferred)


def quote(speaker: str | None, text: str, item: str) -> QuoteHit:
    return QuoteHit(speaker=speaker, quote=text, date=dt.date(2026, 6, 25), source=ref(item))


def inputs(stories: Sequence[StoryView] = (), events: Sequence[TimelineEvent] = (),
           quotes: Sequence[QuoteHit] = ()) -> DigestInputs:
    return DigestInputs(stories=tuple(stories), events=tuple(events), quotes=tuple(quotes))


def test_stories_ordered_by_importance_not_feed_order() -> None:
    feed_order = [
        story("s1", "A local bakery opens", ["a"], hours=10),  # newest, one source
        story("s2", "Lunar Agency picks the landing site", ["b", "c", "d", "e"], hours=2),
        story("s3", "Ben Ode comments on budget", ["f"], hours=3),
        story("s4", "Director Park signs the contract", ["g", "h"], hours=1),
    ]
    digest = build_digest(STORYLINE, inputs(feed_order), START, END)
    assert [s.title for s in digest.stories] == [
        "Lunar Agency picks the landing site",   # 4 sources + core entity
        "Director Park signs the contract",      # 2 sources + core alias
        "Ben Ode comments on budget",            # non-core entity
        "A local bakery opens",
    ]
    assert digest.stories[0].source_count == 4


def test_attached_events_and_quotes_raise_a_story() -> None:
    plain = story("s1", "Budget talk continues", ["a"], hours=5)
    substantive = story("s2", "Budget vote scheduled", ["b"], hours=1)
    digest = build_digest(
        STORYLINE,
        inputs([plain, substantive], [event(30, "Vote on the budget", ["b"])],
               [quote("Ben Ode", "We will vote on the thirtieth of June.", "b")]),
        START, END,
    )
    assert [s.title for s in digest.stories] == ["Budget vote scheduled", "Budget talk continues"]


def test_updated_story_ranks_below_equal_new_story_and_is_flagged() -> None:
    old = story("s1", "Same weight old", ["a"], hours=5, first_seen=START - dt.timedelta(days=2))
    new = story("s2", "Same weight new", ["b"], hours=1)
    digest = build_digest(STORYLINE, inputs([old, new]), START, END)
    assert [(s.title, s.updated) for s in digest.stories] == [
        ("Same weight new", False), ("Same weight old", True)]


def test_ties_go_to_the_newest() -> None:
    digest = build_digest(STORYLINE, inputs([story("s1", "Older", ["a"], hours=1),
                                             story("s2", "Newer", ["b"], hours=4)]), START, END)
    assert [s.title for s in digest.stories] == ["Newer", "Older"]


def test_the_most_important_events_are_kept_and_listed_in_date_order() -> None:
    events = [
        event(23, "Site survey", ["a"]),  # one source, no core entity: the least important
        event(22, "Lunar Agency announces crew", ["b"]),
        event(21, "Launch window set", ["c", "d", "e"]),
        event(24, "Habitat module shipped", ["f", "g"], inferred=True),
    ]
    digest = build_digest(STORYLINE, inputs(events=events), START, END, DigestLimits(events=3))
    assert [(e.date.day, e.text) for e in digest.events] == [
        (21, "Launch window set"), (22, "Lunar Agency announces crew"),
        (24, "Habitat module shipped")]
    assert [e.inferred for e in digest.events] == [False, False, True]
    assert digest.more_events == 1


def test_quotes_core_speakers_first_unattributed_dropped() -> None:
    quotes = [
        quote("Random Person", "A perfectly reasonable sentence about the base.", "a"),
        quote(None, "Nobody knows who said this one at all, sadly.", "b"),
        quote("Director Park", "We are going back, and this time we stay for good.", "c"),
        quote("Ben Ode", "The numbers do not add up yet, not even close.", "d"),
    ]
    digest = build_digest(STORYLINE, inputs(quotes=quotes), START, END)
    assert [q.speaker for q in digest.quotes] == ["Director Park", "Ben Ode", "Random Person"]


def test_caps_count_what_is_left_out() -> None:
    many = [story(f"s{i}", f"Story {i}", [f"i{i}"], hours=i) for i in range(7)]
    digest = build_digest(STORYLINE, inputs(many), START, END, DigestLimits(stories=5))
    assert len(digest.stories) == 5 and digest.more_stories == 2


@pytest.mark.parametrize(
    ("data", "quiet"),
    [
        (inputs(), True),
        (inputs(quotes=[quote(None, "unattributed only", "a")]), True),
        (inputs([story("s", "One", ["a"])]), False),
        (inputs(events=[event(1, "x", ["a"])]), False),
    ],
)
def test_is_quiet(data: DigestInputs, quiet: bool) -> None:
    assert build_digest(STORYLINE, data, START, END).is_quiet is quiet
