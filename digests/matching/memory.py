"""What a storyline has matched lately: finding coverage that names none of its keywords.

Pure, no I/O: the pipeline feeds it items in publication order and asks it about each.

A storyline's later coverage often names none of the words its user wrote down ("rebels
retake Port Brega and Ras Lanuf"), but it names the people, places and organisations of the
items the storyline matched in the days before. So the memory keeps, for a window of time,
the lead terms of every item seen and of the items each storyline matched. A term is *learned*
by a storyline when it recurs in its recent items (`MIN_ITEMS`) and most recent items naming it
belong to the storyline (`MIN_SHARE`): "Misrata" in a week of Libya coverage, not "protesters",
which every uprising of that week shares. An item that names enough learned terms, published
within the window of the items that taught them, joins the storyline, with the terms as its
reasons.

Three guards keep a storyline from drifting: a term it shares with the rest of the feed never
counts (the share); the items it teaches from are those its definition matched, or that named
many learned names (`memory_step`), so one borderline item cannot teach its own names; and
the evidence ages out, so a storyline that went quiet does not collect unrelated coverage
years later.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass

from digests.matching.similarity import STOPWORDS, stem

# Katakana runs, kanji runs, and Latin words with a capital (Misrata, NATO, al-Assad's).
_NAME_RE = re.compile(
    r"[\u30a1-\u30fa\u30fc]{2,}|[\u3400-\u9fff]{2,}|\b[A-Z][A-Za-z\u00c0-\u024f\-]*[A-Za-z]"
)
# What a sentence opening follows: its end, a quotation mark, a colon, a line break.
_OPENING = frozenset(".!?\"“”:;—-–\n")
# "Dr. Murray", "U.S. troops", "Gen. Vask": a period that does not end a sentence.
_ABBREVIATION_RE = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z](?:\.[A-Z])*)\.$")
# Words that open sentences of news with a capital without being names.
_COMMON_OPENERS = frozenset((
    "police", "protesters", "demonstrators", "rebels", "troops", "forces", "officials",
    "hundreds", "thousands", "dozens", "scores", "several", "many", "government", "opposition",
    "security", "state", "military", "authorities", "lawmakers", "prosecutors", "investigators",
    "witnesses", "residents", "reports", "report", "fighting", "clashes", "talks", "president",
    "minister", "leaders", "leader", "meanwhile", "later", "earlier", "despite", "following",
    "amid", "after", "before", "during", "since", "while", "although", "however", "also", "both",
    "some", "most", "more", "less", "nearly", "about", "around", "over", "under", "at", "least",
    "its", "his", "her", "their", "our", "this", "that", "these", "those", "there", "here",
))

WINDOW = dt.timedelta(days=30)  # how close to a storyline's latest items learned names reach
BACKGROUND = dt.timedelta(days=365)  # how long the feed's own items are counted
KEEP = 60  # a storyline's last matched items that teach it
MIN_ITEMS = 2  # recent matched items that name a term before it is learned
MIN_SHARE = 0.6  # of the recent items naming it, the share the storyline matched
FULL_ITEMS = 3  # a term named by this many recent matched items counts fully
NEEDED = 1.2  # evidence (sum of learned names' weights) that matches an item alone
WITH_KEYWORD = 0.5  # evidence enough when the item already names a keyword
LEAD_CHARS = 600


def lead_terms(title: str, text: str) -> frozenset[str]:
    """The names in an item's title and lead: people, places, organisations, in any case.

    Only names are learned. Common words that a storyline's items share ("security forces",
    "killed") are shared by every storyline of the same kind, while the names of a
    storyline's places and people are its own. A capitalised word opening a sentence is a
    name unless it is one of the words news sentences open with ("Police", "Hundreds"), and
    the first word of a title only when the lead also capitalises it: titles open with
    labels ("Daily update", "Live", "Analysis").
    """
    names: set[str] = set()
    for line in (title, text[:LEAD_CHARS]):
        for match in _NAME_RE.finditer(line):
            word = match.group()
            lowered = word.lower()
            if lowered in STOPWORDS or len(word) < 3:
                continue
            key = stem(lowered) if word.isascii() else word
            before = line[: match.start()].rstrip()
            opening = word.isascii() and not word.isupper() and (
                not before or (before[-1] in _OPENING and not _ABBREVIATION_RE.search(before)))
            if line is title and not before and opening:
                continue  # a title's label, unless the lead capitalises it too
            if not opening or lowered not in _COMMON_OPENERS:
                names.add(key)
    return frozenset(names)


@dataclass(frozen=True)
class Recall:
    """The memory's view of one item: how much learned evidence it carries, and which terms."""

    evidence: float
    terms: tuple[str, ...]

    def reason(self) -> str:
        shown = ", ".join(self.terms[:6]) + (", …" if len(self.terms) > 6 else "")
        return (f"names what this storyline's recent items name: {shown} "
                f"(learned evidence {self.evidence:.1f})")


