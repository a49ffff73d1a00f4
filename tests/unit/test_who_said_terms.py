"""who-said's full-text query leaves out common English words, and a fragment is still found
when hundreds of other quotes share those words (only the best FTS hits are fuzzy-ranked)."""

from __future__ import annotations

import datetime as dt

from digests.reading.lookups import WHO_SAID_RANKED, Lookups, _fts_terms
from digests.store import open_database
from tests.bot.seeding import STORYLINE, Coverage, seed

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


def test_common_words_are_left_out_of_the_query() -> None:
    assert _fts_terms("We will not ship a model anyone can turn into a weapon") == (
        '"ship" OR "model" OR "anyone" OR "turn" OR "weapon"'
    )


def test_a_fragment_of_common_words_only_keeps_them() -> None:
    assert _fts_terms("And then there were") == '"and" OR "then" OR "there" OR "were"'
    assert _fts_terms("it is") is None


def test_japanese_is_sampled_as_before() -> None:
    assert _fts_terms("輸出管理を一部解除") == '"輸出管" OR "管理を" OR "を一部" OR "部解除"'


def test_a_quote_is_found_among_many_sharing_its_common_words() -> None:
    db = open_database(None)
    crowd = [
        Coverage(title=f"Council meeting {n}",
                 quotes=((f"Speaker {n}", f"The council can look into the matter {n} again"),))
        for n in range(WHO_SAID_RANKED * 3)
    ]
    wanted = Coverage(title="Okafor on the bridge", quotes=(
        ("Mara Okafor", "We can not let the bridge turn into a toll road for one company"),))
    seed(db, STORYLINE.id, [*crowd[:150], wanted, *crowd[150:]], NOW)

    hits = Lookups(db, [STORYLINE]).who_said(
        "can't let the bridge turn into a toll road", storyline_id=STORYLINE.id
    )
    assert hits and hits[0].speaker == "Mara Okafor"
    assert "toll road" in hits[0].quote
