"""Storylines the store tests share, written for the fixtures under `tests/fixtures/stories/`."""

from __future__ import annotations

from digests.config import parse_storyline

# The rail strike with its union secretary as a named person, so quotes get a speaker.
RAIL_WITH_OKAFOR = parse_storyline(
    {"id": "rail", "name": "Rail strike", "description": "The Northwind Rail drivers' strike.",
     "keywords": ["Northwind Rail", "rail strike", "Halvik", "drivers"],
     "entities": [{"name": "Maren Okafor", "aliases": ["Okafor"], "kind": "person"}]},
    "test",
)
