"""Scoring quote attribution against hand-written cases (pure: the caller reads the files).

A case is a text plus every quotation in it that matters, each with the expected canonical
speaker (or null when a careful reader could not say). Precision is measured over *all*
quotations we attribute in the case's text, listed or not, so an attribution the case did not
ask for counts against us: precision first, as in extraction.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from digests.models import Entity
from digests.quotes.extraction import extract_quotes


@dataclass(frozen=True)
class ExpectedQuote:
    """A quotation a case expects: a few of its words, and who said it (None: unattributable)."""

    contains: str
    speaker: str | None


@dataclass(frozen=True)
class QuoteCase:
    """One evaluation text and the quotations it holds."""

    text: str
    quotes: tuple[ExpectedQuote, ...]
    lang: str = "en"


@dataclass(frozen=True)
class QuoteScores:
    """Attribution precision and recall over a set of cases, with one line per mistake."""

    precision: float
    recall: float
    errors: tuple[str, ...] = field(default_factory=tuple)
    # The counts behind the ratios, so a report can show how much evidence a figure rests on.
    right: int = 0
    attributed: int = 0
    expected: int = 0


def parse_case(data: Mapping[str, Any]) -> QuoteCase:
    """A case from one decoded JSON line (`{"text", "lang", "quotes": [{speaker, contains}]}`)."""
    quotes = tuple(
        ExpectedQuote(str(q["contains"]), None if q.get("speaker") is None else str(q["speaker"]))
        for q in data.get("quotes", ())
    )
    return QuoteCase(str(data["text"]), quotes, str(data.get("lang", "en")))


def load_cases(lines: Iterable[str]) -> list[QuoteCase]:
    """Cases from the lines of a JSONL file; blank lines are skipped."""
    return [parse_case(json.loads(line)) for line in lines if line.strip()]


def entities_from_table(data: Mapping[str, Any]) -> tuple[Entity, ...]:
    """Entities from a decoded TOML document with `[[entities]]` tables."""
    return tuple(
        Entity(
            name=str(t["name"]),
            aliases=tuple(str(a) for a in t.get("aliases", ())),
            kind=str(t.get("kind", "topic")),
            role=None if t.get("role") is None else str(t["role"]),
        )
        for t in data.get("entities", ())
    )


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def evaluate(
    cases: Iterable[QuoteCase | Mapping[str, Any]], entities: Sequence[Entity]
) -> QuoteScores:
    """precision = right / attributed (non-null); recall = right / expected non-null speakers."""
    right = attributed = expected = 0
    errors: list[str] = []
    for raw in cases:
        case = raw if isinstance(raw, QuoteCase) else parse_case(raw)
        found = extract_quotes(case.text, entities)
        used: set[int] = set()
        label = case.text[:40].replace("\n", " ")
        for want in case.quotes:
            expected += want.speaker is not None
            index = next(
                (i for i, q in enumerate(found)
                 if i not in used and _norm(want.contains) in _norm(q.quote)),
                None,
            )
            if index is None:
                if want.speaker is not None:
                    errors.append(f"missed {want.contains!r} ({want.speaker}) in {label!r}")
                continue
            used.add(index)
            got = found[index]
            if got.speaker is None:
                if want.speaker is not None:
                    errors.append(f"no speaker for {want.contains!r}, expected {want.speaker}")
                continue
            attributed += 1
            if got.speaker == want.speaker:
                right += 1
            else:
                errors.append(
                    f"{want.contains!r}: got {got.speaker} [{got.style}], expected {want.speaker}"
                )
        for i, got in enumerate(found):
            if i not in used and got.speaker is not None:
                attributed += 1
                errors.append(f"unexpected {got.quote[:40]!r} → {got.speaker} [{got.style}]")
    precision = right / attributed if attributed else 1.0
    recall = right / expected if expected else 1.0
    return QuoteScores(
        round(precision, 4), round(recall, 4), tuple(errors), right, attributed, expected
    )
