"""A storyline's first merge is computed outside any write transaction: the store takes
writes meanwhile, and what they change is merged right after (`reading.merged_timelines`)."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import sqlite_utils

from digests.config import parse_storyline
from digests.models import ParsedEntry, TimelineEvent
from digests.pipeline import process_items
from digests.reading import timeline_cache
from digests.reading.lookups import Lookups
from digests.reading.merged_timelines import BUILDING, MergedTimelines
from digests.store import ItemStore, open_database
from digests.timeline.incremental import MergedState, Outcome, remerge

NOW = dt.datetime(2026, 5, 11, tzinfo=dt.UTC)
CANAL = parse_storyline(
    {"id": "canal", "name": "Canal closure", "description": "The Vessen canal lock failure.",
     "keywords": ["Vessen canal", "lock", "barges"]},
    "test",
)
FAIR = parse_storyline(
    {"id": "fair", "name": "Book fair", "description": "The Orrin book fair.",
     "keywords": ["Orrin book fair"]},
    "test",
)
DEVELOPMENTS = [
    "Engineers found a crack in the Vessen canal lock gate",
    "Barges queued for miles below the Vessen canal lock",
    "The waterways agency closed the Vessen canal to barges",
    "Divers inspected the lock gate at Dunmere",
    "Grain shippers moved cargo from barges to trucks",
    "The agency reopened one lane of the Vessen canal",
]
BACKGROUND = [
    "The lock failure has halted barges for days.",
    "Shipping firms say the closure costs them dearly.",
    "Local boatyards have sent their crews home.",
    "The canal carries a fifth of the region's grain.",
]


def _entry(rng: random.Random, number: int) -> ParsedEntry:
    """A short item: a development or two of the closure, dated or not, in its own words."""
    published = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC) + dt.timedelta(
        days=rng.randrange(9), hours=rng.randrange(10)
    )
    sentences = []
    for _ in range(rng.randint(1, 2)):
        development = rng.choice(DEVELOPMENTS)
        day = (published - dt.timedelta(days=rng.choice((0, 1, 2)))).day
        sentences.append(f"On May {day}, {development[0].lower()}{development[1:]}."
                         if rng.random() < 0.7 else f"{development}, officials said.")
    sentences.append(rng.choice(BACKGROUND))
    return ParsedEntry(
        guid=f"canal{number}", url=f"https://canal.example/{number}",
        title=f"Canal update {number}", text=" ".join(sentences), published=published,
    )


def _entries(seed: int, first: int, end: int) -> list[ParsedEntry]:
    rng = random.Random(seed)
    return [_entry(rng, number) for number in range(first, end)]


def _process(db: sqlite_utils.Database, entries: list[ParsedEntry]) -> None:
    ids = ItemStore(db).ingest("http://feed", entries, NOW).new
    process_items(db, [CANAL, FAIR], ids, NOW)


def _merged(db: sqlite_utils.Database, merge: Callable[..., Outcome] = remerge) -> MergedTimelines:
    reader = Lookups(db, [CANAL, FAIR])
    return MergedTimelines(db, reader._spoken, reader._with_members, merge=merge)


def _full_merge(db: sqlite_utils.Database) -> list[TimelineEvent]:
    """The reference: every event of the storyline as it is now, merged at once."""
    return Lookups(db, [CANAL, FAIR])._story_events("canal")


def _state(db: sqlite_utils.Database) -> int | None:
    row = db.execute(
        "SELECT generation FROM timeline_states WHERE storyline_id = 'canal'").fetchone()
    return None if row is None else int(row[0])


class Meanwhile:
    """A merge that, the first time it is called, lets `write` run first: the point at which
    a first build computes, held while another connection writes."""

    def __init__(self, db: sqlite_utils.Database, write: Callable[[], object]) -> None:
        self.db = db
        self.write = write
        self.in_transaction: list[bool] = []  # was the builder's connection in one

    def __call__(
        self, state: MergedState, days: Iterable[dt.date], touched: Iterable[int],
        flipped: Iterable[dt.date],
    ) -> Outcome:
        if not self.in_transaction:
            self.in_transaction.append(self.db.conn.in_transaction)
            self.write()
        return remerge(state, days, touched, flipped)


@pytest.fixture
def stores(tmp_path: Path) -> tuple[sqlite_utils.Database, sqlite_utils.Database]:
    """The store as the builder opens it, and as another process does."""
    path = tmp_path / "store.db"
    db = open_database(path)
    _process(db, _entries(1, 0, 40))
    return db, open_database(path)


def test_a_write_during_the_first_merge_succeeds_and_is_merged_right_after(
    stores: tuple[sqlite_utils.Database, sqlite_utils.Database],
) -> None:
    db, other = stores
    later = _entries(2, 40, 55)
    # busy for the store's whole busy timeout and then failing, were the lock held
    meanwhile = Meanwhile(db, lambda: _process(other, later))
    merged = _merged(db, meanwhile)
    merged.refresh("canal")
    assert meanwhile.in_transaction == [False]
    assert merged.is_current("canal", timeline_cache.generation(db))
    stored = merged.page("canal")
    assert stored == _full_merge(db)
    sources = {source.item_id for event in stored for source in event.sources}
    added = {row[0] for row in db.execute("SELECT id FROM items WHERE guid LIKE 'canal4_' "
                                          "OR guid LIKE 'canal5_'")}
    assert sources & added  # the items written meanwhile are in the timeline


def test_the_change_log_is_kept_for_a_merge_being_built(
    stores: tuple[sqlite_utils.Database, sqlite_utils.Database],
) -> None:
    """Another storyline's refresh meanwhile empties the log of what every state has read:
    the placeholder state keeps the changes made after the build's snapshot."""
    db, other = stores
    later = _entries(3, 40, 55)

    def write() -> None:
        _process(other, later)
        _merged(other).refresh("fair")

    meanwhile = Meanwhile(db, write)
    merged = _merged(db, meanwhile)
    merged.refresh("canal")
    assert merged.page("canal") == _full_merge(db)


