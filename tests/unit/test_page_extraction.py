"""Main-text extraction: the article without the site around it, compared with the project's
own `html_to_text`, which keeps navigation, banners and readers' comments."""

from __future__ import annotations

import datetime as dt

from digests.fulltext.extraction import extract_page
from digests.text import html_to_text
from tests.support.article_pages import (
    JAPANESE_PARAGRAPHS,
    PAYWALL_STUB,
    STRIKE_PARAGRAPHS,
    article_page,
)

PAGE = article_page("Rail drivers strike after talks collapse", STRIKE_PARAGRAPHS)
CHROME = ("Subscribe today", "cookies", "Related stories", "Ferry operators", "reader42",
          "gates were locked", "All rights reserved")


def test_the_article_body_is_kept_and_the_site_around_it_dropped() -> None:
    page = extract_page(PAGE, "https://gazette.example/rail")
    assert page.problem is None
    for paragraph in STRIKE_PARAGRAPHS:
        assert paragraph in page.text
    for chrome in CHROME:
        assert chrome not in page.text, chrome


def test_html_to_text_keeps_the_chrome_that_extraction_drops() -> None:
    """Why the library: the project's own converter hands the engine the comments too."""
    plain = html_to_text(PAGE)
    assert all(p in plain for p in STRIKE_PARAGRAPHS)
    assert sum(chrome in plain for chrome in CHROME) == len(CHROME)


def test_metadata_date_author_and_language_are_read_from_the_page() -> None:
    page = extract_page(PAGE)
    assert page.published == dt.datetime(2026, 3, 4, tzinfo=dt.UTC)
    assert page.author == "Dana Whitfield"
    assert page.language == "en"
    assert not page.text.startswith("Rail drivers strike")  # the headline is the item's title


def test_a_japanese_page_keeps_its_text_and_is_marked_japanese() -> None:
    page = extract_page(article_page("北風鉄道でスト", JAPANESE_PARAGRAPHS, lang="ja"))
    assert page.problem is None and page.language == "ja"
    assert "「会社側が歩み寄らない限り、私たちは職場に戻らない」" in page.text
    assert "cookies" not in page.text


def test_a_paywall_stub_is_no_article() -> None:
    page = extract_page(PAYWALL_STUB)
    assert page.text == "" and page.problem is not None and "paywall" in page.problem


def test_markup_that_is_not_a_page_gives_a_problem_not_an_exception() -> None:
    assert extract_page(b"\x00\xff not html at all").problem is not None
    assert extract_page("").problem is not None
