"""Text normalisation shared by every stage of the engine (pure, no I/O).

Coverage arrives as HTML or plain text, in English and Japanese, with full-width characters
and curly quotes; every comparison in the engine goes through these helpers so that width,
case and markup never decide a match.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_TAG_RE = re.compile(
    r"</?(p|div|br|li|ul|ol|h[1-6]|blockquote|tr|section|article)\b[^>]*>", re.IGNORECASE
)
_SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
# Spaces, tabs, no-break and ideographic spaces collapse to one space (newlines are kept).
# Mapping the others to " " in C first leaves only runs of two or more for the regex;
# a regex substituting every single space cost ~0.1 ms per article. The mapping is a chain
# of `str.replace`, not `str.translate`: on text with any non-ASCII character `translate`
# takes a per-character slow path (4x slower on a Japanese article, 15% of all ingest time).
_OTHER_SPACES = ("\t", "\u00a0", "\u3000")
_SPACE_RUN_RE = re.compile(" {2,}")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
# Sentence ends: English . ! ? followed by space and a capital/quote/digit; Japanese 。！？
_SENTENCE_RE = re.compile(
    r"(?<=[。！？])|(?<=[.!?][\"'”’)])\s+|(?<=[.!?])\s+(?=[\"'“‘(A-Z0-9\u3040-\u9fff])"
)
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "U.S.", "U.K.", "Jr.", "Sr.", "Inc.",
                  "Corp.", "Co.", "Gov.", "Sen.", "Rep.", "Gen.", "No.", "vs.", "e.g.", "i.e.")


def html_to_text(markup: str) -> str:
    """Plain text from feed HTML, keeping paragraph breaks as newlines."""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    without_scripts = _SCRIPT_RE.sub(" ", markup)
    with_breaks = _BLOCK_TAG_RE.sub("\n", without_scripts)
    text = _collapse_spaces(html.unescape(_TAG_RE.sub("", with_breaks)))
    return "\n".join(filter(None, map(str.strip, text.splitlines())))


def _collapse_spaces(text: str) -> str:
    """Runs of spaces, tabs, no-break and ideographic spaces as one space."""
    for space in _OTHER_SPACES:
        text = text.replace(space, " ")
    return _SPACE_RUN_RE.sub(" ", text) if "  " in text else text


def normalize(text: str) -> str:
    """NFKC (full-width → ASCII, half-width katakana → full), case-folded, spaces collapsed."""
    return _collapse_spaces(unicodedata.normalize("NFKC", text).casefold()).strip()


# UTF-8 writes every character from U+3040 (hiragana) to U+9FFF (the last CJK ideograph)
# with a lead byte from E3 to E9.
_KANA_KANJI_LEAD_BYTES = tuple(bytes([lead]) for lead in range(0xE3, 0xEA))


def may_hold_kana_or_kanji(text: str) -> bool:
    """False only when no character of the text lies in U+3040–U+9FFF (kana, katakana, CJK
    ideographs), so a regex made of those characters cannot match it: an English article is
    told in microseconds, where a regex scan of it for one of them takes a tenth of a
    millisecond (looking for seven bytes in its UTF-8 is done by `memchr`)."""
    if text.isascii():
        return False
    encoded = text.encode("utf-8", "surrogatepass")
    return any(lead in encoded for lead in _KANA_KANJI_LEAD_BYTES)


@functools.cache
def japanese_script() -> re.Pattern[str]:
    """One character of kana, katakana or a CJK ideograph (half-width katakana aside): what
    makes a word or a line Japanese script to the stages that look for it. Compiled on first
    use, not at import: the large class costs milliseconds, which a lookup's start-up need
    not pay."""
    return re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def holds_japanese_script(text: str) -> bool:
    """Whether any character of `text` is kana, katakana or a CJK ideograph."""
    return japanese_script().search(text) is not None


def is_japanese(text: str) -> bool:
    """Kana anywhere means Japanese: Chinese text has none, and our storylines are EN/JA."""
    return bool(_KANA_RE.search(text))


def detect_language(text: str) -> str:
    """`ja` when the text carries kana in a meaningful share, else `en`.

    A two-language decision by script is exact for our inputs and costs nothing, where a
    statistical detector would cost a second of start-up and hundreds of MB.
    """
    sample = text[:4000]
    cjk = len(_CJK_RE.findall(sample))
    if _KANA_RE.search(sample) and cjk >= max(5, len(sample) // 20):
        return "ja"
    return "en"


def split_sentences(text: str) -> list[str]:
    """Sentences in English and Japanese; paragraph breaks always end a sentence."""
    sentences: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        protected = paragraph
        for abbr in _ABBREVIATIONS:
            protected = protected.replace(abbr, abbr.replace(".", "\x00"))
        for piece in _SENTENCE_RE.split(protected):
            piece = piece.replace("\x00", ".").strip()
            if piece:
                sentences.append(piece)
    return sentences
