"""When a storyline's distinctive names change, and so which days must be clustered again.

`retelling.distinctive` counts, over the whole storyline, how many reports carry each name: a
name carried by few is distinctive. Adding or removing reports changes those counts and the
bar itself (a share of all reports), so a name's distinctiveness can flip without a report of
its own day changing; the days carrying a flipped name are then clustered again
(`incremental`). Pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from digests.timeline.retelling import RARE_MINIMUM, RARE_SHARE, REPORTS_TO_JUDGE


def ceiling(total: int) -> float | None:
    """The most reports a distinctive name may appear in, or None when there are too few
    reports to judge (`retelling.distinctive`)."""
    return None if total < REPORTS_TO_JUDGE else max(RARE_MINIMUM, RARE_SHARE * total)


def is_distinctive(count: int, bound: float | None) -> bool:
    return bound is not None and count <= bound


def flip_band(old_total: int, new_total: int) -> tuple[float, float] | None:
    """Counts (low, high] whose names change distinctiveness because the total changed,
    even when their own count did not; None when nothing flips that way."""
    old, new = ceiling(old_total), ceiling(new_total)
    if old is None or new is None:
        return None if old is None and new is None else (-1.0, float(max(old_total, new_total)))
    low, high = min(old, new), max(old, new)
    return (low, high) if int(low) != int(high) else None


def count_changes(
    before: Iterable[frozenset[str]], after: Iterable[frozenset[str]]
) -> dict[str, int]:
    """How many more (or fewer) reports carry each name, from the names of the reports
    leaving and arriving (`retelling.names`), as `distinctive` counts them."""
    delta: dict[str, int] = {}
    for sign, found_sets in ((-1, before), (1, after)):
        for found in found_sets:
            for name in found:
                delta[name] = delta.get(name, 0) + sign
    return {name: change for name, change in delta.items() if change}


def flipped(
    delta: Mapping[str, int], old_counts: Mapping[str, int], old_total: int, new_total: int
) -> set[str]:
    """Names whose own count changed and whose distinctiveness changed with it."""
    old, new = ceiling(old_total), ceiling(new_total)
    return {
        name
        for name, change in delta.items()
        if is_distinctive(old_counts.get(name, 0), old)
        != is_distinctive(old_counts.get(name, 0) + change, new)
    }
