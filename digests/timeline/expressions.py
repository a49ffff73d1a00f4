"""What a date expression says, before we know which day it means (pure data).

A pattern turns "June 26", "先週金曜日" or "two days later" into one of these records; the
resolver then decides the day with the publication date and nearby stated dates. Keeping the
two steps apart lets the patterns stay precise and the calendar logic stay testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["day", "week", "month"]
Relation = Literal["plain", "last", "next"]


@dataclass(frozen=True)
class Calendar:
    """A stated month and day ("June 26", "6月26日"), with the year when the text gives it."""

    month: int
    day: int
    year: int | None = None


@dataclass(frozen=True)
class DayOfMonth:
    """A day without its month ("26日", "Friday the twelfth"): the month comes from a date
    stated nearby or from the publication date; a named weekday pins down which month."""

    day: int
    weekday: int | None = None


@dataclass(frozen=True)
class WeekdayRef:
    """A named weekday; `week` is a calendar-week shift when the text names the week (先週)."""

    weekday: int
    relation: Relation = "plain"
    week: int | None = None


@dataclass(frozen=True)
class Deictic:
    """A day counted from the publication date ("yesterday" is -1, "today" 0)."""

    days: int


@dataclass(frozen=True)
class Ago:
    """An amount of time before the publication date ("two months ago", "2カ月前")."""

    amount: int
    unit: Unit


@dataclass(frozen=True)
class Shift:
    """An amount of time from a stated date: `target` when named, else the nearest one before.

    `explicit_only` marks "three days after …" forms, which mean nothing unless the date they
    count from is written right there (after "the launch" we cannot know the day).
    """

    amount: int
    unit: Unit
    sign: int
    target: Calendar | None = None
    explicit_only: bool = False


Expression = Calendar | DayOfMonth | WeekdayRef | Deictic | Ago | Shift


@dataclass(frozen=True)
class Mention:
    """Where in a sentence an expression was found (offsets into the normalised sentence)."""

    start: int
    end: int
    expression: Expression

    @property
    def relative(self) -> bool:
        """Anything but a stated calendar date is counted from another day (a year may still
        be inferred for "June 26": the month and day are the text's own)."""
        return not isinstance(self.expression, Calendar)
