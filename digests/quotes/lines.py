"""Line-shaped quotations: `Name (Role): text` roundups and introduced block quotes (pure).

Analysis posts and social-media roundups quote people one per line, `David Sacks (White House):
…` or `Lutnick: …`, and long statements as a block after an intro line ("Sacks wrote on X:").
The same shape also starts notes, timelines and headings ("Update:", "June 26:"), so a line
counts only when what stands before the colon is a plausible name: a known entity or alias, a
surname the text introduced, or 2–4 capitalised words that are not stop words or dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digests.quotes import english
from digests.quotes.names import NOT_NAMES, Resolved, SpeakerBook, looks_like_person
from digests.quotes.spans import clean_quote, is_substantial

_LINE_RE = re.compile(
    r"^\s*(?:[-*•·]\s*)?(?P<name>[^:：()（）\"“”「」]{1,40}?)\s*"
    r"(?:[(（](?P<role>[^)）]{1,80})[)）])?\s*[:：]\s*(?P<text>\S.*)$"
)
_DATEISH_RE = re.compile(
    r"\d|[月日年時]|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?"
    r"|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?"
    r"|sun(?:day)?)\b",
    re.IGNORECASE,
)
_JA_NAME_RE = re.compile(r"^[ァ-ヴー・･\u3400-\u9fff々A-Za-z\s]+$")
_BLOCK_INTRO_RE = re.compile(
    rf"^(?:.*?[\s,;]\s*|){english.SPEAKER}\s+(?:also\s+)?{english.VERB}\b[^“”\"]{{0,100}}:\s*$"
)
_JA_BLOCK_INTRO_RE = re.compile(
    r"(?P<speaker>[^、。のにでへ\s「」（）はが]{1,24})(?:は|が)[^。「」]{0,40}"
    r"(?:投稿|述べ|書い|記し|発表|表明|声明|コメント)[^。「」]{0,20}[:：]\s*$"
)
_QUOTED_LINE_RE = re.compile(r"^\s*>\s?")


@dataclass(frozen=True)
class LineQuote:
    """A quotation found in line form, with its resolved speaker (None when unsure)."""

    quote: str
    speaker: Resolved | None
    style: str


def speaker_line(line: str, book: SpeakerBook) -> LineQuote | None:
    """`Name (Role): text` or `Name: text`, only when Name passes as a name."""
    match = _LINE_RE.match(line)
    if match is None:
        return None
    name = match.group("name").strip()
    if _DATEISH_RE.search(name) or "http" in name.casefold():
        return None
    resolved = _line_speaker(name, book)
    if resolved is None:
        return None
    quote = clean_quote(match.group("text"))
    if not is_substantial(quote):
        return None
    return LineQuote(quote, resolved, "name-colon" if match.group("role") is None else "name-role")


def _line_speaker(name: str, book: SpeakerBook) -> Resolved | None:
    entity = book.entity(name)
    if entity is not None:
        return Resolved(entity.name, entity.kind)
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", name):
        if not _JA_NAME_RE.match(name):
            return None
        return book.resolve(name) or _ja_full_name(name)
    tokens = name.split()
    if not tokens or len(tokens) > 4 or any(t.casefold() in NOT_NAMES for t in tokens):
        return None
    if len(tokens) == 1:
        resolved = book.resolve(name)
        # A lone unknown word ("Warning:", "Verdict:") is not enough on a line of its own.
        return resolved if resolved is not None and resolved.kind != "unknown" else None
    if not (looks_like_person(tokens) or all(t[:1].isupper() for t in tokens)):
        return None
    return book.resolve(name)


def _ja_full_name(name: str) -> Resolved | None:
    """`ハワード・ルットニック：…` with no entity behind it: a katakana full name as written."""
    if re.fullmatch(r"[ァ-ヴー]+[・･][ァ-ヴー・･]+", name):
        return Resolved(name, "person")
    return None


def block_intro(line: str) -> str | None:
    """The speaker as written when a line introduces a block quote ("Sacks wrote on X:")."""
    match = _BLOCK_INTRO_RE.match(line) or _JA_BLOCK_INTRO_RE.search(line)
    return match.group("speaker") if match else None


def block_body(lines: list[str], start: int) -> tuple[str, int]:
    """The block quote that starts at `lines[start]`: its `>` lines, else one paragraph."""
    if _QUOTED_LINE_RE.match(lines[start]):
        end = start
        while end < len(lines) and _QUOTED_LINE_RE.match(lines[end]):
            end += 1
        body = " ".join(_QUOTED_LINE_RE.sub("", line) for line in lines[start:end])
        return clean_quote(body), end
    return clean_quote(lines[start]), start + 1
