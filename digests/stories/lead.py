"""Which copy of a story is shown as its source (pure).

Readers should land on the original: the earliest published copy, and among copies published
together (feeds stamp the same article minutes apart) the fullest text. An aggregator wrapper
only leads when nothing else is on offer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

# Copies stamped within this window of the earliest count as published together: feed clocks
# and polling intervals blur who was first by about that much.
SAME_TIME = dt.timedelta(hours=1)


@dataclass(frozen=True)
class LeadCandidate:
    """One copy of a story as the lead picker sees it."""

    item_id: str
    published: dt.datetime | None
    clean_length: int
    is_wrapper: bool = False


def pick_lead(candidates: Sequence[LeadCandidate]) -> str:
    """The item id of the copy that leads its story.

    Earliest published wins; copies within `SAME_TIME` of it tie, and the tie goes to the
    longest clean text, then to a non-wrapper, then to the smallest id (so the choice is stable).
    Copies without a date only lead when no copy has one.
    """
    if not candidates:
        raise ValueError("a story needs at least one item")
    dated = [c.published for c in candidates if c.published is not None]
    first = min(dated) if dated else None

    def early(candidate: LeadCandidate) -> bool:
        if first is None:
            return True
        return candidate.published is not None and candidate.published - first <= SAME_TIME

    pool = [c for c in candidates if early(c)]
    best = min(pool, key=lambda c: (-c.clean_length, c.is_wrapper, c.item_id))
    return best.item_id
