"""The same development told again in other words or another language (pure, no I/O).

Word overlap finds copies and close rewrites; it misses what a reader sees at once: two
outlets' own wordings of one development ("Rebels retake Brega after NATO strikes" /
"Opposition fighters seize Brega as NATO jets pound the port"), or a page that gives each
sentence in English and then in Japanese. On one day, within one storyline:

- two reports from different items that share names the storyline rarely mentions (a place,
  a person, a figure) tell the same development: common names ("Gaddafi", "NATO" in a Libya
  storyline) prove nothing, rare ones shared twice, or once with some shared wording, do;
- an item that gives one event in English and one in Japanese on the same day gives one
  event twice (a bilingual page), when it gives exactly one in each language that day.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from digests.text import normalize
from digests.timeline.vocabulary import MONTHS, WEEKDAYS

RARE_SHARE = 0.05  # a name in at most this share of a storyline's reports is distinctive…
RARE_MINIMUM = 3  # …or in at most this many
# Fewer reports than this cannot show which names are the storyline's own: in two reports
# "Fable 5" looks as rare as a town named once.
REPORTS_TO_JUDGE = 20
NAMES_ALONE = 2  # distinctive names two retellings must share when wording does not help
WORDING_WITH_ONE_NAME = 0.15  # the word similarity one shared name needs beside it (2+ words)

# A capitalised word after the first one ("… seize Brega …"), a figure ("6.8", "200"), a
# katakana name (ブレガ) or a Latin name inside Japanese text.
_CAPITALISED = re.compile(r"(?<=[\s(\"“‘'’-])([A-Z][A-Za-z’'-]+|[A-Z]{2,})")
_FIGURE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w])")
_KATAKANA = re.compile(r"[\u30a1-\u30faー]{3,}")
_LATIN_IN_JA = re.compile(r"[A-Za-z][A-Za-z0-9’'-]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_NOT_NAMES = frozenset(
    {"the", "a", "an", "and", "but", "in", "on", "at", "of", "for", "after", "before", "as",
     "it", "he", "she", "they", "we", "his", "her", "their", "its", "this", "that"}
    | set(MONTHS)
    | set(WEEKDAYS)
)


def names(text: str) -> frozenset[str]:
    """The names and figures a description carries, as comparable keys."""
    found: set[str] = set()
    if _CJK.search(text):
        found.update(_KATAKANA.findall(text))
        found.update(word.casefold() for word in _LATIN_IN_JA.findall(text))
    else:
        found.update(word.casefold().rstrip("’'") for word in _CAPITALISED.findall(f" {text}"[1:]))
    found.update(
        figure.replace(",", "") for figure in _FIGURE.findall(text) if len(figure) >= 2
    )
    return frozenset(normalize(name) for name in found if name.casefold() not in _NOT_NAMES)


def distinctive(all_names: Iterable[frozenset[str]]) -> frozenset[str]:
    """Names few of a storyline's reports carry: the ones that tell developments apart."""
    counts: Counter[str] = Counter()
    total = 0
    for found in all_names:
        counts.update(found)
        total += 1
    if total < REPORTS_TO_JUDGE:
        return frozenset()
    ceiling = max(RARE_MINIMUM, RARE_SHARE * total)
    return frozenset(name for name, count in counts.items() if count <= ceiling)


@dataclass
class DayRetellings:
    """One day's reports so far, to find the cluster a new report retells."""

    rare: frozenset[str]
    by_name: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    by_item: dict[str, dict[bool, list[int]]] = field(default_factory=dict)

    def add(self, position: int, item: str, japanese: bool, found: frozenset[str]) -> None:
        """Remember that cluster `position` holds a report from `item` carrying `found`."""
        for name in found & self.rare:
            self.by_name[name].append((position, item))
        self.by_item.setdefault(item, {}).setdefault(japanese, []).append(position)

    def retold(
        self, item: str, japanese: bool, found: frozenset[str], wording: Callable[[int], float]
    ) -> int | None:
        """The cluster this report retells, or None; `wording(position)` is the word
        similarity of the report to that cluster."""
        shared: Counter[int] = Counter()
        for name in found & self.rare:
            shared.update({position for position, other in self.by_name[name] if other != item})
        best: list[tuple[int, float, int]] = []
        for position, count in shared.items():
            similar = wording(position)
            if count >= NAMES_ALONE or similar >= WORDING_WITH_ONE_NAME:
                best.append((count, similar, -position))
        if best:
            return -max(best)[2]
        own = self.by_item.get(item, {})
        other_language = own.get(not japanese, [])
        if len(other_language) == 1 and not own.get(japanese):
            return other_language[0]
        return None