class FeedMemory:
    """Recent items of the whole feed and, per storyline, the last items it matched.

    The feed's items are counted for `BACKGROUND`; a storyline's last `KEEP` matched items are kept
    however old, because some storylines move slowly (a trial with a hearing a month) and
    their names stay theirs. An item may use a storyline's learned names only when it is
    published close to that storyline's latest items: within `window`, or within three of
    the storyline's usual gaps between items when it moves more slowly.
    """

    def __init__(self, storyline_ids: Iterable[str], window: dt.timedelta = WINDOW) -> None:
        self.window = window
        self._seen: deque[tuple[dt.datetime, frozenset[str]]] = deque()
        self._seen_counts: Counter[str] = Counter()
        self._matched: dict[str, deque[tuple[dt.datetime, frozenset[str]]]] = {
            sid: deque() for sid in storyline_ids
        }
        self._matched_counts: dict[str, Counter[str]] = {sid: Counter() for sid in self._matched}
        self._newest: dt.datetime | None = None

    def observe(self, published: dt.datetime, terms: frozenset[str],
                matched: Iterable[str]) -> None:
        """Remember an item and the storylines it joined; forget what is too old."""
        self._seen.append((published, terms))
        self._seen_counts.update(terms)
        for sid in matched:
            recent = self._matched.get(sid)
            if recent is None:
                continue
            recent.append((published, terms))
            self._matched_counts[sid].update(terms)
            if len(recent) > KEEP:
                self._matched_counts[sid].subtract(recent.popleft()[1])
        if self._newest is None or published > self._newest:
            self._newest = published
        # Items arrive roughly in publication order; an old straggler leaves with its peers.
        cutoff = self._newest - BACKGROUND
        while self._seen and self._seen[0][0] < cutoff:
            self._seen_counts.subtract(self._seen.popleft()[1])

    def _reach(self, recent: deque[tuple[dt.datetime, frozenset[str]]]) -> dt.timedelta:
        times = sorted(t for t, _ in recent)
        gaps = sorted(b - a for a, b in itertools.pairwise(times))
        usual = gaps[len(gaps) // 2] if gaps else dt.timedelta(0)
        return max(self.window, 3 * usual)

    def recall(self, storyline_id: str, published: dt.datetime | None,
               terms: frozenset[str]) -> Recall:
        """The learned evidence an item carries for a storyline (none when out of reach)."""
        recent = self._matched.get(storyline_id)
        if not recent or published is None:
            return Recall(0.0, ())
        latest = max(t for t, _ in recent)
        if abs(published - latest) > self._reach(recent):
            return Recall(0.0, ())
        counts = self._matched_counts[storyline_id]
        found: list[tuple[float, str]] = []
        for term in terms:
            mine = counts.get(term, 0)
            if mine < MIN_ITEMS:
                continue
            share = mine / max(mine, self._seen_counts.get(term, 0))
            if share >= MIN_SHARE:
                found.append((share * min(1.0, mine / FULL_ITEMS), term))
        found.sort(reverse=True)
        return Recall(round(sum(w for w, _ in found), 2), tuple(t for _, t in found))
