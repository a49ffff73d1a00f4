"""Large synthetic feeds for the reliability tests: many distinct items, some on the rail
storyline, written from a small vocabulary of our own so any number can be made offline."""

from __future__ import annotations

import random
from xml.sax.saxutils import escape

_PLACES = ["Harbourside", "Eastvale", "Northwind", "Corran Bay", "Millbrook", "Westmere"]
_SUBJECTS = ["council", "library", "ferry service", "water board", "school trust", "museum"]
_VERBS = ["announced", "delayed", "approved", "questioned", "reviewed", "postponed"]
_OBJECTS = ["a new budget", "the spring timetable", "repairs to the pier", "a pay offer",
            "plans for a cycle lane", "the annual report"]
_RAIL = ("Drivers at Northwind Rail said the rail strike would continue on {day} after "
         "talks in Halvik ended without a deal.")
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def crowd_entries(count: int, *, prefix: str, seed: int = 7) -> list[dict[str, str]]:
    """`count` entries with distinct guids, links and wording; every fifth is about the strike."""
    rng = random.Random(seed)
    entries = []
    for i in range(count):
        place, subject = rng.choice(_PLACES), rng.choice(_SUBJECTS)
        sentences = [
            f"The {place} {subject} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} on "
            f"{rng.choice(_DAYS)}, item {prefix}-{i}."
            for _ in range(4)
        ]
        if i % 5 == 0:
            sentences.insert(0, _RAIL.format(day=rng.choice(_DAYS)))
        entries.append({
            "guid": f"{prefix}-{i}",
            "link": f"https://news.example/{prefix}/{i}",
            "title": f"{place} {subject} update {prefix} {i}",
            "text": " ".join(sentences),
            "date": f"Mon, {1 + i % 28:02d} Jun 2026 {i % 24:02d}:{i % 60:02d}:00 +0000",
        })
    return entries


def rss(entries: list[dict[str, str]], title: str = "Crowd") -> bytes:
    items = "".join(
        f"<item><guid>{escape(e['guid'])}</guid><link>{escape(e['link'])}</link>"
        f"<title>{escape(e['title'])}</title><description>{escape(e['text'])}</description>"
        f"<pubDate>{e['date']}</pubDate></item>"
        for e in entries
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title>{items}</channel></rss>").encode()
