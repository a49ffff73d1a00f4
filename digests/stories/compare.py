"""Confirming a candidate pair: is it one article, or two articles on one storyline? (pure)

Two routes, measured on real coverage (see `/work/shared/dependency-notes.md`):

* **Containment** of shingles, |A∩B| / min(|A|, |B|): a syndicated copy scores ~0.98 whatever
  wrapper it carries (Jaccard only ~0.54), unrelated pairs < 0.03.
* **Names in order**, for synonym-spun copies whose shingles are destroyed: a spun copy keeps
  ~0.93 of its names (Jaccard) and ~0.92 of its name→next-name pairs. Two different articles on
  one storyline share the storyline's names — up to 0.56 of the smaller one's — but as Jaccard
  only 0.09–0.16, and their name *order* 0.03–0.06. Requiring both, plus a similar length and
  closeness in time, is what keeps same-topic articles apart — the main risk of this module.
"""

from __future__ import annotations

from typing import Protocol

from digests.stories.fingerprint import Fingerprint

CONTAINMENT = 0.6
# When one side is much smaller than the other it may be a passage the bigger one quotes (a
# statement quoted in full by a commentary) rather than a copy: demand near-total containment.
SMALL_SIDE = 0.35
SMALL_SIDE_CONTAINMENT = 0.85
MIN_SHARED = 8  # shingles; below this a "containment" is a shared phrase, not a shared article

NAMES_JACCARD = 0.6
ORDER_JACCARD = 0.45
MIN_NAMES = 5  # distinct names each side needs before names can speak for it
LENGTH_RATIO = 0.6  # spinners swap words one for one: a spun copy keeps its length
MAX_HOURS = 72.0


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    shared = len(a & b)  # the union's size follows without building it
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


class Comparable(Protocol):
    """What judging a pair needs of each side, besides the count of shared shingles: a
    `Fingerprint`, or a `StoredPrint` read back for comparison."""

    @property
    def size(self) -> int: ...
    @property
    def single_names(self) -> frozenset[str]: ...
    @property
    def name_pairs(self) -> frozenset[str]: ...
    @property
    def length(self) -> int: ...


def containment(a: Fingerprint, b: Fingerprint) -> tuple[float, int]:
    """Shingle containment of the smaller in the larger, and the number of shared shingles."""
    shared = len(a.shingles & b.shingles)
    smaller = min(len(a.shingles), len(b.shingles))
    return (shared / smaller if smaller else 0.0), shared


def _copied(a: Comparable, b: Comparable, shared: int) -> tuple[bool, float]:
    sizes = sorted((a.size, b.size))
    score = shared / sizes[0] if sizes[0] else 0.0
    needed = CONTAINMENT if sizes[0] >= SMALL_SIDE * sizes[1] else SMALL_SIDE_CONTAINMENT
    return score >= needed and shared >= min(MIN_SHARED, sizes[0]), score


def same_story(
    a: Fingerprint, b: Fingerprint, *, hours_apart: float | None = None
) -> tuple[bool, float, str]:
    """Whether two candidates are one article: (duplicate, similarity 0..1, short reason)."""
    return judge(a, b, len(a.shingles & b.shingles), hours_apart=hours_apart)


def judge(
    a: Comparable, b: Comparable, shared: int, *, hours_apart: float | None = None
) -> tuple[bool, float, str]:
    """`same_story` given the number of shingles the two share, so the engine can count them
    for all of an item's candidates at once (`stored.shared_counts`)."""
    copied, score = _copied(a, b, shared)
    if copied:
        return True, round(score, 3), f"containment {score:.2f}"
    names_a, order_a = a.single_names, a.name_pairs
    names_b, order_b = b.single_names, b.name_pairs
    names = _jaccard(names_a, names_b)
    order = _jaccard(order_a, order_b)
    spun = round((names + order) / 2, 3)
    if min(len(names_a), len(names_b)) < MIN_NAMES:
        return False, round(score, 3), f"containment {score:.2f}, too few names"
    if names < NAMES_JACCARD or order < ORDER_JACCARD:
        reason = f"containment {score:.2f}, names {names:.2f}, order {order:.2f}"
        return False, max(round(score, 3), spun), reason
    if min(a.length, b.length) < LENGTH_RATIO * max(a.length, b.length):
        return False, spun, f"names {names:.2f} but lengths {a.length} vs {b.length}"
    if hours_apart is not None and abs(hours_apart) > MAX_HOURS:
        return False, spun, f"names {names:.2f} but {abs(hours_apart):.0f} hours apart"
    return True, spun, f"spun copy: names {names:.2f}, order {order:.2f}"
