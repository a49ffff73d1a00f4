"""Stored timelines: merged into the store after processing, read back by any instance.

The stored merge (schema v14, `store/merged_timelines.py`) is brought up to date by
`MergedTimelines.refresh`; the tests count its calls, and a counting merger stands in for
`timeline.merge_events` where a store that cannot be written is merged at lookup, so they see
when a timeline is merged and when it comes from the store, without timing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlite_utils

from digests.config import StorylineDefinition, parse_storyline
from digests.models import ExtractedEvent, SourceRef, TimelineEvent
from digests.pipeline import process_items
from digests.reading import merge_state, timeline_cache
from digests.reading.lookups import Lookups
from digests.reading.merged_timelines import MergedTimelines
from digests.store import ItemStore, open_database
from digests.timeline import filter_events, merge_events
from tests.support.story_fixtures import fixture_entry

NOW = dt.datetime(2026, 3, 7, tzinfo=dt.UTC)
RAIL = parse_storyline(
    {"id": "rail", "name": "Rail strike", "description": "The Northwind Rail drivers' strike.",
     "keywords": ["Northwind Rail", "rail strike", "Halvik", "drivers"]},
    "test",
)


class CountingMerge:
    """The real merger, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, events: Sequence[tuple[ExtractedEvent, SourceRef]]) -> list[TimelineEvent]:
        self.calls += 1
        return merge_events(events)


def add(db: sqlite_utils.Database, *names: str) -> None:
    ids = ItemStore(db).ingest("http://f", [fixture_entry(n) for n in names], NOW).new
    process_items(db, [RAIL], ids, NOW)


def lookups(db: sqlite_utils.Database, merge: CountingMerge,
            storylines: Sequence[StorylineDefinition] = (RAIL,)) -> Lookups:
    return Lookups(db, storylines, merge=merge)


