"""Finding similar descriptions among those dated a few days away, not across a whole storyline.

Clusters of a timeline join only when they are one to `CONFLICT_WINDOW` days apart
(`merging.join_conflicting`), so a cluster's partners lie in the eleven days around it. One
`ContainmentIndex` over a whole storyline offers every cluster that shares its rarer words
with it, whatever its date, and at eight months of coverage most of what it offers is too far
away to join: the merge grew with the square of the storyline. One index per day, probed only
on the days asked for, offers the same pairs within those days and nothing beyond them, so at
a steady number of reports a day a merge costs what its reports cost. The candidate guarantee
holds index by index (every pair that can reach the bar shares a token of its prefix under
any one token order), so it holds for the days probed together (pure, no I/O).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from digests.timeline.candidates import ContainmentIndex


class NearbyIndex:
    """Sets dated by day, each with an integer label, found again by the sets that could
    overlap them enough among those of the days a probe names."""

    def __init__(self, order: dict[str, int], bar: float, minimum: int) -> None:
        self._order = order
        self._bar = bar
        self._minimum = minimum
        self._days: dict[dt.date, ContainmentIndex] = {}

    def add(self, day: dt.date, tokens: frozenset[str], label: int) -> None:
        index = self._days.get(day)
        if index is None:
            index = self._days[day] = ContainmentIndex(self._order, self._bar, self._minimum)
        index.add(tokens, label)

    def candidates(self, tokens: frozenset[str], days: Iterable[dt.date]) -> set[int]:
        """Labels of every set dated on one of `days` that could meet the bar with `tokens`
        (and some that cannot: the caller scores each)."""
        found: set[int] = set()
        for day in days:
            index = self._days.get(day)
            if index is not None:
                found |= index.candidates(tokens)
        return found


def around(day: dt.date, window: int, *, later: bool = True) -> list[dt.date]:
    """The days one to `window` days before `day`, and after it when `later`."""
    return [
        day + dt.timedelta(days=offset)
        for offset in range(-window, window + 1)
        if offset < 0 or (later and offset > 0)
    ]
