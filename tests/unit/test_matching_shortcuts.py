"""`TermSet.find` looks for each distinct anchor once and gives what a check per form gives
(issue 14), on our own English and Japanese sentences and the seeds in ../shared/seeds."""

from __future__ import annotations

from pathlib import Path

from digests.matching.terms import TermHits, TermSet, fold_apostrophes
from digests.text import normalize

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

FORMS = [(0, "Fable 5"), (0, "Fable"), (1, "the White House"), (1, "the administration"),
         (2, "US"), (2, "USG"), (3, "export controls"), (3, "export control directive"),
         (4, "輸出管理"), (5, "ミソス"), (6, "Murray"), (7, "the"), (-1, "Fable 5.5")]
TEXTS = [
    "The US government lifted export controls on Fable 5, the White House said.",
    "Fable 5.5 is not Fable 5; the administration and USG disagree. murray and Murray.",
    "米政府は輸出管理を緩和し、ミソスの提供を再開した。ミソスープではない。",
    "Nothing here names any of the terms at all.",
    "",
]


def _per_form(terms: TermSet, normalized: str, original: str) -> TermHits:
    """`find` with every form checked on its own (its anchor in its text), as it was."""
    plain = TermSet([])
    plain._forms = tuple(f for f in terms._forms
                         if f.anchor in (original if f.exact_case else normalized))
    plain._folded_anchors = tuple(f.anchor for f in plain._forms if not f.exact_case)
    plain._exact_anchors = tuple(f.anchor for f in plain._forms if f.exact_case)
    return plain.find(normalized, original)


def test_anchors_looked_for_once_find_what_each_form_finds() -> None:
    terms = TermSet(FORMS, exact=["Murray"])
    texts = list(TEXTS)
    if SEEDS.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    found = 0
    for text in texts:
        original = fold_apostrophes(text)
        normalized = normalize(original)
        hits = terms.find(normalized, original)
        assert hits == _per_form(terms, normalized, original)
        found += sum(hits.counts.values())
    assert found >= 10
