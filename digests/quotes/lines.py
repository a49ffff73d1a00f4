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
from digests.quotes.name_words import NOT_NAMES
from digests.quotes.names import (
    SPEAKING_KINDS,
    Resolved,
    SpeakerBook,
    looks_like_person,
)
from digests.quotes.spans import clean_quote, is_substantial
from digests.text import holds_japanese_script

_LINE_RE = re.compile(
    r"^\s*(?:[-*•·]\s*)?(?P<name>[^:：()（）\"“”「」]{1,40}?)\s*"
    r"(?:[(（](?P<role>[^)）]{1,80})[)）])?"
    r"(?:\s+(?:on|via)\s+(?P<platform>X|Twitter|Bluesky|Threads|LinkedIn|Mastodon|Facebook"
    r"|Instagram|YouTube|Substack|TikTok|Truth Social))?\s*[:：]\s*(?P<text>\S.*)$"
)
# Markdown emphasis around a name (`**Satya Nadella** (Microsoft CEO): …`).
_EMPHASIS_RE = re.compile(r"\*\*|__")
_DATEISH_RE = re.compile(
    r"\d|[月日年時]|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?"
    r"|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?"
    r"|sun(?:day)?)\b",
    re.IGNORECASE,
)
_JA_NAME_RE = re.compile(r"^[ァ-ヴー・･\u3400-\u9fff々A-Za-z\s]+$")
# A social handle after the name ("Priya Raman (@praman) wrote:").
_HANDLE = r"(?:\s*[(（]@[\w.\-]{1,60}[)）])?"
_BLOCK_INTRO_RE = re.compile(
    rf"^(?:.*?[\s,;]\s*|){english.SPEAKER}{_HANDLE}\s+(?:also\s+)?{english.VERB}\b"
    r"[^“”\"]{0,100}:\s*$"
)
# A post's author alone on the line above the post: "Priya Raman (@praman):". The colon is
# required: a bare "Name (@handle)" line is as often a photo credit or an embed's footer.
_AUTHOR_LINE_RE = re.compile(
    rf"^\s*(?P<speaker>{english.NAME})\s*[(（]@[\w.\-]{{1,60}}[)）]\s*[:：]\s*$"
)
_JA_BLOCK_INTRO_RE = re.compile(
    r"(?P<speaker>[^、。のにでへ\s「」（）はが]{1,24})(?:は|が)[^。「」]{0,40}"
    r"(?:(?:投稿|述べ|書い|記し|発表|表明|声明|コメント)[^。「」]{0,20}[:：]"
    r"|(?:次の|以下の)ように(?:述べ|語っ|書い|記し|投稿し|説明し|コメントし)[^。「」]{0,6}[。:：])\s*$"
)
_QUOTED_LINE_RE = re.compile(r"^\s*>\s?")
_INTRO_WINDOW = 400


@dataclass(frozen=True)
class LineQuote:
    """A quotation found in line form, with its resolved speaker (None when unsure)."""

    quote: str
    speaker: Resolved | None
    style: str


def speaker_line(line: str, book: SpeakerBook, roundup: bool = False) -> LineQuote | None:
    """`Name (Role): text` or `Name: text`, only when Name passes as a name.

    Headings have the same shape ("Quick Take: …", "Big Picture: …"), so a name that is not an
    entity and carries no role must be corroborated: named elsewhere in the text, or standing
    in a roundup (`roundup`: a neighbouring line is a `Name (Role):` quotation).
    """
    match = _LINE_RE.match(_EMPHASIS_RE.sub("", line))
    if match is None:
        return None
    name, role = match.group("name").strip(), match.group("role")
    if _DATEISH_RE.search(name) or "http" in name.casefold():
        return None
    if role is None and "," in name:
        # `Satya Nadella, Microsoft CEO: …`: the role follows a comma.
        name, role = (part.strip() for part in name.split(",", 1))
        if not looks_like_person(name.split()) and book.entity(name) is None:
            return None
    resolved = _line_speaker(name, book)
    if resolved is None:
        return None
    needs_support = (role is None and match.group("platform") is None
                     and book.entity(name) is None and not _is_known(resolved, book))
    if needs_support and not roundup and book.count(name) < 2:
        return None
    quote = clean_quote(match.group("text"))
    if not is_substantial(quote):
        return None
    return LineQuote(quote, resolved, "name-colon" if role is None else "name-role")


def is_line_shaped(line: str) -> bool:
    """Cheap first test: the line has a short run of words before a colon."""
    return _LINE_RE.match(_EMPHASIS_RE.sub("", line)) is not None


def is_role_line(line: str, book: SpeakerBook) -> bool:
    """A `Name (Role): text` quotation, the mark of a social-media roundup."""
    match = _LINE_RE.match(_EMPHASIS_RE.sub("", line))
    return bool(match and match.group("role")) and speaker_line(line, book) is not None


def _is_known(resolved: Resolved, book: SpeakerBook) -> bool:
    """A speaker the storyline configures, or a surname the text introduced in full."""
    return any(e.name == resolved.name for e in book.entities) or book.count(resolved.name) >= 2


def _line_speaker(name: str, book: SpeakerBook) -> Resolved | None:
    resolved = _line_name(name, book)
    return resolved if resolved is not None and resolved.kind in SPEAKING_KINDS else None


def _line_name(name: str, book: SpeakerBook) -> Resolved | None:
    entity = book.entity(name)
    if entity is not None:
        return Resolved(entity.name, entity.kind)
    if holds_japanese_script(name):
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
    if not line.rstrip().endswith((":", "：", "。")):
        return None
    # Only the end of a long line can introduce what follows; scanning all of it for a speaker
    # made a flattened article cost time in proportion to its length, line after line.
    if len(line) > _INTRO_WINDOW:
        line = line[-_INTRO_WINDOW:].split(None, 1)[-1]
    match = _BLOCK_INTRO_RE.match(line) or _JA_BLOCK_INTRO_RE.search(line)
    if match:
        return match.group("speaker")
    author = _AUTHOR_LINE_RE.match(line)
    if author:
        return author.group("speaker")
    medium = english.MEDIUM_INTRO.search(line)
    return (medium.group("speaker") or medium.group("author")) if medium else None


def block_body(lines: list[str], start: int) -> tuple[str, int]:
    """The block quote that starts at `lines[start]`: its `>` lines, else one paragraph."""
    if _QUOTED_LINE_RE.match(lines[start]):
        end = start
        while end < len(lines) and _QUOTED_LINE_RE.match(lines[end]):
            end += 1
        body = " ".join(_QUOTED_LINE_RE.sub("", line) for line in lines[start:end])
        return clean_quote(body), end
    return clean_quote(lines[start]), start + 1
