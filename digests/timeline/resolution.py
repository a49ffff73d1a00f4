"""Turning a date expression into a day, given what the item tells us about "now" (pure).

Two clocks exist in an article: its publication date (for "yesterday", "on Saturday", "two
months ago") and dates it states itself (for "two days later", "翌日", a bare "26日").
Neither comes from the machine's clock: the caller passes both in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from digests.timeline.expressions import (
    Ago,
    Calendar,
    DayOfMonth,
    Deictic,
    Expression,
    Shift,
    Unit,
    WeekdayRef,
)

# A past-tense report may mention a date a little ahead ("the deadline is July 8"), but a
# year-less date further ahead than this is last year's ("launched on September 10" in June).
PAST_REPORT_LOOKAHEAD = dt.timedelta(days=60)
# Dates further than this after publication are misreadings, not news.
FURTHEST_FUTURE = dt.timedelta(days=400)


@dataclass(frozen=True)
class Context:
    """What a sentence knows when resolving one expression.

    `nearby` is the closest date resolved before it (same or previous sentence), `month` the
    closest calendar date written out there (it lends its month to a bare "26日"), `stated`
    the last calendar date written anywhere before (it lends its year when there is no
    publication date), `future` whether the wording looks ahead.
    """

    published: dt.date | None
    nearby: dt.date | None = None
    month: dt.date | None = None
    stated: dt.date | None = None
    future: bool = False


def resolve(expression: Expression, context: Context) -> dt.date | None:
    """The day an expression means in this context, or None when the text does not say."""
    day = _resolve(expression, context)
    if day is None:
        return None
    if context.published is not None and day > context.published + FURTHEST_FUTURE:
        return None
    return day


def _resolve(expression: Expression, context: Context) -> dt.date | None:
    published = context.published
    match expression:
        case Calendar():
            return _calendar(expression, context)
        case DayOfMonth(day=day, weekday=weekday):
            if weekday is None:
                return _day_of_month(day, context)
            return None if published is None else _dated_weekday(day, weekday, published, context)
        case WeekdayRef():
            return None if published is None else _weekday(expression, published, context.future)
        case Deictic(days=days):
            return None if published is None else published + dt.timedelta(days=days)
        case Ago(amount=amount, unit=unit):
            return None if published is None else published - _span(amount, unit)
        case Shift(amount=amount, unit=unit, sign=sign, target=target):
            base = context.nearby if target is None else _calendar(target, context)
            if base is None:
                return None
            return base + _span(amount, unit) if sign > 0 else base - _span(amount, unit)
    return None


def _span(amount: int, unit: Unit) -> relativedelta:
    if unit == "month":
        return relativedelta(months=amount)
    return relativedelta(days=amount * (7 if unit == "week" else 1))


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _calendar(calendar: Calendar, context: Context) -> dt.date | None:
    if calendar.year is not None:
        return _safe_date(calendar.year, calendar.month, calendar.day)
    if context.published is not None:
        return infer_year(calendar.month, calendar.day, context.published, context.future)
    base = context.nearby or context.stated
    if base is None:
        return None
    return infer_year(calendar.month, calendar.day, base, future=False, past_report=False)


def infer_year(
    month: int, day: int, base: dt.date, future: bool = False, *, past_report: bool = True
) -> dt.date | None:
    """The year that puts a month/day nearest `base`, leaning back for past-tense reports.

    "December 30" in a January 3 article is last year's; "September 10" in a June article
    that says something *happened* then is last year's too, unless the wording looks ahead.
    """
    candidates = [
        found
        for year in (base.year - 1, base.year, base.year + 1)
        if (found := _safe_date(year, month, day)) is not None
    ]
    if not candidates:
        return None
    if future:
        ahead = [found for found in candidates if found >= base - dt.timedelta(days=3)]
        return min(ahead) if ahead else max(candidates)
    nearest = min(candidates, key=lambda found: (abs((found - base).days), found))
    if past_report and nearest > base + PAST_REPORT_LOOKAHEAD:
        earlier = [found for found in candidates if found < nearest]
        return max(earlier) if earlier else nearest
    return nearest


def _day_of_month(day: int, context: Context) -> dt.date | None:
    """A bare day takes a nearby written month, else the month that puts it nearest
    publication (leaning back: "17日" in a July 18 report is July 17, "30日" is June 30)."""
    if context.month is not None:
        return _safe_date(context.month.year, context.month.month, day)
    published = context.published
    if published is None:
        return None
    first = published.replace(day=1)
    candidates = [
        found
        for shift in (-1, 0, 1)
        if (month := first + relativedelta(months=shift))
        and (found := _safe_date(month.year, month.month, day)) is not None
    ]
    if context.future:
        ahead = [found for found in candidates if found >= published]
        return min(ahead) if ahead else None
    behind = [found for found in candidates if found <= published + dt.timedelta(days=7)]
    return max(behind) if behind else None


def _dated_weekday(day: int, weekday: int, published: dt.date, context: Context) -> dt.date | None:
    """ "Friday the twelfth": the nearest month (back, or ahead when looking ahead) in which
    that day falls on that weekday."""
    step = 1 if context.future else -1
    first = published.replace(day=1)
    for shift in range(0, 15):
        month = first + relativedelta(months=step * shift)
        found = _safe_date(month.year, month.month, day)
        if found is None or found.weekday() != weekday:
            continue
        if (found <= published) if step < 0 else (found >= published):
            return found
    return None


def _weekday(reference: WeekdayRef, published: dt.date, future: bool) -> dt.date:
    """Most recent past occurrence on or before publication unless the wording looks ahead."""
    if reference.week is not None:
        monday = published - dt.timedelta(days=published.weekday())
        return monday + dt.timedelta(days=7 * reference.week + reference.weekday)
    back = (published.weekday() - reference.weekday) % 7
    ahead = (reference.weekday - published.weekday()) % 7
    if reference.relation == "last":
        return published - dt.timedelta(days=back or 7)
    if reference.relation == "next" or future:
        return published + dt.timedelta(days=ahead or 7)
    return published - dt.timedelta(days=back)
