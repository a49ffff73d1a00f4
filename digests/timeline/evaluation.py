"""Scoring event extraction against hand-labelled cases (pure: the caller reads the file).

A case is one text with its publication date and the events a careful reader would list,
each as a date plus a key word, and `inferred` when the text names no date for it and the
publication day stands in. An extracted event is right when its date equals an expected
date, its text contains that key word (case- and width-insensitively) and it is inferred
exactly when expected; each expected event can be matched once. Cases with no expected
events are distractors: anything found there is a false positive.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from digests.models import ExtractedEvent
from digests.text import normalize
from digests.timeline.extraction import extract_events


@dataclass(frozen=True)
class ExpectedEvent:
    """One event a reader would list: its date and a word its description must contain."""

    date: dt.date
    contains: str
    inferred: bool = False


@dataclass(frozen=True)
class EventCase:
    """One labelled text (a line of `tests/eval/events.jsonl`)."""

    text: str
    published: dt.datetime | None
    lang: str
    events: tuple[ExpectedEvent, ...]
    title: str = ""


@dataclass(frozen=True)
class EventScores:
    """Micro-averaged scores over all cases, and a readable line per miss or false find."""

    precision: float
    recall: float
    f1: float
    errors: tuple[str, ...]
    # The counts behind the ratios, so a report can show how much evidence a figure rests on.
    correct: int = 0
    found: int = 0
    expected: int = 0


def parse_case(record: Mapping[str, Any]) -> EventCase:
    """A case from one decoded JSON object (`published` as `YYYY-MM-DDTHH:MM:SSZ` or null)."""
    published = record.get("published")
    return EventCase(
        text=str(record["text"]),
        published=(
            dt.datetime.fromisoformat(str(published).replace("Z", "+00:00")) if published else None
        ),
        lang=str(record.get("lang", "en")),
        events=tuple(
            ExpectedEvent(
                dt.date.fromisoformat(str(event["date"])),
                str(event["contains"]),
                bool(event.get("inferred", False)),
            )
            for event in record.get("events", ())
        ),
        title=str(record.get("title", "")),
    )


def parse_cases(lines: Iterable[str]) -> list[EventCase]:
    """Cases from JSON Lines text; blank lines are skipped."""
    return [parse_case(json.loads(line)) for line in lines if line.strip()]


def evaluate(cases: Iterable[EventCase]) -> EventScores:
    """Precision, recall and F1 of `extract_events` on the cases."""
    found_total = expected_total = correct = 0
    errors: list[str] = []
    for number, case in enumerate(cases, start=1):
        found = extract_events(case.text, case.published, title=case.title)
        matched, case_errors = _match(found, case.events)
        found_total += len(found)
        expected_total += len(case.events)
        correct += matched
        errors.extend(f"case {number} ({case.lang}): {error}" for error in case_errors)
    precision = correct / found_total if found_total else 1.0
    recall = correct / expected_total if expected_total else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return EventScores(precision, recall, f1, tuple(errors), correct, found_total, expected_total)


def _match(
    found: list[ExtractedEvent], expected: tuple[ExpectedEvent, ...]
) -> tuple[int, list[str]]:
    remaining = list(expected)
    errors: list[str] = []
    matched = 0
    for event in found:
        text = normalize(event.text)
        hit = next(
            (
                wanted
                for wanted in remaining
                if wanted.date == event.date
                and wanted.inferred == event.inferred
                and normalize(wanted.contains) in text
            ),
            None,
        )
        if hit is None:
            errors.append(f"unexpected {event.date.isoformat()} {event.text!r}")
        else:
            remaining.remove(hit)
            matched += 1
    errors.extend(
        f"missed {wanted.date.isoformat()}{' (inferred)' if wanted.inferred else ''} "
        f"{wanted.contains!r}"
        for wanted in remaining
    )
    return matched, errors
