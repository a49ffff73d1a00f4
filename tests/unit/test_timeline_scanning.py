"""The shortcuts of `timeline.scanning` skip only scans that cannot match (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from digests.timeline.scanning import (
    every_pattern,
    find_mentions,
    may_open_with_mention,
    mentions_by,
)

SENTENCES = [
    "The council met on Tuesday and again three days later.",
    "Officials said the talks would resume on June 12, 2026.",
    "Prices rose sharply, analysts noted in their weekly report.",
    "It happened two weeks ago, before the vote.",
    "The summit ends tomorrow; the day before, ministers met.",
    "Last night the ministry confirmed the order of 2026-06-03.",
    "LAST NIGHT THE STRIKE ENDED, A SPOKESMAN SAID ON MONDAY.",
    "A spokesman spoke this MORNING about the plan.",
    "Nothing in this sentence names a time at all.",
    "The İstanbul office reopened on Friday.",
    "Three DAYS AGO the \u212aelvin lab announced it.",
    "米政府は6月12日、輸出管理を解除したと発表した。",
    "同社は昨日、新製品を発表した。",
    "翌日には会談が再開された。",
    "3日前に合意し、来週の月曜日に署名する。",
    "政府は方針を変えていない。",
    "Fable 5 の提供は July 3 に再開された。",
    "Fable 5 costs 20 dollars and 3 analysts agree, 4-2.",
    "The order of 2026-06-03 was replaced on Sept. 9 and again on 3 Sept 2026.",
    "They met on the 3rd of June; MAY 5 is shouted, may 5 is not a date, May 5 is.",
    "On Wed., Mar. 4, 2026, and Dec 31 the office was shut; Jan. 2 it reopened.",
    "Version 2026-06 shipped; 20260603 is no date; the 12th is.",
    "Prices fell 5% in June, a spokesman said, and 7 in July.",
]

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def test_gated_scan_finds_what_every_pattern_finds_in_the_seeds() -> None:
    """Every line of the real seed documents (read at test time, never copied)."""
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not present beside the repository")
    lines = [line.strip() for path in sorted(SEEDS.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 50
    found = 0
    for line in lines:
        mentions = find_mentions(line)
        assert mentions == mentions_by(every_pattern(), line), line
        found += len(mentions)
    assert found > 0


@pytest.mark.parametrize("sentence", SENTENCES)
def test_gated_scan_finds_what_every_pattern_finds(sentence: str) -> None:
    assert find_mentions(sentence) == mentions_by(every_pattern(), sentence)


def test_gates_skip_sentences_without_dates() -> None:
    assert find_mentions("Prices rose sharply, analysts noted in their report.") == []
    assert [m.start for m in find_mentions("Talks resumed on Monday.")] == [17]


LINES = [
    ("June 26: the directive is lifted for Fable 5.", True),
    ("- June 26: the directive is lifted.", True),
    ("• 6月26日：輸出管理を解除", True),
    ("6月26日 - 規制解除", True),
    ("Monday, the 3rd: talks begin", True),
    ("Yesterday: the vote", True),
    ("The directive was lifted on June 26: officials confirmed it.", False),
    ("Officials met. On June 26 the directive was lifted.", False),
    ("政府は6月26日に規制を解除した。", False),
]


@pytest.mark.parametrize(("line", "opens"), LINES)
def test_only_a_line_a_date_opens_is_scanned_whole(line: str, opens: bool) -> None:
    mentions = find_mentions(line)
    assert (bool(mentions) and line[: mentions[0].start].strip() in ("", "-", "•")) == opens
    assert may_open_with_mention(line) == opens
