"""Populate a real SQLite store for bot tests: items through the store's write API, derived
rows (matches, stories, events, quotes) straight into the engine tables, so every test knows
exactly what the read API will find."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from digests.config import Entity, StorylineDefinition
from digests.models import ParsedEntry
from digests.store import ItemStore
from digests.store.timestamps import to_iso

FEED = "https://news.example.org/feed.xml"

STORYLINE = StorylineDefinition(
    id="harbour",
    name="Harbour Bridge Dispute",
    description="A city council and a shipping firm argue over a harbour bridge.",
    keywords=("harbour bridge", "council"),
    entities=(
        Entity(name="Mara Okafor", aliases=("Okafor",), kind="person", core=True),
        Entity(name="Tidewater Lines", kind="organization"),
    ),
)
OTHER = StorylineDefinition(
    id="orchard", name="Orchard Frost", description="Late frost and the apple harvest.",
    keywords=("frost",),
)


@dataclass(frozen=True)
class Coverage:
    """One article with what the engine would have derived from it."""

    title: str
    events: tuple[tuple[dt.date, str], ...] = ()
    quotes: tuple[tuple[str | None, str], ...] = ()
    url: str | None = None
    inferred: bool = False  # its events are dated by its publication day


def seed(db: Any, storyline_id: str, articles: list[Coverage], fetched: dt.datetime) -> None:
    for n, article in enumerate(articles):
        url = article.url or f"https://news.example.org/{storyline_id}/{n}"
        entry = ParsedEntry(guid=url, url=url, title=article.title,
                            text=f"{article.title}. Body text for {storyline_id} number {n}.",
                            published=fetched - dt.timedelta(hours=1))
        outcome = ItemStore(db).ingest(FEED, [entry], fetched)
        (item_id,) = outcome.new
        when = to_iso(fetched)
        db.execute("INSERT INTO matches VALUES (?, ?, 1, 0.9, '[]', ?)",
                   [item_id, storyline_id, when])
        db.execute("INSERT INTO stories VALUES (?, ?, ?, ?, ?)",
                   [f"s-{item_id}", item_id, article.title, when, when])
        db.execute("INSERT INTO story_members VALUES (?, ?, 1.0, ?)",
                   [item_id, f"s-{item_id}", when])
        for day, text in article.events:
            db.execute("INSERT INTO events (item_id, date, text, inferred) VALUES (?, ?, ?, ?)",
                       [item_id, day.isoformat(), text, int(article.inferred)])
        for speaker, quote in article.quotes:
            db.execute("INSERT INTO quotes (item_id, speaker, quote) VALUES (?, ?, ?)",
                       [item_id, speaker, quote])
