"""Duplicate candidates from the band index (schema v9, v18, v19): each key's newest items
dated near the new one, most shared keys first, and the same rows after an upgrade."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from digests.models import ParsedEntry
from digests.pipeline import process_items
from digests.store import SCHEMA_VERSION, ItemStore, migrate, open_database
from digests.store.derived import BAND_FANOUT, COPY_WINDOW_DAYS, DerivedStore
from digests.store.migrations import current_version
from digests.store.timestamps import DAY_NUMBER_SQL, day_number
from tests.support.old_store import process_as_before, save_bands_as_before
from tests.support.story_fixtures import fixture_entry

NOW = dt.datetime(2026, 3, 5, tzinfo=dt.UTC)
DAY = day_number(NOW)


def stored_items(db: sqlite_utils.Database, count: int) -> list[str]:
    entries = [
        ParsedEntry(guid=f"g{n}", url=f"https://news.example/{n}", title=f"Item {n}",
                    text=f"Body of item {n}.", published=NOW)
        for n in range(count)
    ]
    return ItemStore(db).ingest("http://f", entries, NOW).new


def test_a_key_shared_by_many_items_offers_only_its_newest(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    ids = stored_items(db, BAND_FANOUT * 2)
    derived = DerivedStore(db)
    for item_id in ids:  # written in arrival order, as the engine does
        derived.save_bands(item_id, ["t0:stock-sentence", f"t1:{item_id}", f"t2:{item_id}"],
                           DAY)
    found = derived.band_candidates(["t0:stock-sentence"], exclude="none", day=DAY)
    assert sorted(found) == sorted(ids[-BAND_FANOUT:])
    # An old item sharing rarer keys is still found, and ranks first.
    old = ids[3]
    found = derived.band_candidates(
        ["t0:stock-sentence", f"t1:{old}", f"t2:{old}"], exclude="none", day=DAY
    )
    assert found[0] == old and set(found) == {old, *ids[-BAND_FANOUT:]}
    # The item being clustered is never its own candidate.
    assert ids[-1] not in derived.band_candidates(["t0:stock-sentence"], exclude=ids[-1],
                                                  day=DAY)


def test_rewriting_an_items_bands_moves_it_to_the_newest(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    ids = stored_items(db, BAND_FANOUT + 1)
    derived = DerivedStore(db)
    for item_id in ids:
        derived.save_bands(item_id, ["t0:stock-sentence"], DAY)
    assert ids[0] not in derived.band_candidates(["t0:stock-sentence"], exclude="none", day=DAY)
    derived.save_bands(ids[0], ["t0:stock-sentence", "t0:stock-sentence"], DAY)  # re-processed
    found = derived.band_candidates(["t0:stock-sentence"], exclude="none", day=DAY)
    assert ids[0] in found and ids[1] not in found
    assert db.execute(
        "SELECT count(*) FROM item_bands WHERE item_id = ?", [ids[0]]
    ).fetchone()[0] == 1


def test_a_version_8_file_keeps_its_bands_in_arrival_order(tmp_path: Path) -> None:
    path = tmp_path / "v8.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=8)
    ids = ItemStore(old).ingest(
        "http://f", [fixture_entry("article"), fixture_entry("follow-up")], NOW
    ).new
    process_as_before(old, [], ids, NOW)
    before = set(old.execute("SELECT band_key, item_id FROM item_bands").fetchall())
    story = DerivedStore(old).story_of(ids[0])
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 9
    assert set(db.execute("SELECT band_key, item_id FROM item_bands").fetchall()) == before
    order = [r[0] for r in db.execute("SELECT item_id FROM item_bands ORDER BY id").fetchall()]
    assert order == sorted(order, key=ids.index), "rows follow the items' arrival"
    # A syndicated copy arriving after the upgrade still finds the article's story.
    [copy_id] = ItemStore(db).ingest("http://g", [fixture_entry("syndicated")], NOW).new
    report = process_items(db, [], [copy_id], NOW, workers=1)
    assert report.joined_story == 1
    assert DerivedStore(db).story_of(copy_id) == story


def test_only_items_dated_near_the_new_one_are_candidates(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    stored = stored_items(db, 4 + BAND_FANOUT)
    ids, later = stored[:4], stored[4:]
    derived = DerivedStore(db)
    offsets = [-COPY_WINDOW_DAYS - 1, -COPY_WINDOW_DAYS, COPY_WINDOW_DAYS, COPY_WINDOW_DAYS + 1]
    for item_id, offset in zip(ids, offsets, strict=True):
        derived.save_bands(item_id, ["t0:shared"], DAY + offset)
    assert set(derived.band_candidates(["t0:shared"], exclude="none", day=DAY)) == set(ids[1:3])
    # The newest within the window, not the newest overall, fill a key's share.
    for n, item_id in enumerate(later):
        derived.save_bands(item_id, ["t0:shared"], DAY + COPY_WINDOW_DAYS + 2 + n)
    assert set(derived.band_candidates(["t0:shared"], exclude="none", day=DAY)) == set(ids[1:3])


def test_an_identical_article_a_month_apart_starts_a_story_of_its_own(tmp_path: Path) -> None:
    # Through the engine: the same text dated beyond the window is looked for among other
    # items and starts its own story; a copy within it (here before the article, as a late
    # backfill would be) joins the article's.
    db = open_database(tmp_path / "s.db")
    article = fixture_entry("article")
    assert article.published is not None
    far = article.published + dt.timedelta(days=COPY_WINDOW_DAYS + 2)
    near = article.published - dt.timedelta(days=COPY_WINDOW_DAYS - 1)
    [original] = ItemStore(db).ingest("http://f", [article], NOW).new
    process_items(db, [], [original], NOW, workers=1)
    derived = DerivedStore(db)
    for n, when in enumerate((far, near)):
        copy = ParsedEntry(guid=f"copy-{n}", url=f"https://other.example/{n}",
                           title=article.title, text=article.text, published=when)
        [copy_id] = ItemStore(db).ingest("http://g", [copy], NOW).new
        process_items(db, [], [copy_id], NOW, workers=1)
        joined = derived.story_of(copy_id) == derived.story_of(original)
        assert joined == (when == near), when


def test_the_day_in_sql_is_the_day_in_python(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    moments = [
        dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 6, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 6, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))),  # 5th, UTC
        dt.datetime(1969, 12, 31, 12, tzinfo=dt.UTC),
        dt.datetime(2024, 2, 29, 12, tzinfo=dt.UTC),
    ]
    for moment in moments:
        text = moment.astimezone(dt.UTC).isoformat(timespec="seconds")
        [in_sql] = db.execute(f"SELECT {DAY_NUMBER_SQL.format('?')}", [text]).fetchone()
        assert in_sql == day_number(moment), moment
    assert day_number(moments[2]) == day_number(moments[0]) == DAY
    assert day_number(moments[3]) == -1


def lookup_plan(db: sqlite_utils.Database) -> str:
    rows = db.execute(
        "EXPLAIN QUERY PLAN SELECT item_id FROM item_bands WHERE band_key = ? "
        "AND day BETWEEN ? AND ? ORDER BY day DESC, id DESC LIMIT ?",
        ["t0:stock-sentence", DAY - 1, DAY + 1, BAND_FANOUT],
    ).fetchall()
    return " | ".join(str(row[-1]) for row in rows)


def test_a_lookup_reads_the_band_index_alone(tmp_path: Path) -> None:
    # Newest first straight from the index, only the window's range: no table seek per row,
    # no sort.
    plan = lookup_plan(open_database(tmp_path / "s.db"))
    assert "COVERING INDEX item_bands_near" in plan and "B-TREE" not in plan
    assert "day>? AND day<?" in plan.replace("=", "")


def test_a_version_18_file_dates_its_band_rows(tmp_path: Path) -> None:
    path = tmp_path / "v18.db"
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=18)
    undated = ParsedEntry(guid="undated", url="https://news.example/undated", title="Undated",
                          text="A body without a date.", published=None)
    dated = [
        ParsedEntry(guid=f"g{n}", url=f"https://news.example/{n}", title=f"Item {n}",
                    text=f"Body of item {n}.", published=NOW - dt.timedelta(days=n * 20))
        for n in range(BAND_FANOUT + 5)
    ]
    fetched = NOW + dt.timedelta(days=3)
    ids = ItemStore(old).ingest("http://f", dated, NOW).new
    [undated_id] = ItemStore(old).ingest("http://f", [undated], fetched).new
    for item_id in [*ids, undated_id]:
        save_bands_as_before(old, item_id, ["t0:stock-sentence", f"t1:{item_id}"])
    old.conn.close()

    db = open_database(path)
    assert current_version(db) == SCHEMA_VERSION >= 19
    days = dict(db.execute("SELECT item_id, day FROM item_bands WHERE band_key = ?",
                           ["t0:stock-sentence"]).fetchall())
    assert days == {**{i: DAY - n * 20 for n, i in enumerate(ids)},
                    undated_id: day_number(fetched)}
    assert "COVERING INDEX item_bands_near" in lookup_plan(db)
    found = DerivedStore(db).band_candidates(["t0:stock-sentence"], exclude="none", day=DAY)
    assert set(found) == {ids[0], ids[1], undated_id}  # 0 and 20 days back, 3 ahead
