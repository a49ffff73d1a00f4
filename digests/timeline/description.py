"""Short, self-contained event descriptions, and the page furniture that must not become one.

A digest shows an event as "date — one sentence", so the sentence loses its own leading date
phrase ("On June 12,", "6月26日：", list markers), citation junk and placeholders, and is cut
at a word boundary. Bylines, "Updated …" stamps and copyright lines carry dates that are about
the page, not the story: they are recognised here and never described (pure, no I/O).
"""

from __future__ import annotations

import re

MAX_LENGTH = 200
MIN_WORDS = 3  # an English sentence with fewer words besides its dates is a stamp, not an event
MIN_CJK = 5  # the same for Japanese, counted in characters

_FURNITURE_LINE = re.compile(
    r"(?i)^\W*(?:(?:last\s+|first\s+|originally\s+)?(?:updated|published|posted|modified|edited)"
    r"|date|dateline|copyright|©|\(c\))\b\s*(?:on|at)?\s*[:：]?"
    r"|^(?:最終)?(?:更新|公開|配信|投稿|掲載)(?:日時|日)?\s*[:：\s]"
)
_BYLINE = re.compile(r"^(?:by|written by|text by)\s+\S", re.IGNORECASE)
_COPYRIGHT = re.compile(r"©|\bcopyright\b|all rights reserved", re.IGNORECASE)

_LEAD_FILLER = re.compile(
    r"(?i)^(?:[-*•・●◆■▪]\s*|\d{1,2}[.)]\s+)?(?:(?:on|early|late|in|since|then|and|but|also|"
    r"at|as\s+of)\s+)*(?:その|同)?$"
)
_AFTER_LEAD = re.compile(
    r"(?i)^(?:\s+(?:morning|afternoon|evening|night))?"
    r"(?:\s+at\s+\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,4}\)?)?)?"
    r"(?:\s*(?:に(?:は)?|の|ごろ|頃)(?=[、，,\s]|[^\x00-\x7f]))?\s*[,:;、，：\-–—]*\s*"
)
_JUNK = (
    re.compile(r"⟦[^⟧]*⟧"),  # translation-tool placeholders left by aggregators
    re.compile(r"\s*\[(?:\d{1,3}|citation needed|[a-z])\]", re.IGNORECASE),
    re.compile(r"\s*\((?:source|via|link|photo|reporting by)\b[^)]*\)\s*$", re.IGNORECASE),
    re.compile(r"\s*https?://\S+\s*$"),
)
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
_CLOCK = re.compile(r"(?i)\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\b[ap]\.?m\.?\b|\b(?:ET|PT|UTC|GMT)\b")


def is_furniture_line(line: str) -> bool:
    """Bylines, "Updated …" stamps and copyright lines: dates about the page, not the story."""
    stripped = line.strip()
    if _FURNITURE_LINE.search(stripped) or _COPYRIGHT.search(stripped):
        return True
    return bool(_BYLINE.match(stripped)) and len(stripped.split()) <= 14


def strip_lead(sentence: str, start: int, end: int) -> str:
    """The sentence without a leading date phrase ("On June 12, …", "6月26日：…", "- July 8: …")."""
    if not _LEAD_FILLER.match(sentence[:start]):
        return sentence
    rest = sentence[end:]
    after = _AFTER_LEAD.match(rest)
    return rest[after.end() :] if after else rest


def has_substance(text: str) -> bool:
    """Enough words besides dates and clock times to describe something that happened."""
    without_clock = _CLOCK.sub(" ", text)
    cjk = len(_CJK.findall(without_clock))
    return cjk >= MIN_CJK or len(_WORD.findall(without_clock)) >= MIN_WORDS


def clean(text: str) -> str:
    """Collapse spaces, drop citation junk, trim at a word boundary and capitalise."""
    for junk in _JUNK:
        text = junk.sub("", text)
    text = _SPACES.sub(" ", text).strip(" \t,;:、，")
    if len(text) > MAX_LENGTH:
        text = _trim(text)
    return text[:1].upper() + text[1:]


def _trim(text: str) -> str:
    cut = text[: MAX_LENGTH - 1]
    boundary = max(cut.rfind(" "), cut.rfind("、"), cut.rfind("，"))
    if boundary >= MAX_LENGTH // 2:
        cut = cut[:boundary]
    return cut.rstrip(" ,;:、，") + "…"
