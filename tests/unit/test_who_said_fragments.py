"""who-said keeps only stored quotes that contain the fragment (a word or two may differ),
exact phrase first: never the nearest other quote."""

from __future__ import annotations

import pytest

from digests.quotes import best_containing, quote_similarity
from digests.quotes.fragments import Fragment, tokens

STORED = [
    "The harbour board’s plan now is that the ferries run through the winter",
    "We are complying with the council’s emergency order",
    "That is not a toll. It is the cheapest crossing a family can make",
    "港の安全対策は以前よりはるかに強化されている",
    "The ferries will run through the winter, whatever the board decides",
]


@pytest.mark.parametrize(
    ("fragment", "best"),
    [
        ('"the harbour board\'s plan now is that the ferries"', 0),  # straight quotes, case
        ("ＷＥ ＡＲＥ ＣＯＭＰＬＹＩＮＧ with the emergency order", 1),  # width, a word left out
        ("it's not a toll", 2),  # contraction spelled differently
        ("the cheapest crossing any family can make", 2),  # one word changed
        ("安全対策は強化されている", 3),  # Japanese, a phrase left out
        ("whatever the board decides", 4),
    ],
)
def test_the_quote_holding_the_fragment_is_found(fragment: str, best: int) -> None:
    found = best_containing(fragment, STORED, key=lambda q: q)
    assert [q for _, q in found][:1] == [STORED[best]]


def test_exact_phrase_ranks_before_a_close_wording() -> None:
    close = "the ferries will run all through the winter"
    exact = "the ferries will run through the winter"
    found = best_containing("ferries will run through the winter", [close, exact],
                            key=lambda q: q)
    assert [q for _, q in found] == [exact, close]
    assert found[0][0].edits == 0 and found[0][0].score == 1.0
    assert found[1][0].edits == 1 and found[1][0].score < 1.0


@pytest.mark.parametrize(
    "fragment",
    [
        "bananas ripen slowly in winter",  # nothing in common
        "the ferries run through the emergency order",  # two quotes spliced together
        "the board decides the cheapest crossing",  # shared words, never said in that order
        "港の安全対策は以前より弱くなった",  # Japanese: the second half differs
        "is a toll",  # three words must be exact
    ],
)
def test_a_fragment_no_quote_holds_finds_nothing(fragment: str) -> None:
    assert best_containing(fragment, STORED, key=lambda q: q) == []


def test_tolerance_grows_with_the_fragment_but_stays_small() -> None:
    assert Fragment("run through the").allowed == 0
    assert Fragment("run through the winter now").allowed == 1
    assert Fragment("the ferries will run through the winter whatever").allowed == 1
    assert Fragment("the ferries will run through the winter whatever the board").allowed == 2
    assert Fragment("港の安全対策").allowed == 1


def test_tokens_ignore_marks_case_width_and_contractions() -> None:
    assert tokens("“Can’t” STOP—won't!") == ["can", "not", "stop", "will", "not"]
    assert tokens("It's the board’s call") == ["it", "is", "the", "board", "call"]
    assert tokens("「安全、第一です」") == ["安", "全", "第", "一", "で", "す"]


def test_similarity_of_two_wordings_still_folds_copies() -> None:
    assert quote_similarity("“We are complying”", STORED[1]) == 1.0
    assert quote_similarity("bananas ripen slowly in winter", STORED[1]) < 0.3
    assert quote_similarity("", STORED[1]) == 0.0
