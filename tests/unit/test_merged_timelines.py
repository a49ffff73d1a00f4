"""The stored merge (schema v16) stays equal to merging every event again, poll after poll."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlite_utils

from digests.config import parse_storyline
from digests.models import ParsedEntry, TimelineEvent
from digests.pipeline import process_items
from digests.reading import timeline_cache
from digests.reading.lookups import Lookups
from digests.store import ItemStore, open_database

NOW = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
RAIL = parse_storyline(
    {"id": "rail", "name": "Rail strike", "description": "The Northwind Rail drivers' strike.",
     "keywords": ["Northwind Rail", "rail strike", "Halvik", "drivers"]},
    "test",
)
DEVELOPMENTS = [
    "Northwind Rail drivers walked out at the Halvik depot",
    "Northwind Rail offered drivers a four percent raise",
    "The drivers' union rejected the Northwind Rail offer",
    "Mediator Ansel Brekke opened talks between Northwind Rail and the drivers",
    "Halvik commuters faced a second day without trains",
    "Northwind Rail cancelled every Halvik service for the weekend",
    "Drivers at the Osterby yard joined the rail strike",
]
MONTH = "March"


def _entry(rng: random.Random, number: int) -> ParsedEntry:
    """A short news item: a dated development or two, sometimes reworded, sometimes undated
    (then dated by publication), sometimes a copy of an earlier item."""
    published = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC) + dt.timedelta(
        days=rng.randrange(14), hours=rng.randrange(8)
    )
    sentences = []
    for _ in range(rng.randint(1, 2)):
        development = rng.choice(DEVELOPMENTS)
        if rng.random() < 0.3:
            development = development.replace("Northwind Rail", "the operator", 1)
        day = (published - dt.timedelta(days=rng.choice((0, 1, 1, 2)))).day
        if rng.random() < 0.7:
            sentences.append(f"On {MONTH} {day}, {development[0].lower()}{development[1:]}.")
        else:
            sentences.append(f"{development}, officials said.")
    text = " ".join(sentences) + " The rail strike has disrupted the region for weeks."
    return ParsedEntry(
        guid=f"item{number}", url=f"https://news.example/{number}",
        title=f"Rail strike update {number}", text=text, published=published,
    )


def _process(db: sqlite_utils.Database, entries: list[ParsedEntry]) -> None:
    ids = ItemStore(db).ingest("http://feed", entries, NOW).new
    process_items(db, [RAIL], ids, NOW)


def _merged_now(reader: Lookups) -> list[TimelineEvent]:
    """The reference: every event of the storyline merged at once."""
    return reader._story_events("rail")


@pytest.mark.parametrize("seed", range(4))
def test_polls_in_random_batches_keep_the_stored_timeline_equal_to_a_full_merge(
    seed: int,
) -> None:
    rng = random.Random(seed)
    entries = [_entry(rng, number) for number in range(70)]
    entries += [  # syndicated copies: they join the original's story, which then speaks
        ParsedEntry(guid=f"copy{n}", url=f"https://other.example/{n}", title=e.title,
                    text=e.text, published=e.published)
        for n, e in enumerate(rng.sample(entries, 8))
    ]
    rng.shuffle(entries)
    db = open_database(None)
    reader = Lookups(db, [RAIL])
    while entries:
        size = rng.randint(1, 12)
        batch, entries = entries[:size], entries[size:]
        _process(db, batch)
        reader.refresh_timelines()
        timeline_cache.forget()
        assert reader.timeline("rail") == _merged_now(reader)
    assert len(reader.timeline("rail")) >= 5


def test_an_item_leaving_the_storyline_leaves_its_events_behind() -> None:
    rng = random.Random(9)
    db = open_database(None)
    reader = Lookups(db, [RAIL])
    _process(db, [_entry(rng, number) for number in range(30)])
    reader.refresh_timelines()
    db.execute("UPDATE matches SET match = 0 WHERE item_id IN "
               "(SELECT id FROM items ORDER BY id LIMIT 5)")
    db.execute("DELETE FROM events WHERE item_id IN (SELECT id FROM items ORDER BY id DESC "
               "LIMIT 3)")
    db.execute("UPDATE items SET title = 'Renamed' WHERE id = (SELECT max(id) FROM items)")
    assert reader.refresh_timelines() == ["rail"]
    timeline_cache.forget()
    assert reader.timeline("rail") == _merged_now(reader)


def test_a_page_reads_the_entries_of_its_dates() -> None:
    rng = random.Random(3)
    db = open_database(None)
    _process(db, [_entry(rng, number) for number in range(40)])
    Lookups(db, [RAIL]).refresh_timelines()
    timeline_cache.forget()  # a new process
    reader = Lookups(db, [RAIL])
    whole = _merged_now(reader)
    dates = sorted({event.date for event in whole})
    since, until = dates[1], dates[-2]
    page = reader.timeline("rail", since=since, until=until)
    assert page == [event for event in whole if since <= event.date <= until]
    assert 0 < len(page) < len(whole)
    stored = db.execute(
        "SELECT count(*) FROM timeline_entries WHERE storyline_id = 'rail'").fetchone()[0]
    assert stored == len(whole)


def test_the_change_log_is_emptied_once_every_storyline_has_read_it() -> None:
    rng = random.Random(4)
    db = open_database(None)
    _process(db, [_entry(rng, number) for number in range(10)])
    assert db.execute("SELECT count(*) FROM timeline_changes").fetchone()[0] > 0
    Lookups(db, [RAIL]).refresh_timelines()
    assert db.execute("SELECT count(*) FROM timeline_changes").fetchone()[0] == 0


def test_a_storyline_no_longer_configured_stops_holding_the_change_log() -> None:
    rng = random.Random(6)
    db = open_database(None)
    ferry = parse_storyline(
        {"id": "ferry", "name": "Ferry", "description": "A ferry line.", "keywords": ["ferry"]},
        "test",
    )
    _process(db, [_entry(rng, number) for number in range(5)])
    Lookups(db, [RAIL, ferry]).refresh_timelines()
    _process(db, [_entry(rng, number) for number in range(5, 10)])
    Lookups(db, [RAIL]).refresh_timelines()  # "ferry" left the configuration
    assert db.execute("SELECT count(*) FROM timeline_changes").fetchone()[0] == 0
    reader = Lookups(db, [RAIL, ferry])  # and came back: built again from its reports
    assert reader.refresh_timelines() == ["ferry"]
    assert reader.timeline("rail") == _merged_now(reader)
