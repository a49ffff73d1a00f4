"""`storyline who-said` through the real command: the quote that holds the fragment, or
"no quote found", and a flag when two reports give the same words to different people."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli

STORYLINE = """\
id = "harbour"
name = "Harbour bridge closure"
description = "The Kestrel Harbour bridge closes for repairs and the ferries take over."
keywords = ["Kestrel bridge", "harbour bridge", "ferries"]
"""

# Two papers report the same sentence; the second gives it to the deputy, not the master.
MORNING = """\
Kestrel harbour bridge stays shut

The Kestrel harbour bridge will stay closed for the whole summer, the harbour authority said.

“Nobody crosses the Kestrel bridge until the last cracked bearing is out of it,” harbour \
master Mara Quill said at the quay on Monday.

Extra ferries run every twenty minutes from the old pier while the harbour bridge is repaired.
"""

EVENING = """\
Ferries take the strain as the harbour bridge closes

Commuters queued for the ferries on Monday evening as repairs on the Kestrel bridge began.

“Nobody crosses the Kestrel bridge until the last cracked bearing is out of it,” deputy \
harbour master Tom Reed told reporters.

The ferry company said it had hired two more crews for the season.
"""


@pytest.fixture
def common(tmp_path: Path) -> tuple[str, ...]:
    config = tmp_path / "config"
    (config / "storylines").mkdir(parents=True)
    (config / "storylines" / "harbour.toml").write_text(STORYLINE, encoding="utf-8")
    (tmp_path / "morning.md").write_text(MORNING, encoding="utf-8")
    (tmp_path / "evening.md").write_text(EVENING, encoding="utf-8")
    args = ("--config", str(config), "--db", str(tmp_path / "s.db"))
    status, out, err = run_cli("ingest", str(tmp_path / "morning.md"),
                               str(tmp_path / "evening.md"), "--published", "2026-06-08",
                               *args)
    assert status == 0, err
    assert "matched harbour: 2" in out
    return args


def test_a_fragment_in_no_quote_says_no_quote_found(common: tuple[str, ...]) -> None:
    # Words from the articles' own prose, and words near a quote: neither is a quote.
    for fragment in ("extra ferries run every twenty minutes from the old pier",
                     "nobody crosses the harbour until the ferries stop"):
        status, out, _ = run_cli("who-said", fragment, *common)
        assert (status, out.strip()) == (0, "no quote found")
        status, out, _ = run_cli("who-said", fragment, "--json", *common)
        assert (status, json.loads(out)) == (0, [])


def test_the_same_words_from_two_speakers_are_both_shown_and_flagged(
    common: tuple[str, ...]
) -> None:
    status, out, _ = run_cli("who-said", "until the last cracked bearing is out", "--json",
                             *common)
    assert status == 0
    hits = json.loads(out)
    assert {h["speaker"] for h in hits} == {"Mara Quill", "Tom Reed"}
    by_speaker = {h["speaker"]: h["conflicting"] for h in hits}
    assert by_speaker == {"Mara Quill": ["Tom Reed"], "Tom Reed": ["Mara Quill"]}
    status, out, _ = run_cli("who-said", "until the last cracked bearing is out", *common)
    assert out.count("conflict: other sources say") == 2


def test_a_word_changed_still_finds_the_quote(common: tuple[str, ...]) -> None:
    status, out, _ = run_cli("who-said", "“nobody crosses the Kestrel bridge until the final "
                             "cracked bearing is out”", "--json", *common)
    assert status == 0
    hits = json.loads(out)
    assert hits and all("cracked bearing" in h["quote"] for h in hits)
