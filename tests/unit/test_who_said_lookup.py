"""`Lookups.who_said` over a real store: right or silent, Japanese too, the speaker most
sources agree on first when reports disagree."""

from __future__ import annotations

import datetime as dt

from digests.reading.lookups import Lookups
from digests.store import open_database
from tests.bot.seeding import STORYLINE, Coverage, seed

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)
WORDS = "The harbour bridge will reopen before the autumn storms arrive"


def test_japanese_fragment_finds_its_quote_and_only_that() -> None:
    db = open_database(None)
    seed(db, STORYLINE.id, [
        Coverage(title="港の橋",
                 quotes=(("ハナ・ミラー", "橋は秋の嵐が来る前に再開する予定だ"),)),
        Coverage(title="港の船",
                 quotes=(("トム・ベーカー", "船は秋の嵐が来る前に増便する予定だ"),)),
    ], NOW)
    lookups = Lookups(db, [STORYLINE])
    hits = lookups.who_said("橋は秋の嵐が来る前に再開")
    assert [h.speaker for h in hits] == ["ハナ・ミラー"]
    assert lookups.who_said("橋は冬になる前に閉鎖する") == []


def test_the_speaker_most_sources_agree_on_comes_first_and_both_are_flagged() -> None:
    db = open_database(None)
    seed(db, STORYLINE.id, [
        Coverage(title="Bridge one", quotes=(("Tidewater Lines", WORDS),)),
        Coverage(title="Bridge two", quotes=(("Mara Okafor", WORDS),)),
        Coverage(title="Bridge three", quotes=(("Mara Okafor", WORDS),)),
    ], NOW)
    hits = Lookups(db, [STORYLINE]).who_said("reopen before the autumn storms")
    assert [h.speaker for h in hits] == ["Mara Okafor", "Tidewater Lines"]
    assert hits[0].conflicting == ("Tidewater Lines",)
    assert hits[1].conflicting == ("Mara Okafor",)


def test_an_exact_phrase_ranks_before_a_quote_a_word_away() -> None:
    db = open_database(None)
    seed(db, STORYLINE.id, [
        Coverage(title="Near", quotes=((
            "Tidewater Lines", "The harbour bridge will surely reopen before the storms"),)),
        Coverage(title="Exact", quotes=(("Mara Okafor", WORDS),)),
    ], NOW)
    hits = Lookups(db, [STORYLINE]).who_said("harbour bridge will reopen before the")
    assert [h.speaker for h in hits] == ["Mara Okafor", "Tidewater Lines"]
    assert hits[0].score == 1.0 > hits[1].score
    assert hits[0].conflicting == ()  # different words, not a disagreement


def test_a_plain_sqlite3_connection_reads_what_the_service_handle_reads() -> None:
    """Lookup commands read through the standard library's connection alone (issue 14);
    the service passes its `sqlite_utils.Database`: every lookup answers the same on both."""
    db = open_database(None)
    seed(db, STORYLINE.id, [
        Coverage(title="Bridge one", quotes=(("Tidewater Lines", WORDS),)),
        Coverage(title="Bridge two", quotes=(("Mara Okafor", WORDS),)),
    ], NOW)
    handle, plain = Lookups(db, [STORYLINE]), Lookups(db.conn, [STORYLINE])
    assert plain.who_said("reopen before the autumn") == handle.who_said("reopen before the autumn")
    assert plain.who_said("reopen before the autumn")  # not two empty answers
    assert plain.quotes_by("Mara Okafor") == handle.quotes_by("Mara Okafor")
    assert plain.stories(STORYLINE.id) == handle.stories(STORYLINE.id)
    assert plain.stats(STORYLINE.id) == handle.stats(STORYLINE.id)
    assert plain.people(STORYLINE.id) == handle.people(STORYLINE.id)
