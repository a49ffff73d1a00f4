"""Our own precise EN/JA date patterns and what each needs to match (pure, no I/O).

Search-based date finders read "we" as Wednesday and "4.8" as April 8 (see the dependency
notes), so every pattern here demands a real calendar word — a month name, a weekday, 月/日,
an ISO date, or a counted amount of days/weeks/months — and the checks around each pattern
reject the known look-alikes: "Black Friday", "on a Monday", "by Monday" deadlines,
"today's", "3日間" durations, product numbers before month names.
Input is expected NFKC-normalised, so full-width digits and colons are already ASCII.
`scanning` runs them over a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from digests.timeline.expressions import (
    Ago,
    Calendar,
    DayOfMonth,
    Deictic,
    Expression,
    Relation,
    Shift,
    Unit,
    WeekdayRef,
)
from digests.timeline.vocabulary import (
    JA_WEEKDAYS,
    MONTH_ALTERNATION,
    MONTHS,
    NUMBER_ALTERNATION,
    ORDINAL_ALTERNATION,
    ORDINALS,
    UNITS,
    WEEKDAY_ALTERNATION,
    WEEKDAY_PREFIX,
    WEEKDAYS,
    parse_number,
    words,
)

_YEAR = r"(?P<year>(?:19|20)\d{2})(?![\d%]|[.,]\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_MONTH = rf"(?P<month>{MONTH_ALTERNATION})(?![A-Za-z])\.?"
_JA_WEEKDAY_TAIL = r"(?:\s*[(（][月火水木金土日](?:曜日?)?[)）])?"

_MONTH_DAY = re.compile(
    rf"(?<![\w.$]){WEEKDAY_PREFIX}{_MONTH}\s+{_DAY}(?![\d%]|[.,:]\d)(?:,?\s+{_YEAR})?"
)
_DAY_MONTH = re.compile(
    rf"(?<![\w.,$]){WEEKDAY_PREFIX}{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
)
_ISO = re.compile(
    r"(?<![\w/.:-])(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w/:-])"
)
_WEEKDAY = re.compile(
    rf"(?:\b(?P<mod>(?i:this\s+coming|this\s+past|last|next|coming|past))\s+)?"
    rf"\b(?P<weekday>{WEEKDAY_ALTERNATION})(?![A-Za-z])"
)
_WEEKDAY_THE_DAY = re.compile(
    rf"\b(?P<weekday>{WEEKDAY_ALTERNATION}),?\s+the\s+"
    rf"(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)|(?P<ordinal>(?i:{ORDINAL_ALTERNATION})))\b"
)
_DEICTIC = re.compile(
    r"(?i)\b(?P<word>the\s+day\s+before\s+yesterday|yesterday|earlier\s+today|later\s+today|"
    r"today|tomorrow|tonight|this\s+morning|this\s+afternoon|this\s+evening|last\s+night)\b"
)
_AGO = re.compile(rf"(?i)\b(?P<num>{NUMBER_ALTERNATION})\s+(?P<unit>days?|weeks?|months?)\s+ago\b")
_SHIFT = re.compile(
    rf"(?i)\b(?P<num>{NUMBER_ALTERNATION})\s+(?P<unit>days?|weeks?|months?)\s+"
    r"(?P<dir>later|earlier|after|before)\b"
)
_NEXT_DAY = re.compile(
    r"(?i)\b(?:the\s+)?(?P<word>next\s+day|following\s+day|next\s+morning|following\s+morning|"
    r"previous\s+day|day\s+after|day\s+before|night\s+before)\b"
)
_JA_FULL = re.compile(
    rf"(?<!\d)(?:(?P<year>(?:19|20)\d{{2}})年\s*)?(?P<month>\d{{1,2}})月\s*(?P<day>\d{{1,2}})日"
    rf"{_JA_WEEKDAY_TAIL}"
)
_JA_DAY = re.compile(
    rf"(?<![\d年月約第毎数./-])(?P<day>\d{{1,2}})日(?![間目後前ぶ]|\d){_JA_WEEKDAY_TAIL}"
)
_JA_WEEKDAY = re.compile(r"(?P<week>先々週|先週|今週|来週)?の?(?P<wd>[月火水木金土日])曜(?:日)?")
_JA_DEICTIC = re.compile(r"(?P<word>一昨日|昨日|昨夜|昨晩|本日|今日|今朝|今夜|今晩|明日)")
_JA_COUNT = re.compile(
    r"(?<![\d一二三四五六七八九十数約])(?P<num>\d{1,2}|[一二三四五六七八九十]{1,3})\s*"
    r"(?P<unit>日|週間|カ月|か月|ヶ月|ヵ月|ケ月|箇月)(?P<dir>前|後)"
)
_JA_NEXT_DAY = re.compile(r"(?P<word>翌々日|翌日|翌朝|前日)")

# Words right before a weekday that make it generic, a deadline or a holiday, not a day.
_WEEKDAY_REJECT_BEFORE = words(
    "a an every each any by until till before after black good cyber super easter holy ash "
    "giving casual fat manic blue one some that per following"
)
# Words before a year-less "5 March" that show it is a date and not "Mythos 5 March …".
_DAY_MONTH_OK_BEFORE = words(
    "on from to until till by since before after and between dated of the through"
)
_VAGUE_BEFORE = re.compile(
    r"(?i)\b(?:almost|about|around|nearly|roughly|some|over|more\s+than|less\s+than|under|"
    r"approximately|at\s+least|up\s+to|within)\s+$"
)
_TODAY_REJECT_BEFORE = words("until till of to than from through")
_DEICTIC_DAYS = {
    "the day before yesterday": -2, "yesterday": -1, "last night": -1, "earlier today": 0,
    "later today": 0, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "tomorrow": 1,
}  # fmt: skip
_JA_DEICTIC_DAYS = {
    "一昨日": -2, "昨日": -1, "昨夜": -1, "昨晩": -1, "本日": 0, "今日": 0, "今朝": 0,
    "今夜": 0, "今晩": 0, "明日": 1,
}  # fmt: skip
_NEXT_DAY_SHIFTS = {
    "next day": 1, "following day": 1, "next morning": 1, "following morning": 1,
    "day after": 1, "previous day": -1, "day before": -1, "night before": -1,
    "翌日": 1, "翌朝": 1, "翌々日": 2, "前日": -1,
}  # fmt: skip
_JA_WEEK_SHIFTS = {"先々週": -2, "先週": -1, "今週": 0, "来週": 1}
_RELATIONS: dict[str, Relation] = {
    "last": "last", "past": "last", "this past": "last",
    "next": "next", "coming": "next", "this coming": "next",
}  # fmt: skip

Builder = Callable[[re.Match[str], str], Expression | None]

# Letters that `re.IGNORECASE` matches to an ASCII letter but `str.casefold` keeps apart
# (Turkish dotless/dotted i, the long s, the Kelvin sign): a word the patterns matched must
# find its entry in the vocabulary whatever keyboard typed it.
IGNORECASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _fold(word: str) -> str:
    return word.translate(IGNORECASE_TWINS).casefold()


def _word_before(text: str, start: int) -> str:
    found = re.search(r"([A-Za-z]+)[^\w]*$", text[max(0, start - 24) : start])
    return _fold(found.group(1)) if found else ""


def _calendar(month: int, day: int, year: int | None) -> Calendar | None:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return Calendar(month, day, year)


def _year(match: re.Match[str]) -> int | None:
    year = match.group("year")
    return int(year) if year else None


def _english_month_day(match: re.Match[str], text: str) -> Expression | None:
    return _calendar(MONTHS[_fold(match["month"])], int(match["day"]), _year(match))


def _english_day_month(match: re.Match[str], text: str) -> Expression | None:
    if _year(match) is None:
        before = text[: match.start()].rstrip()
        if (
            before
            and before[-1] not in "(,-–—:"
            and _word_before(text, match.start()) not in (_DAY_MONTH_OK_BEFORE)
        ):
            return None
    return _calendar(MONTHS[_fold(match["month"])], int(match["day"]), _year(match))


def _numeric(match: re.Match[str], text: str) -> Expression | None:
    return _calendar(int(match["month"]), int(match["day"]), _year(match))


def _english_weekday(match: re.Match[str], text: str) -> Expression | None:
    modifier = " ".join(_fold(match["mod"] or "").split())
    if not modifier and _word_before(text, match.start()) in _WEEKDAY_REJECT_BEFORE:
        return None
    return WeekdayRef(WEEKDAYS[_fold(match["weekday"])], _RELATIONS.get(modifier, "plain"))


def _weekday_the_day(match: re.Match[str], text: str) -> Expression | None:
    day = int(match["day"]) if match["day"] else ORDINALS[_fold(match["ordinal"])]
    weekday = WEEKDAYS[_fold(match["weekday"])]
    return DayOfMonth(day, weekday) if 1 <= day <= 31 else None


def _english_deictic(match: re.Match[str], text: str) -> Expression | None:
    word = " ".join(_fold(match["word"]).split())
    if word in ("today", "tomorrow") and (
        re.match(r"['’]s\b", text[match.end() :])
        or _word_before(text, match.start()) in _TODAY_REJECT_BEFORE
    ):
        return None
    return Deictic(_DEICTIC_DAYS[word])


def _unit(token: str) -> Unit:
    unit = UNITS[_fold(token)]
    assert unit in ("day", "week", "month")
    return unit  # type: ignore[return-value]


def _vague(text: str, start: int) -> bool:
    """ "almost two months ago" is not a day: counting from it would invent precision."""
    return bool(_VAGUE_BEFORE.search(text[max(0, start - 24) : start]))


def _english_ago(match: re.Match[str], text: str) -> Expression | None:
    if _vague(text, match.start()):
        return None
    amount = parse_number(match["num"])
    return Ago(amount, _unit(match["unit"])) if amount else None


def _english_shift(match: re.Match[str], text: str) -> Expression | None:
    if _vague(text, match.start()):
        return None
    amount = parse_number(match["num"])
    if not amount:
        return None
    direction = _fold(match["dir"])
    sign = 1 if direction in ("later", "after") else -1
    return Shift(amount, _unit(match["unit"]), sign, explicit_only=direction in ("after", "before"))


def _next_day(match: re.Match[str], text: str) -> Expression | None:
    word = " ".join(_fold(match["word"]).split())
    if word in ("day after", "day before", "night before") and re.match(
        r"\s*[\w\"“(]", text[match.end() :]
    ):
        return None  # "the day before the vote": counted from an event we cannot date
    shift = _NEXT_DAY_SHIFTS[word]
    return Shift(abs(shift), "day", 1 if shift > 0 else -1)


def _japanese_day(match: re.Match[str], text: str) -> Expression | None:
    day = int(match["day"])
    return DayOfMonth(day) if 1 <= day <= 31 else None


def _japanese_weekday(match: re.Match[str], text: str) -> Expression | None:
    if match["week"] is None and re.search(r"毎週?の?$", text[: match.start()]):
        return None
    week = _JA_WEEK_SHIFTS[match["week"]] if match["week"] else None
    return WeekdayRef(JA_WEEKDAYS[match["wd"]], "plain", week)


def _japanese_deictic(match: re.Match[str], text: str) -> Expression | None:
    if match["word"] == "今日" and re.match(r"(では|でも|的|まで|に至)", text[match.end() :]):
        return None  # 今日では = "nowadays"
    return Deictic(_JA_DEICTIC_DAYS[match["word"]])


def _japanese_count(match: re.Match[str], text: str) -> Expression | None:
    amount = parse_number(match["num"])
    if not amount:
        return None
    if match["dir"] == "前":
        return Ago(amount, _unit(match["unit"]))
    return Shift(amount, _unit(match["unit"]), 1)


def _japanese_next_day(match: re.Match[str], text: str) -> Expression | None:
    shift = _NEXT_DAY_SHIFTS[match["word"]]
    return Shift(abs(shift), "day", 1 if shift > 0 else -1)


# Each pattern with what a sentence must contain for it to match: one of its words, a digit,
# or both. Checking for them with `in` costs a fraction of one regex scan, and most sentences
# of an article name no date: they skip every pattern (issue 14: the scans were the largest
# cost of extracting events). The English words are looked for in the lower-cased sentence,
# which is exact for the `(?i)` patterns unless the sentence holds one of the few characters
# that `(?i)` also matches to an ASCII letter (then every pattern runs), and for the
# case-sensitive month names, whose lower-cased forms all start with one of `_MONTH_STARTS`.
@dataclass(frozen=True)
class Gate:
    """One of `words` (none: any sentence) and, when `digit`, a digit besides."""

    words: tuple[str, ...] = ()
    digit: bool = False


_MONTH_STARTS = tuple(dict.fromkeys(name[:3] for name in MONTHS))
_MONTH_GATE = Gate(_MONTH_STARTS, digit=True)
ENGLISH_PATTERNS: tuple[tuple[re.Pattern[str], Builder, Gate], ...] = (
    (_MONTH_DAY, _english_month_day, _MONTH_GATE),
    (_DAY_MONTH, _english_day_month, _MONTH_GATE),
    (_ISO, _numeric, Gate(("-",), digit=True)),
    (_WEEKDAY, _english_weekday, Gate(("day",))),
    (_WEEKDAY_THE_DAY, _weekday_the_day, Gate(("day",))),
    (_DEICTIC, _english_deictic,
     Gate(("day", "tomorrow", "night", "morning", "afternoon", "evening"))),
    (_AGO, _english_ago, Gate(("ago",))),
    (_SHIFT, _english_shift, Gate(("day", "week", "month"))),
    (_NEXT_DAY, _next_day, Gate(("day", "morning", "night"))),
)
# Every Japanese pattern needs a kanji or kana (日, 月, 曜, 昨, 翌, 前…): sentences without one,
# most of an English article, skip them; the characters are looked for as written.
JAPANESE_PATTERNS: tuple[tuple[re.Pattern[str], Builder, Gate], ...] = (
    (_JA_FULL, _numeric, Gate(("日",))),
    (_JA_DAY, _japanese_day, Gate(("日",))),
    (_JA_WEEKDAY, _japanese_weekday, Gate(("曜",))),
    (_JA_DEICTIC, _japanese_deictic, Gate(("日", "昨", "今"))),
    (_JA_COUNT, _japanese_count, Gate(("前", "後"))),
    (_JA_NEXT_DAY, _japanese_next_day, Gate(("翌", "前"))),
)
