"""Filling a store at an older schema version with what an older engine left behind.

The current engine cannot run on an old file (the duplicate-candidate lookup reads columns
added since), so migration tests write the derived rows themselves: the analysis is the
current one, the writes are the store's plain writers, which every version since 3 accepts
(events are written with the columns version 3 has: `inferred` came in version 11).
Each item is its own story, as it would be with no copies among the items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlite_utils

from digests.analysis import Analyzer
from digests.config import StorylineDefinition
from digests.matching import Matcher
from digests.store import ItemStore
from digests.store.derived import DerivedStore


def save_bands_as_before(
    db: sqlite_utils.Database, item_id: str, band_keys: Sequence[str]
) -> None:
    """An item's band rows in the columns every version from 3 to 18 has (v19 added `day`)."""
    db.conn.executemany(
        "INSERT INTO item_bands (band_key, item_id) VALUES (?, ?)",
        [(key, item_id) for key in dict.fromkeys(band_keys)],
    )


def process_as_before(
    db: sqlite_utils.Database,
    storylines: Sequence[StorylineDefinition],
    item_ids: Sequence[str],
    now: dt.datetime,
) -> None:
    analyse = Analyzer([Matcher.from_definition(d) for d in storylines])
    derived = DerivedStore(db)
    for item_id in item_ids:
        item = ItemStore(db).get(item_id)
        assert item is not None
        analysis = analyse(item)
        story_id = f"s-{item_id}"
        derived.create_story(story_id, item_id, item.title, now)
        derived.join_story(item_id, story_id, 1.0, now)
        save_bands_as_before(db, item_id, analysis.fingerprint.band_keys)
        for decision in analysis.decisions:
            derived.save_match(item_id, decision, now)
        db.conn.executemany(
            "INSERT INTO events (item_id, date, text, evidence, relative) VALUES (?, ?, ?, ?, ?)",
            [(item_id, e.date.isoformat(), e.text, e.evidence, int(e.relative))
             for e in analysis.events],
        )
        derived.replace_quotes(item_id, analysis.quotes)
