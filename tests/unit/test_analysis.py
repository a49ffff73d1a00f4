"""The pure per-item analysis: what it computes for matched and unmatched items."""

from __future__ import annotations

import datetime as dt
import pickle

from digests.analysis import Analyzer
from digests.config import parse_storyline
from digests.matching import Matcher
from digests.models import Item
from digests.stories import fingerprint
from tests.support.story_fixtures import load_fixture

RAIL = parse_storyline(
    {"id": "rail", "name": "Rail strike", "description": "The Northwind Rail drivers' strike.",
     "keywords": ["Northwind Rail", "rail strike", "Halvik", "drivers"],
     "entities": [{"name": "Mara Halvik", "aliases": ["Halvik"], "kind": "person"}]},
    "test",
)
FERRY = parse_storyline(
    {"id": "ferry", "name": "Ferry fares", "description": "Island ferry fare rises.",
     "keywords": ["ferry fares", "island ferry"],
     "entities": [{"name": "Oskar Lind", "aliases": ["Lind"], "kind": "person"}]},
    "test",
)


def item(name: str) -> Item:
    meta, body = load_fixture(name)
    return Item(
        id=name, feed_url="http://f", guid=name, url=None, title=meta["title"], text=body,
        language="en", published=dt.datetime.fromisoformat(meta["published"]),
        fetched=dt.datetime(2026, 3, 7, tzinfo=dt.UTC), content_hash=name,
    )


def analyzer() -> Analyzer:
    return Analyzer([Matcher.from_definition(RAIL), Matcher.from_definition(FERRY)])


def test_a_matched_item_gets_its_fingerprint_decisions_events_and_quotes() -> None:
    article = item("article")
    result = analyzer()(article)
    assert result.fingerprint == fingerprint(article.title, article.text)
    assert [d.storyline_id for d in result.decisions] == ["rail", "ferry"]
    assert [d.storyline_id for d in result.matched] == ["rail"]
    assert result.events, "the fixture article states dated events"
    assert result.quotes, "the fixture article quotes people"


def test_quotes_are_attributed_with_the_matched_storylines_names_only() -> None:
    # "Lind" is a person of the ferry storyline, which this item does not match: the quote
    # must not be pinned on Oskar Lind, who only the unmatched storyline knows.
    text = (
        "Drivers at Northwind Rail stayed out for a second day as the rail strike went on.\n"
        "“We cannot keep the night trains running without more drivers,” Lind said on Tuesday."
    )
    strike = Item(
        id="lind", feed_url="http://f", guid=None, url=None, title="Northwind Rail strike",
        text=text, language="en", published=None, fetched=dt.datetime(2026, 3, 7, tzinfo=dt.UTC),
        content_hash="lind",
    )
    result = analyzer()(strike)
    assert [d.storyline_id for d in result.matched] == ["rail"]
    # The text's own word stands (a surname right after the quotation), never the other
    # storyline's full name.
    assert [q.speaker for q in result.quotes] == ["Lind"]
    ferry_only = Analyzer([Matcher.from_definition(FERRY)])
    assert not ferry_only(strike).quotes, "unmatched: nothing is extracted at all"


def test_an_unmatched_item_is_fingerprinted_and_nothing_is_extracted() -> None:
    unrelated = item("unrelated")
    result = analyzer()(unrelated)
    assert not result.matched
    assert len(result.decisions) == 2
    assert result.events == () and result.quotes == ()
    assert result.fingerprint.band_keys


def test_an_analyzer_survives_pickling_for_worker_processes() -> None:
    original = analyzer()
    copy = pickle.loads(pickle.dumps(original))
    article = item("article")
    assert copy(article) == original(article)
