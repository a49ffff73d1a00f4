"""The engine's second look at each item, with what the storylines matched lately.

Wiring between `matching.memory` (pure) and the store. The analysis of an item (in a worker
process) sees only the item and the definitions; coverage that names no keyword is found here,
in the process that stores items one by one in publication order, so every item can learn from
the ones before it, in one backfill as in a stream of small polls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import sqlite_utils

from digests.analysis import Analyzer, ItemAnalysis
from digests.matching.memory import (
    BACKGROUND,
    LEAD_CHARS,
    NEEDED,
    WITH_KEYWORD,
    FeedMemory,
    lead_terms,
)
from digests.models import MatchDecision
from digests.store.derived import DerivedStore

TEACHES = 3.0  # learned evidence with which an item let in by it teaches in turn (2.5x NEEDED)
PRIME_LIMIT = 3000  # recent items read to prime the memory before a batch


class MemoryStep:
    """Holds the feed memory for one engine run and reviews each analysed item with it."""

    def __init__(self, analyzer: Analyzer, memory: FeedMemory) -> None:
        self._analyzer = analyzer
        self._memory = memory
        self._thresholds = {m.definition.id: m.threshold for m in analyzer.matchers}

    @classmethod
    def primed(
        cls, db: sqlite_utils.Database, analyzer: Analyzer, start: dt.datetime,
        batch_ids: Sequence[str],
    ) -> MemoryStep:
        """A step whose memory holds the stored items of the window before `start`."""
        memory = FeedMemory(m.definition.id for m in analyzer.matchers)
        for at, title, lead, matched in DerivedStore(db).recent_leads(
            start - BACKGROUND, start, batch_ids, lead_chars=LEAD_CHARS, limit=PRIME_LIMIT
        ):
            memory.observe(at, lead_terms(title, lead), matched)
        return cls(analyzer, memory)

    def review(self, analysis: ItemAnalysis, now: dt.datetime) -> ItemAnalysis:
        """The analysis with storylines the item joins through learned terms; remembered."""
        item = analysis.item
        at = item.published or now
        terms = lead_terms(item.title, item.text)
        decisions = list(analysis.decisions)
        joined: set[str] = set()
        teaching: set[str] = set()
        for index, decision in enumerate(decisions):
            if decision.match:
                continue
            threshold = self._thresholds.get(decision.storyline_id)
            if threshold is None or any(r.startswith("negative term") for r in decision.reasons):
                continue
            recall = self._memory.recall(decision.storyline_id, at, terms)
            named = decision.score >= threshold / 2  # a keyword or two already present
            if recall.evidence >= NEEDED or (named and recall.evidence >= WITH_KEYWORD):
                decisions[index] = MatchDecision(
                    storyline_id=decision.storyline_id, match=True,
                    score=round(max(decision.score, threshold), 4),
                    reasons=(*decision.reasons, recall.reason()),
                )
                joined.add(decision.storyline_id)
                if recall.evidence >= TEACHES:
                    teaching.add(decision.storyline_id)
            elif recall.evidence > 0:
                # Say how close it came, so `explain` shows what more would have counted.
                needed = WITH_KEYWORD if named else NEEDED
                decisions[index] = dataclasses.replace(decision, reasons=(
                    *decision.reasons, f"{recall.reason()[:-1]}, {needed:.1f} needed)"))
        matched = {d.storyline_id for d in decisions if d.match}
        # Items the definition itself matched teach; an item let in by learned names teaches
        # only when it names many of them: otherwise it would teach its own names, and the
        # storyline would drift with it into the next story that shares one or two. (Letting
        # such items teach at half weight gained 0.008 F1 on the dev storylines and cost 0.07
        # precision once unrelated news shared the feed: benchmarks/README.md.)
        self._memory.observe(at, terms, (matched - joined) | teaching)
        events, quotes = analysis.events, analysis.quotes
        if joined and not events and not quotes:
            events, quotes = self._analyzer.extracts(item, matched)
        return dataclasses.replace(analysis, decisions=tuple(decisions), events=events,
                                   quotes=quotes)
