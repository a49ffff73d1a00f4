"""Which entries get their article page fetched: short or teaser-like, and only when a
storyline could match them (issue 11)."""

from __future__ import annotations

import pytest

from digests.fulltext.need import SHORT_WORDS, looks_like_teaser, page_need, word_count

LONG = " ".join(["The council published its budget for the coming year in detail."] * 20)
URL = "https://news.example/story"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Drivers walked out on Monday.", 5),
        ("", 0),
        ("運転士らは月曜日にストに入った", 7),  # 15 characters, about two per word
    ],
)
def test_word_count_counts_latin_words_and_cjk_characters(text: str, words: int) -> None:
    assert word_count(text) == words


@pytest.mark.parametrize(
    ("text", "teaser"),
    [
        ("Talks collapsed late on Sunday and drivers…", True),
        ("Talks collapsed late on Sunday and drivers [...]", True),
        ("Talks collapsed late on Sunday. Read more", True),
        ("交渉は日曜日の夜に決裂した。続きを読む", True),
        ("Talks collapsed late on Sunday.", False),
        ("He said: wait... and then left.", False),
    ],
)
def test_teasers_are_recognised_by_how_feeds_cut_them(text: str, teaser: bool) -> None:
    assert looks_like_teaser(text) is teaser


@pytest.mark.parametrize(
    ("mode", "url", "text", "can_matter", "fetch", "reason"),
    [
        ("auto", URL, "Drivers walked out on Monday.", True, True, "short (5 words)"),
        ("auto", URL, "Drivers walked out on Monday and…", True, True, "a teaser"),
        ("auto", URL, "Drivers walked out on Monday.", False, False, "no storyline term"),
        ("auto", URL, LONG, True, False, "words already"),
        ("auto", URL, LONG + " Read more", True, True, "a teaser"),
        ("always", URL, LONG, False, True, "always"),
        ("never", URL, "Short.", True, False, "never"),
        ("auto", None, "Short.", True, False, "no web link"),
        ("always", "ftp://files.example/a", "Short.", True, False, "no web link"),
    ],
)
def test_page_need_follows_the_mode_length_and_relevance(
    mode: str, url: str | None, text: str, can_matter: bool, fetch: bool, reason: str
) -> None:
    need = page_need(mode, url, text, can_matter=can_matter)
    assert need.fetch is fetch
    assert reason in need.reason


def test_the_long_fixture_is_over_the_threshold() -> None:
    assert word_count(LONG) >= SHORT_WORDS
