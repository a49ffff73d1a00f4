"""What the engine learns from one item's own text, before it looks at the store (pure).

An item's fingerprint, its match decision for every storyline and, when it matched, its events
and quotes depend on nothing but the item and the storylines' matchers. That is most of the
engine's CPU time, and it is what `analysis_pool` hands to worker processes so a second core
helps; clustering, which needs the store, stays with the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digests.matching import Matcher
from digests.models import ExtractedEvent, ExtractedQuote, Item, MatchDecision
from digests.quotes import extract_quotes
from digests.stories import Fingerprint, fingerprint
from digests.timeline import extract_events


@dataclass(frozen=True)
class ItemAnalysis:
    """One item, analysed: events and quotes are empty unless some storyline matched."""

    item: Item
    fingerprint: Fingerprint
    decisions: tuple[MatchDecision, ...]
    events: tuple[ExtractedEvent, ...] = ()
    quotes: tuple[ExtractedQuote, ...] = ()

    @property
    def matched(self) -> tuple[MatchDecision, ...]:
        return tuple(d for d in self.decisions if d.match)


class Analyzer:
    """Analyses items against a fixed set of matchers (picklable, so workers can hold one)."""

    def __init__(self, matchers: Sequence[Matcher]) -> None:
        self.matchers = tuple(matchers)

    def __call__(self, item: Item) -> ItemAnalysis:
        decisions = tuple(m.decide(item.title, item.body) for m in self.matchers)
        print_ = fingerprint(item.title, item.body)
        matched_ids = {d.storyline_id for d in decisions if d.match}
        if not matched_ids:
            return ItemAnalysis(item=item, fingerprint=print_, decisions=decisions)
        events, quotes = self.extracts(item, matched_ids)
        return ItemAnalysis(item=item, fingerprint=print_, decisions=decisions,
                            events=events, quotes=quotes)

    def extracts(
        self, item: Item, matched_ids: set[str]
    ) -> tuple[tuple[ExtractedEvent, ...], tuple[ExtractedQuote, ...]]:
        """Events and quotes of an item that joined the given storylines."""
        # Entities of every matched storyline name the speakers; unmatched ones stay out so a
        # storyline's names never attribute quotes in coverage that is not about it.
        entities = [
            entity
            for m in self.matchers
            if m.definition.id in matched_ids
            for entity in m.definition.entities
        ]
        return (
            tuple(extract_events(item.body, item.published, title=item.title)),
            tuple(extract_quotes(item.body, entities)),
        )