def test_a_build_that_stopped_is_built_again(
    stores: tuple[sqlite_utils.Database, sqlite_utils.Database],
) -> None:
    db, other = stores

    def failing(*_: object) -> Outcome:
        raise MemoryError("the process stopped while merging")

    with pytest.raises(MemoryError):
        _merged(db, failing).refresh("canal")
    assert _state(db) == BUILDING
    _process(other, _entries(4, 40, 50))
    _merged(other).refresh("fair")
    assert db.execute("SELECT count(*) FROM timeline_changes").fetchone()[0] > 0
    merged = _merged(db)
    merged.refresh("canal")
    assert _state(db) not in (None, BUILDING)
    assert merged.page("canal") == _full_merge(db)


def test_of_two_builds_the_first_to_finish_is_kept(
    stores: tuple[sqlite_utils.Database, sqlite_utils.Database],
) -> None:
    db, other = stores
    meanwhile = Meanwhile(db, lambda: _merged(other).refresh("canal"))
    merged = _merged(db, meanwhile)
    merged.refresh("canal")
    whole = _full_merge(db)
    assert merged.page("canal") == whole
    stored = db.execute(
        "SELECT count(*) FROM timeline_entries WHERE storyline_id = 'canal'").fetchone()[0]
    assert stored == len(whole) > 3


def test_a_second_thread_waits_for_the_build_instead_of_computing_another(
    tmp_path: Path,
) -> None:
    """The service's poll and a bot lookup refresh from threads of one process: the one that
    comes second waits for the first build and reads it, and no second build is computed."""
    path = tmp_path / "store.db"
    _process(open_database(path), _entries(1, 0, 40))
    builds: list[str] = []  # which thread computed a merge of every day
    merging, release = threading.Event(), threading.Event()

    def held(
        state: MergedState, days: Iterable[dt.date], touched: Iterable[int],
        flipped: Iterable[dt.date],
    ) -> Outcome:
        days = list(days)
        if days:
            builds.append(threading.current_thread().name)
            merging.set()
            release.wait(30)
        return remerge(state, days, touched, flipped)

    pages: dict[str, list[TimelineEvent]] = {}

    def refresh() -> None:
        db = open_database(path)  # a connection of the thread's own, as each has
        merged = _merged(db, held)
        merged.refresh("canal")
        pages[threading.current_thread().name] = merged.page("canal")

    first = threading.Thread(target=refresh, name="poll", daemon=True)
    first.start()
    assert merging.wait(30)
    second = threading.Thread(target=refresh, name="lookup", daemon=True)
    second.start()
    second.join(0.5)
    assert second.is_alive() and builds == ["poll"]  # waiting, not merging
    release.set()
    first.join(30)
    second.join(30)
    assert builds == ["poll"]
    assert pages["poll"] == pages["lookup"] == _full_merge(open_database(path))
