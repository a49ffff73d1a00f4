"""The two kinds of evidence a copy keeps: its word sequence, and its names in order (pure).

*Shingles* — hashed word 5-grams for English, character 4-grams for Japanese — survive
re-wrapping but not a synonym spinner, which rewrites one word in three. *Names* — capitalised
runs ("Department of War", "Fable 5"), katakana runs (ハワード・ルットニック) and numbers — survive
the spinner, because spinners only swap dictionary words. Every article on a storyline shares
its core names, so besides the set of names we keep the order they come in: a spun copy
mentions the same names in the same order; another article on the storyline does not.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator

from digests.text import normalize

WORD_SHINGLE = 5  # measured: unrelated news pairs share < 3% of word 5-grams
CHAR_SHINGLE = 4
# Japanese yields one character shingle per character, English one word shingle per ~6
# characters; keeping every other Japanese shingle (chosen by hash, so every copy keeps the
# same ones) stops the Japanese half of a bilingual page from drowning out the English half.
CHAR_SAMPLE = 2
ORDER_MARK = "→"  # joins a name to the next one mentioned: "amazon→andy jassy"

_CJK = "\u3040-\u30ff\u3400-\u9fff"
_CJK_CHAR_RE = re.compile(f"[{_CJK}]")
_LATIN_WORD_RE = re.compile(rf"[^\W{_CJK}]+")
_LATIN = "A-Za-z0-9\u00c0-\u024f"
# Only the tokens a name can be made of: capitalised words, numbers ("4,200", "6.5"), katakana
# runs, and the connectors inside names ("Department of War"). Lower-case words are skipped;
# they still end a run, because a run needs nothing but spaces between its tokens.
_NAME_TOKEN_RE = re.compile(
    r"(?P<kata>[\u30a1-\u30fa\u30fc][\u30a1-\u30fa\u30fc\u30fb]{2,})"
    rf"|(?<![{_LATIN}’'.\-])(?:(?P<word>[A-Z0-9\u00c0-\u00de](?:[{_LATIN}’'.\-]|,(?=\d{{3}}))*)"
    rf"|(?P<low>(?:of|de|del|von|van|der|la|al|bin)(?![{_LATIN}’'.\-])))"
)
_POSSESSIVE_RE = re.compile(r"[’']s$")
_SENTENCE_END = ".!?。！？\n:;"
_OPENERS = "\"'“‘”’()「」『』[]—–-* "
_CONNECTORS = frozenset({"of", "de", "del", "von", "van", "der", "la", "al", "bin"})
# Words that open sentences and headings; never names on their own.
_NOT_NAMES = frozenset(
    {
        "i", "a", "an", "the", "it", "its", "we", "he", "she", "they", "you", "this", "that",
        "these", "those", "in", "on", "at", "if", "as", "so", "but", "and", "or", "one", "what",
        "how", "why", "when", "where", "who", "which", "there", "here", "then", "yes", "no",
        "not", "my", "our", "your", "his", "her", "their", "after", "before", "while", "with",
        "without", "for", "from", "by", "to", "of",
    }
)
_ARTICLES = ("the ", "a ", "an ")


def stable_hash(value: str) -> int:
    """A 64-bit hash that is the same in every process (Python's `hash()` is salted)."""
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


def _stable_hashes(values: Iterable[str]) -> set[int]:
    """`stable_hash` of each value, without a Python call per value: an article has hundreds
    of shingles, and the call itself cost as much as the hashing (issue 14)."""
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return {from_bytes(blake2b(value.encode(), digest_size=8).digest(), "big") for value in values}


def shingles(clean: str) -> frozenset[int]:
    """Hashed word 5-grams of the Latin-script text plus sampled Japanese character 4-grams."""
    text = normalize(clean)
    words = _LATIN_WORD_RE.findall(text)
    if len(words) >= WORD_SHINGLE:  # every run of five words, joined in C
        shifted = (words[offset:] for offset in range(WORD_SHINGLE))
        found = _stable_hashes(map(" ".join, zip(*shifted, strict=False)))
    else:  # a text shorter than one shingle is one shingle
        found = _stable_hashes([" ".join(words)]) if words else set()
    chars = "".join(_CJK_CHAR_RE.findall(text))
    if chars:
        grams = _stable_hashes(
            chars[start : start + CHAR_SHINGLE]
            for start in range(max(1, len(chars) - CHAR_SHINGLE + 1))
        )
        found.update(value for value in grams if value % CHAR_SAMPLE == 0)
    return frozenset(found)


def _token(raw: str) -> str:
    return _POSSESSIVE_RE.sub("", raw.rstrip(".-’'"))


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].rstrip(_OPENERS)
    return before[-1:] in _SENTENCE_END if before else start <= 12


def _runs(text: str) -> Iterator[tuple[list[str], bool]]:
    """Runs of capitalised tokens and numbers ("Department of War", "Opus 4.8", "650"), katakana
    runs, each with whether it opens a sentence. Any punctuation between two tokens ends a run.
    """
    run: list[str] = []
    opens = False
    last_end = -1
    for match in _NAME_TOKEN_RE.finditer(text):
        raw = match.group()
        token = _token(raw)
        gap = text[last_end : match.start()]
        joined = last_end >= 0 and gap.strip(" ") == ""
        kind = match.lastgroup if match.lastgroup != "word" else (
            "num" if token[:1].isdigit() else "cap"
        )
        extends = joined and bool(run) and (
            kind in ("cap", "num") or (kind == "low" and token.casefold() in _CONNECTORS)
        )
        if extends:
            run.append(token)
        else:
            if run:
                yield _trim(run), opens
            run = [token] if kind != "low" and token else []
            opens = _at_sentence_start(text, match.start())
            if kind == "kata":
                yield run, False
                run = []
        last_end = match.end()
        if run and raw != token:  # "Anthropic." or "Anthropic’s" closes the run
            yield _trim(run), opens
            run, last_end = [], -1
    if run:
        yield _trim(run), opens


def _trim(run: list[str]) -> list[str]:
    while run and run[-1].casefold() in _CONNECTORS:
        run = run[:-1]
    return run


def name_sequence(title: str, clean: str) -> list[str]:
    """Names in the order they are mentioned: capitalised runs, numbers, katakana runs.

    A capitalised word that opens a sentence is only a name if the text also capitalises it
    mid-sentence ("Anthropic said" counts, "However" and a spinner's "Federal officers" do not).
    """
    runs = list(_runs(f"{title}\n{clean}"))
    mid_sentence = {token for run, opens in runs for token in run[1 if opens else 0 :]}
    names: list[str] = []
    normalized: dict[str, str] = {}  # an article repeats its names: normalise each once
    for run, opens in runs:
        if opens and run and run[0] not in mid_sentence:
            run = _trim_front(run[1:])
        joined = " ".join(run)
        name = normalized.get(joined)
        if name is None:
            name = normalized[joined] = normalize(joined)
        for article in _ARTICLES:
            name = name.removeprefix(article)
        if len(name) < 2 or name in _NOT_NAMES:
            continue  # a lone digit or letter is everywhere; "Fable 5" keeps its digit
        names.append(name)
    return names


def _trim_front(run: list[str]) -> list[str]:
    while run and run[0].casefold() in _CONNECTORS:
        run = run[1:]
    return run


def name_features(sequence: list[str]) -> frozenset[str]:
    """The names, plus each name joined to the next distinct name mentioned (`a→b`)."""
    pairs = {
        f"{first}{ORDER_MARK}{second}"
        for first, second in itertools.pairwise(sequence)
        if first != second
    }
    return frozenset(sequence) | frozenset(pairs)
