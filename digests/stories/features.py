"""The two kinds of evidence a copy keeps: its word sequence, and its names in order (pure).

*Shingles* — hashed word 5-grams for English, character 4-grams for Japanese — survive
re-wrapping but not a synonym spinner, which rewrites one word in three. *Names* — capitalised
runs ("Department of War", "Fable 5"), katakana runs (ハワード・ルットニック) and numbers — survive
the spinner, because spinners only swap dictionary words. Every article on a storyline shares
its core names, so besides the set of names we keep the order they come in: a spun copy
mentions the same names in the same order; another article on the storyline does not.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import operator
import re
from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt

from digests.text import may_hold_kana_or_kanji, normalize

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
_KATAKANA = "\u30a1-\u30fa\u30fc"
_NAME_START = "A-Z0-9\u00c0-\u00de"
_IN_WORD = f"{_LATIN}’'.\\-"
# Written so that every match starts with one character set: the regex engine then skips
# in C to the next character that can open a token, where alternatives led by look-behinds
# made it try every position. What each token kind is follows that first character (the
# three sets are disjoint) and ends in an empty group naming the kind, for `lastgroup`;
# `(?<![…].)` is the look-behind of the character before the first. Tested against the
# plain form, `kata` = [ァ-ヺー][ァ-ヺー・]{2,} | (?<![…]) ( `word` = [A-Z0-9À-Þ][…]* |
# `low` = (of|de|del|von|van|der|la|al|bin)(?![…]) ).
_NAME_TOKEN_RE = re.compile(
    rf"[{_KATAKANA}{_NAME_START}odvlab]"
    rf"(?:(?<=[{_KATAKANA}])[{_KATAKANA}\u30fb]{{2,}}(?P<kata>)"
    rf"|(?<=[{_NAME_START}])(?<![{_IN_WORD}].)(?:[{_IN_WORD}]|,(?=\d{{3}}))*(?P<word>)"
    rf"|(?<![{_IN_WORD}].)(?:(?<=o)f|(?<=d)e|(?<=d)el|(?<=v)on|(?<=v)an|(?<=d)er|(?<=l)a"
    rf"|(?<=a)l|(?<=b)in)(?![{_IN_WORD}])(?P<low>))"
)
_POSSESSIVES = ("’s", "'s")
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


# `stable_hash` without a Python call per value: the constructor bound to its digest size, and
# the digest taken, by C callables that `map` can drive (an article has hundreds of shingles,
# and the per-value Python call, encode and `int.from_bytes` cost as much as the hashing).
_BLAKE2B_8 = functools.partial(hashlib.blake2b, digest_size=8)
_DIGEST = operator.methodcaller("digest")
_BIG_ENDIAN_U64 = np.dtype(">u8")


def _stable_hash_array(values: Iterable[bytes]) -> npt.NDArray[np.uint64]:
    """`stable_hash` of each UTF-8 value, in order (duplicates kept), as native uint64."""
    digests = b"".join(map(_DIGEST, map(_BLAKE2B_8, values)))
    return np.frombuffer(digests, dtype=_BIG_ENDIAN_U64).astype(np.uint64)


def shingle_hashes(clean: str) -> npt.NDArray[np.uint64]:
    """The hashes `shingles` makes a set of, as an array that may repeat values: MinHash
    takes minima, which repeats do not change, so the signature needs no set."""
    text = normalize(clean)
    # Each word encoded once, the shingles joined as bytes: UTF-8 of " ".join(words) is
    # b" ".join of the words' UTF-8, so the hashes are those of the joined text.
    words = list(map(str.encode, _LATIN_WORD_RE.findall(text)))
    if len(words) >= WORD_SHINGLE:  # every run of five words, joined in C
        shifted = (words[offset:] for offset in range(WORD_SHINGLE))
        found = _stable_hash_array(map(b" ".join, zip(*shifted, strict=False)))
    else:  # a text shorter than one shingle is one shingle
        found = _stable_hash_array([b" ".join(words)] if words else [])
    chars = "".join(_CJK_CHAR_RE.findall(text)).encode() if may_hold_kana_or_kanji(text) else b""
    if chars:
        # Every character of `_CJK` takes three bytes in UTF-8: a gram of four characters
        # is twelve bytes from a multiple of three.
        width = 3 * CHAR_SHINGLE
        grams = _stable_hash_array(
            chars[start : start + width]
            for start in range(0, max(3, len(chars) - width + 3), 3)
        )
        found = np.concatenate((found, grams[grams % CHAR_SAMPLE == 0]))
    return found


def shingles(clean: str) -> frozenset[int]:
    """Hashed word 5-grams of the Latin-script text plus sampled Japanese character 4-grams."""
    return frozenset(shingle_hashes(clean).tolist())


def _token(raw: str) -> str:
    token = raw.rstrip(".-’'")  # then a possessive "’s" goes (a token holds no newline)
    return token[:-2] if token.endswith(_POSSESSIVES) else token


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
