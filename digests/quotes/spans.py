"""Where the quotations in a paragraph are, and the sentence around each (pure, no I/O).

Attribution is decided by the words just outside a quotation, so every quotation is found first
and then *masked*: its inside is blanked out, which lets sentence boundaries be found in the
surrounding prose without the quotation's own full stops splitting it ("“A. B,” Sacks said.").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from digests.quotes.name_words import wordset

_OPEN_CLOSE = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
_MIXED = {"“": '"', '"': "”"}
_OPENER_RE = re.compile("[" + re.escape("".join(_OPEN_CLOSE)) + "]")
# For each opener, the characters that matter while looking for its closer.
_CLOSE_SCAN_RE = {
    opener: re.compile("[" + re.escape(opener + closer + _MIXED.get(opener, closer)) + "]")
    for opener, closer in _OPEN_CLOSE.items()
}
# A ’ closes a ‘…’ quotation only when no letter follows (so "don’t" stays inside).
_SINGLE_CLOSE_RE = re.compile(r"’(?![A-Za-z])")
_ABBREV_RE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Inc|Corp|Co|Gov|Sen|Rep|Gen|Lt|Col|No|vs|Prof|Adm|Rev)\."
    r"|\b(?:[A-Z]\.){1,3}(?=\s*[A-Z]?)|\be\.g\.|\bi\.e\."
)
_BOUNDARY_RE = re.compile(r"[.!?]+[)\]]*\s+(?=[^a-z])|[。！？]+")
_SPACE_RE = re.compile(r"\s+")
_MARKS = "\"'“”‘’「」『』«»„"
_TITLE_WORD_RE = re.compile(r"[A-Za-z][\w’'\-]*")
_MINOR = wordset("a an and as at but by for in of on or the to vs with from")


@dataclass(frozen=True)
class Span:
    """One quotation in a paragraph: offsets of the opening and (exclusive) closing marks."""

    start: int
    end: int
    text: str
    closed: bool = True


def find_spans(paragraph: str) -> list[Span]:
    """Top-level quotations in reading order; an unclosed “ runs to the paragraph's end."""
    spans: list[Span] = []
    n = len(paragraph)
    # Only an opening mark can start a quotation: jump from one to the next (in C) instead of
    # looking at every character in Python.
    found = _OPENER_RE.search(paragraph)
    while found is not None:
        i = found.start()
        ch = paragraph[i]
        if (ch == "‘" and i > 0 and paragraph[i - 1].isalnum()) or (
            ch == '"' and i > 0 and paragraph[i - 1].isalnum() and i + 1 < n
            and paragraph[i + 1].isalnum()  # 6"2 and similar, not a quotation mark
        ):
            found = _OPENER_RE.search(paragraph, i + 1)
            continue
        close = _find_close(paragraph, i, ch)
        if close < 0:
            if ch in "“「":
                spans.append(Span(i, n, paragraph[i + 1 :], closed=False))
                break
            found = _OPENER_RE.search(paragraph, i + 1)
            continue
        spans.append(Span(i, close + 1, paragraph[i + 1 : close]))
        found = _OPENER_RE.search(paragraph, close + 1)
    return spans


def _find_close(paragraph: str, start: int, opener: str) -> int:
    if opener == "‘":
        match = _SINGLE_CLOSE_RE.search(paragraph, start + 1)
        return match.start() if match else -1
    closer = _OPEN_CLOSE[opener]
    # Copy-edited text mixes curly and straight marks (“…"), so either closes the other.
    closers = {closer, _MIXED.get(opener, closer)}
    depth = 0
    # Only closers and the opener change anything: visit those alone.
    for found in _CLOSE_SCAN_RE[opener].finditer(paragraph, start + 1):
        ch = found.group()
        if ch in closers and depth == 0:
            return found.start()
        if opener != closer and ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
    return -1


