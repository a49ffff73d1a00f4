"""Words that name calendar things in English and Japanese (pure data, no I/O).

Kept apart from the patterns so that the regular expressions read as grammar and the tables
read as a dictionary; both languages' spellings of numbers live here too, because relative
dates ("two months ago", "二か月前") count in words as often as in digits.
"""

from __future__ import annotations

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# Full names first so that the alternation never stops at an abbreviation's prefix.
MONTH_ALTERNATION = "|".join(
    name.capitalize() for name in sorted(MONTHS, key=lambda name: (-len(name), name))
)

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip

WEEKDAY_ALTERNATION = "|".join(name.capitalize() for name in WEEKDAYS)

# Abbreviated weekdays only ever appear glued to a full date ("Fri., June 12"), where they are
# absorbed into that date; alone they are too ambiguous ("Sun", "Wed") to mean a day.
WEEKDAY_PREFIX = (
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?,?\s+)?"
)

JA_WEEKDAYS: dict[str, int] = {"月": 0, "火": 1, "水": 2, "木": 3, "金": 4, "土": 5, "日": 6}

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

NUMBER_ALTERNATION = r"\d{1,2}|" + "|".join(
    sorted(NUMBER_WORDS, key=lambda word: (-len(word), word))
)

UNITS: dict[str, str] = {
    "day": "day", "days": "day", "week": "week", "weeks": "week",
    "month": "month", "months": "month",
    "日": "day", "週間": "week", "週": "week",
    "カ月": "month", "か月": "month", "ヶ月": "month", "ヵ月": "month", "ケ月": "month",
    "箇月": "month", "ヵ月間": "month",
}  # fmt: skip

_ORDINAL_UNITS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth",
)  # fmt: skip
ORDINALS: dict[str, int] = {word: number for number, word in enumerate(_ORDINAL_UNITS, 1)}
ORDINALS |= {"twentieth": 20, "thirtieth": 30, "thirty-first": 31}
ORDINALS |= {f"twenty-{word}": 20 + ORDINALS[word] for word in _ORDINAL_UNITS[:9]}
ORDINAL_ALTERNATION = "|".join(sorted(ORDINALS, key=lambda word: (-len(word), word)))

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def parse_number(token: str) -> int | None:
    """An amount written as digits, an English word or kanji numerals (up to 99)."""
    token = token.strip().casefold()
    if token.isdigit():
        return int(token)
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if token and all(char in _KANJI_DIGITS or char == "十" for char in token):
        if "十" not in token:
            return _KANJI_DIGITS[token] if len(token) == 1 else None
        tens, _, ones = token.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    return None


def words(text: str) -> frozenset[str]:
    """A word list written as one string, so that long lists stay readable."""
    return frozenset(text.split())
