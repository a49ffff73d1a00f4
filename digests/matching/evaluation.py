"""Scoring a matcher against labelled items: precision, recall, F1 and every mistake.

Pure, no I/O: the caller reads `tests/eval/matching.jsonl` (or any file of the same shape)
and hands its lines to `parse_cases`. Mistakes come back with the matcher's reasons, so a
regression can be read, not just counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from digests.models import MatchDecision, StorylineDefinition

# The matching target (F1) of the evaluation issue; the richest definition of a set carries it,
# and no other definition of the set may beat that one (`storyline eval`).
MATCHING_F1 = 0.95


class _Decides(Protocol):
    def decide(self, title: str, text: str) -> MatchDecision: ...


@dataclass(frozen=True)
class EvalCase:
    """One labelled item: `summary` is the item text, `note` says what the case tests."""

    title: str
    summary: str
    match: bool
    lang: str = "en"
    note: str = ""


@dataclass(frozen=True)
class EvalError:
    """A case the matcher got wrong, with what it decided and why."""

    case: EvalCase
    decision: MatchDecision

    @property
    def kind(self) -> str:
        return "missed" if self.case.match else "false match"


@dataclass(frozen=True)
class MatchingScores:
    """Precision, recall and F1 of the positive class, and the cases behind the misses."""

    precision: float
    recall: float
    f1: float
    errors: tuple[EvalError, ...]
    cases: int = 0

    def summary(self) -> str:
        return (f"{self.cases} cases: precision {self.precision:.3f}, recall {self.recall:.3f}, "
                f"F1 {self.f1:.3f}, {len(self.errors)} error(s)")


def parse_cases(lines: Iterable[str]) -> list[EvalCase]:
    """JSON lines `{"title", "summary", "lang", "match", "note"}`; blank lines are skipped."""
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if not isinstance(record, dict) or not isinstance(record.get("match"), bool):
            raise ValueError(f"line {number}: expected an object with a boolean 'match'")
        cases.append(
            EvalCase(
                title=str(record.get("title") or ""),
                summary=str(record.get("summary") or ""),
                match=record["match"],
                lang=str(record.get("lang") or "en"),
                note=str(record.get("note") or ""),
            )
        )
    return cases


def evaluate(matcher: _Decides, cases: Sequence[EvalCase]) -> MatchingScores:
    """Run every case through the matcher and count the positive class."""
    true_pos = false_pos = false_neg = 0
    errors = []
    for case in cases:
        decision = matcher.decide(case.title, case.summary)
        if decision.match and case.match:
            true_pos += 1
        elif decision.match:
            false_pos += 1
        elif case.match:
            false_neg += 1
        if decision.match != case.match:
            errors.append(EvalError(case, decision))
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / (true_pos + false_neg) if true_pos + false_neg else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return MatchingScores(precision, recall, f1, tuple(errors), len(cases))


def richness(definition: StorylineDefinition) -> int:
    """How much a definition tells the matcher: the target belongs to the one telling most."""
    return (len(definition.keywords) + len(definition.negative_keywords)
            + len(definition.seed_paths)
            + sum(1 + len(entity.aliases) for entity in definition.entities))


def richest(definitions: Sequence[StorylineDefinition]) -> int:
    """The index of the definition held to `MATCHING_F1` (the first of equally rich ones)."""
    if not definitions:
        raise ValueError("no storyline definitions to choose from")
    return max(range(len(definitions)), key=lambda i: richness(definitions[i]))