def mask(paragraph: str, spans: list[Span]) -> str:
    """The paragraph with each quotation's inside (not its marks) blanked to "x"."""
    # The abbreviations' full stops become "_", one character for one, so offsets hold.
    text = _ABBREV_RE.sub(lambda m: m.group(0).replace(".", "_"), paragraph)
    pieces: list[str] = []
    done = 0
    for span in spans:
        stop = span.end - 1 if span.closed else span.end
        if stop <= span.start + 1:
            continue
        if span.start + 1 < done:  # out of reading order or overlapping: character by character
            return _mask_each(text, spans)
        pieces += (text[done : span.start + 1], "x" * (stop - span.start - 1))
        done = stop
    pieces.append(text[done:])
    return "".join(pieces)


def _mask_each(text: str, spans: list[Span]) -> str:
    chars = list(text)
    for span in spans:
        stop = span.end - 1 if span.closed else span.end
        for k in range(span.start + 1, stop):
            chars[k] = "x"
    return "".join(chars)


def sentence_bounds(masked: str, spans: Sequence[Span] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a masked paragraph.

    Masking hides the full stop inside a quotation, so a sentence that ends on a partial
    quotation (`Sanders called it “arbitrary.” Hendler warned …`) would run on into the next
    one and lend it its quotation. With `spans` given, a quotation that opens mid-sentence and
    closes on . ! ? before a capital ends its sentence; one that opens the sentence does not
    (`“It is done.” Labbot said.` is one sentence: the attribution follows)."""
    ends = [m.end() for m in _BOUNDARY_RE.finditer(masked)]
    if spans:
        ends = sorted(set(ends) | set(_quote_ends(masked, spans, ends)))
    bounds: list[tuple[int, int]] = []
    start = 0
    for end in ends:
        bounds.append((start, end))
        start = end
    if start < len(masked):
        bounds.append((start, len(masked)))
    return bounds


_TERMINAL_QUOTE_RE = re.compile(r"[.!?…]\s*$")
_NEXT_SENTENCE_RE = re.compile(r"[)\]]*\s+(?=[A-Z“\"‘「(])")
_WORD_RE = re.compile(r"\w")


def _quote_ends(masked: str, spans: Sequence[Span], ends: list[int]) -> list[int]:
    """Offsets after quotations that end their sentence although they opened inside it."""
    found: list[int] = []
    for span in spans:
        if not span.closed or not _TERMINAL_QUOTE_RE.search(span.text):
            continue
        following = _NEXT_SENTENCE_RE.match(masked, span.end)
        if following is None:
            continue
        index = bisect.bisect_right(ends, span.start)
        cut = max(ends[index - 1] if index else 0, found[-1] if found else 0)
        if _WORD_RE.search(masked, cut, span.start):
            found.append(following.end())
    return found


def sentence_of(bounds: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """The sentence that holds a character offset."""
    for start, end in bounds:
        if start <= position < end:
            return start, end
    return bounds[-1] if bounds else (0, 0)


def clean_quote(text: str) -> str:
    """A quotation without surrounding marks, with single spaces and no trailing comma."""
    text = _SPACE_RE.sub(" ", text).strip()
    text = text.strip(_MARKS + " ")
    return text.rstrip(",，、 ").strip()


def is_substantial(quote: str) -> bool:
    """Long enough to be a quotation rather than a scare quote: 4+ words, or 8+ CJK chars."""
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]", quote))
    if cjk:
        return len(re.sub(r"[\s、。，．！？「」『』・]", "", quote)) >= 8
    return len(quote.split()) >= 4


def looks_like_title(quote: str) -> bool:
    """Headline case ("The Once And Future Fable") and no sentence punctuation."""
    if re.search(r"[.!?,;:]\s*$|[,;]", quote):
        return False
    words = _TITLE_WORD_RE.findall(quote)
    major = [w for w in words if w.casefold() not in _MINOR]
    if len(words) < 3 or not major:
        return False
    return all(w[0].isupper() for w in major)