class Refreshes:
    """Counts the refreshes of stored merges (the real ones run)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = MergedTimelines.refresh

        def counting(merged: MergedTimelines, storyline_id: str) -> int:
            self.calls += 1
            return real(merged, storyline_id)

        monkeypatch.setattr(MergedTimelines, "refresh", counting)


def test_a_second_instance_reads_the_stored_timeline_without_merging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.db"
    add(open_database(path), "article", "follow-up")
    refreshes = Refreshes(monkeypatch)
    first = CountingMerge()
    computed = lookups(open_database(path), first).timeline("rail")
    assert refreshes.calls == 1 and first.calls == 0 and len(computed) >= 2

    timeline_cache.forget()  # another process: nothing in memory, the stored rows are read
    second = CountingMerge()
    again = lookups(open_database(path), second)
    assert again.timeline("rail") == computed
    assert again.timeline("rail") == computed
    assert second.calls == 0 and refreshes.calls == 1


def test_refresh_after_processing_leaves_nothing_to_merge_at_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = open_database(None)
    add(db, "article")
    refreshes = Refreshes(monkeypatch)
    assert lookups(db, CountingMerge()).refresh_timelines() == ["rail"]
    assert lookups(db, CountingMerge()).refresh_timelines() == []  # nothing changed
    assert refreshes.calls == 1

    reader = CountingMerge()
    assert lookups(db, reader).timeline("rail") and reader.calls == 0
    assert refreshes.calls == 1


def test_a_copy_joining_a_story_makes_the_stored_timeline_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = open_database(None)
    add(db, "article")
    refreshes = Refreshes(monkeypatch)
    reader = lookups(db, CountingMerge())
    before = reader.timeline("rail")
    assert all(len(event.sources) == 1 for event in before)

    add(db, "syndicated")  # a copy of the article: joins its story, the lead speaks for both
    after = reader.timeline("rail")
    assert refreshes.calls == 2
    assert [e.date for e in after] == [e.date for e in before]
    assert all(len(event.sources) == 2 for event in after)
    # What was merged at lookup was stored: another instance does not merge again.
    timeline_cache.forget()
    other = CountingMerge()
    assert lookups(db, other).timeline("rail") == after and other.calls == 0
    assert refreshes.calls == 2


def test_new_events_are_merged_in_by_the_next_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_database(None)
    add(db, "article")
    reader = lookups(db, CountingMerge())
    before = {e.date for e in reader.timeline("rail")}

    add(db, "follow-up")  # a new article on the storyline, with events of its own
    refreshes = Refreshes(monkeypatch)
    assert reader.refresh_timelines() == ["rail"]
    after = {e.date for e in reader.timeline("rail")}
    assert refreshes.calls == 1  # the refresh did the merging, not the lookup
    assert before < after


def test_filters_apply_to_the_stored_timeline(monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_database(None)
    add(db, "article", "follow-up", "rival-report")
    lookups(db, CountingMerge()).refresh_timelines()
    timeline_cache.forget()
    refreshes = Refreshes(monkeypatch)
    merge = CountingMerge()
    reader = lookups(db, merge)
    full = reader.timeline("rail")
    dates = sorted({e.date for e in full})
    assert len(dates) >= 2
    since, until = dates[1], dates[-1]
    timeline_cache.forget()  # pages read from the stored rows, not from memory
    assert reader.timeline("rail", since=since) == filter_events(
        full, since=since, until=None, about=None
    )
    assert reader.timeline("rail", until=since) == filter_events(
        full, since=None, until=since, about=None
    )
    assert reader.timeline("rail", since=since, until=until, about="drivers") == filter_events(
        full, since=since, until=until, about="drivers"
    )
    assert all(e.date >= since for e in reader.timeline("rail", since=since))
    assert len(reader.timeline("rail", since=since)) < len(full)
    assert merge.calls == 0 and refreshes.calls == 0


def test_unrelated_storylines_are_stored_separately() -> None:
    db = open_database(None)
    other = parse_storyline(
        {"id": "ferry", "name": "Ferry", "description": "A ferry line.", "keywords": ["ferry"]},
        "test",
    )
    add(db, "article")
    assert lookups(db, CountingMerge(), [RAIL, other]).refresh_timelines() == ["rail", "ferry"]
    stored = MergedTimelines(db, lambda *_: [], lambda events, _: list(events))
    assert stored.page("ferry") == []
    assert stored.page("rail")


def test_stored_entries_keep_every_field() -> None:
    event = TimelineEvent(
        date=dt.date(2026, 3, 4), text="Drivers walk out “today”",
        sources=(SourceRef("a", "Title", "https://x.example/a", "http://f"),
                 SourceRef("b", "運転士がスト", None, None)),
        other_dates=(dt.date(2026, 3, 5),), inferred=True,
    )
    assert merge_state.decode(merge_state.encode(event)) == event


def test_a_store_that_cannot_be_written_is_merged_at_lookup(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    add(open_database(path), "article")
    expected = lookups(open_database(path), CountingMerge()).timeline("rail")
    add(open_database(path), "follow-up")
    timeline_cache.forget()
    reader = open_database(path)
    reader.execute("PRAGMA query_only = ON")  # as a read-only file or a busy writer would be
    merge = CountingMerge()
    merged = lookups(reader, merge).timeline("rail")
    assert merge.calls == 1 and len(merged) > len(expected)
    assert lookups(reader, merge).timeline("rail") == merged and merge.calls == 1  # memory


def test_a_timeline_refreshed_on_one_connection_serves_another_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service refreshes in its poll thread (own connection); the bot's lookups on the
    loop's connection then neither merge nor decode the stored rows again."""
    path = tmp_path / "s.db"
    poller = open_database(path)
    add(poller, "article", "follow-up")
    assert lookups(poller, CountingMerge()).refresh_timelines() == ["rail"]
    refreshed = Lookups(poller, [RAIL]).timeline("rail")
    poller.execute("UPDATE timeline_entries SET event = '[]'")  # the stored rows: unreadable
    refreshes = Refreshes(monkeypatch)
    bot = CountingMerge()
    assert lookups(open_database(path), bot).timeline("rail") == refreshed
    assert bot.calls == 0 and refreshes.calls == 0


def test_a_recreated_file_at_the_same_path_is_another_store(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    first = open_database(path)
    add(first, "article", "follow-up")
    assert lookups(first, CountingMerge()).timeline("rail")
    first.conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    again = open_database(path)
    assert lookups(again, CountingMerge()).timeline("rail") == []
