"""Finding a storyline's terms in text: word boundaries for English, substrings for Japanese.

Pure, no I/O. Every surface form is compiled once into a regular expression over
`digests.text.normalize`d text, so width and case never decide a match:

- Latin-script terms need an ASCII letter/digit boundary on both sides, so "Fable" does not
  hit "fabled" or "affable", and "Fable 5" does not hit "Fable 50" or "Fable 5.5". The boundary
  is ASCII-only on purpose: in Japanese running text "Fable 5の" must still match.
- Lower-case common nouns ("export control") also accept plural and -ing/-ed endings; names
  written with capitals ("Fable") do not, so "Fables" (a children's anthology) stays out.
- Japanese terms match as substrings (the language has no spaces), except that a katakana
  term may not sit inside a longer katakana word: ミソス is not ミソスープ.
- Short acronyms written in capitals ("US", "USG", "DoW") match case-sensitively, because
  case-folded they are ordinary words ("us", "dow").
- Spaces, hyphens and ・ inside a term are optional in the text: "Fable5", "export-control",
  "ハワード ルットニック".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from digests.text import holds_japanese_script, normalize

_LATIN_EDGE = "0-9a-z\u00c0-\u024f"
_KATAKANA = "\u30a1-\u30fa\u30fc"
_SEPARATOR_RE = re.compile(r"[\s\-‐・]+")
_INFLECTION = "(?:s|es|ing|ed|d)?"
_ACRONYM_RE = re.compile(r"^[A-Za-z]{2,4}$")
# An apostrophe inside a word, not a possessive: "Sana'a", "al-Qa'ida", "O'Brien".
# The apostrophe comes first and the letter before it is checked behind it: a pattern that
# starts with a character set lets the regex engine skip to the next apostrophe, where a
# look-behind first made it try every position (a tenth of matching's time).
_INNER_APOSTROPHE_RE = re.compile(r"['’ʼ‘`](?<=[^\W\d_]['’ʼ‘`])(?=[^\W\d_s]|[^\W\d_]{2})")


def fold_apostrophes(text: str) -> str:
    """Drop apostrophes inside words, so transliterations match with or without them:
    "Sana'a" is "Sanaa", "Ba'ath" is "Baath". A possessive "'s" stays ("Saleh's")."""
    return _INNER_APOSTROPHE_RE.sub("", text)


def is_japanese_term(term: str) -> bool:
    """Terms holding kana or kanji are matched as substrings; everything else by word."""
    return holds_japanese_script(term)


def is_acronym(term: str) -> bool:
    """A 2–4 letter term with two capitals ("US", "DoW"): case decides what it means."""
    return bool(_ACRONYM_RE.match(term)) and sum(c.isupper() for c in term) >= 2


@functools.lru_cache(maxsize=4096)
def canonical(term: str) -> str:
    """The form two spellings of a term are compared in: normalised, separators removed."""
    return _SEPARATOR_RE.sub("", fold_apostrophes(normalize(term)))


def merge_key(term: str) -> str:
    """`canonical`, with an English plural folded: "export controls" is "export control"."""
    key = canonical(term)
    if term == term.lower() and not is_japanese_term(term) and len(key) > 5:
        return key.removesuffix("s")
    return key


def term_pattern(term: str, *, exact_case: bool = False) -> tuple[str, str]:
    """A regex for one surface form, and the literal every match starts with.

    The boundary look-behind sits *after* the first literal part, so the pattern starts with
    a literal and the regex engine can jump between occurrences of it instead of trying
    every position; the caller also skips the regex when the literal is absent.
    """
    acronym = is_acronym(term) or exact_case
    text = unicodedata.normalize("NFKC", term).strip() if acronym else normalize(term)
    text = fold_apostrophes(text)
    parts = [p for p in _SEPARATOR_RE.split(text) if p]
    if not parts:
        return "", ""
    japanese = is_japanese_term(text)
    common_noun = term == term.lower() and text[-1].isalpha() and not japanese
    if common_noun and len(parts[-1]) > 4:
        parts[-1] = parts[-1].removesuffix("s")  # "export controls" also finds the singular
    first = re.escape(parts[0])
    rest = "".join(r"[\s\-‐・]*" + re.escape(p) for p in parts[1:])
    if japanese:
        before = f"(?<![{_KATAKANA}]{first})" if re.match(f"[{_KATAKANA}]", text) else ""
        after = f"(?![{_KATAKANA}])" if re.search(f"[{_KATAKANA}]$", text) else ""
        return first + before + rest + after, parts[0]
    suffix = _INFLECTION if common_noun and not acronym else ""
    before = f"(?<![{_LATIN_EDGE}]{first})"
    after = f"(?![{_LATIN_EDGE}]|[.,][0-9])"
    return first + before + rest + suffix + after, parts[0]


@dataclass(frozen=True)
class TermHits:
    """How often each term id was found, and which surface forms were seen for it."""

    counts: Counter[int]
    forms: dict[int, set[str]]
    spans: tuple[tuple[int, int], ...] = ()  # where the counted hits are, for `blocked`
    positions: dict[int, list[int]] = field(default_factory=dict)  # where each term is seen

    def first(self, term_id: int, default: int) -> int:
        found = self.positions.get(term_id)
        return found[0] if found else default

    def before(self, term_id: int, end: int) -> int:
        """How many times the term is seen before offset `end` (in the lead, say)."""
        return sum(1 for p in self.positions.get(term_id, ()) if p < end)


@dataclass(frozen=True)
class _Form:
    term_id: int
    form: str
    anchor: str
    regex: re.Pattern[str]
    exact_case: bool


class TermSet:
    """Many surface forms, each tied to a term id, compiled once.

    Where two forms overlap in the text the longer one wins, so "Claude Fable 5" is counted
    once, not also as "Fable 5".
    """

    def __init__(self, forms: Iterable[tuple[int, str]], exact: Iterable[str] = ()) -> None:
        """`exact` lists forms that only count written as given ("Murray", not "murray")."""
        exact_forms = frozenset(exact)
        compiled: dict[tuple[int, str], _Form] = {}
        for term_id, form in forms:
            exact_case = is_acronym(form) or form in exact_forms
            pattern, anchor = term_pattern(form, exact_case=exact_case)
            if pattern and (term_id, pattern) not in compiled:
                compiled[(term_id, pattern)] = _Form(
                    term_id, form, anchor, re.compile(pattern), exact_case
                )
        self._forms = tuple(compiled.values())
        # Forms share their first words ("the", "claude", "mythos"): each is looked for once.
        self._folded_anchors = tuple(dict.fromkeys(f.anchor for f in self._forms
                                                   if not f.exact_case))
        self._exact_anchors = tuple(dict.fromkeys(f.anchor for f in self._forms if f.exact_case))

    def find(
        self, normalized: str, original: str, blocked: Iterable[tuple[int, int]] = ()
    ) -> TermHits:
        """Hits in `normalized` (from `normalize`) and, for acronyms, in the NFKC `original`.

        Hits inside a `blocked` span (the `spans` of another set's hits on the same text) are
        not counted: "Kestrel" inside a look-alike "Kestrel 4" is not evidence for "Kestrel 3".
        """
        blocked_spans = tuple(blocked)
        spans: list[tuple[int, int, int, _Form]] = []
        folded_present = set(filter(normalized.__contains__, self._folded_anchors))
        exact_present = set(filter(original.__contains__, self._exact_anchors))
        for form in self._forms:
            if form.anchor not in (exact_present if form.exact_case else folded_present):
                continue
            text = original if form.exact_case else normalized
            # Acronym spans index `original`; offset them so they never overlap folded ones.
            shift = len(normalized) + 1 if form.exact_case else 0
            for match in form.regex.finditer(text):
                start, end = match.span()
                spans.append((start + shift, -(end - start), end + shift, form))
        spans.sort(key=lambda span: (span[0], span[1]))
        counts: Counter[int] = Counter()
        forms: dict[int, set[str]] = {}
        positions: dict[int, list[int]] = {}
        kept: list[tuple[int, int]] = []
        covered_until = -1
        for start, _, end, form in spans:
            if start < covered_until:
                continue
            if any(b_start <= start and end <= b_end for b_start, b_end in blocked_spans):
                continue
            covered_until = end
            kept.append((start, end))
            counts[form.term_id] += 1
            forms.setdefault(form.term_id, set()).add(form.form)
            positions.setdefault(form.term_id, []).append(
                start % (len(normalized) + 1) if form.exact_case else start)
        for found in positions.values():
            found.sort()
        return TermHits(counts, forms, tuple(kept), positions)
