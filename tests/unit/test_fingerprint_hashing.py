"""The fast shingle hashing and MinHash give the values a plain loop gives (issue 14).

Stored fingerprints and band keys must not change when the hashing gets faster: each check
compares the engine with a reference written the obvious way (one `stable_hash` per shingle,
one Python-integer MinHash per seed), on our own English and Japanese sentences and on the
real seed documents in ../shared/seeds (read at test time, never copied).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from digests.matching.terms import fold_apostrophes
from digests.stories.cleaning import clean_body
from digests.stories.features import (
    _CJK_CHAR_RE,
    _LATIN_WORD_RE,
    _NAME_TOKEN_RE,
    CHAR_SAMPLE,
    CHAR_SHINGLE,
    WORD_SHINGLE,
    shingle_hashes,
    shingles,
    stable_hash,
)
from digests.stories.minhash import TEXT_BANDS, TEXT_ROWS, _seeds, band_keys
from digests.text import may_hold_kana_or_kanji, normalize

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
_MASK = (1 << 64) - 1

TEXTS = [
    "",
    "Too short.",
    "Exactly five words here now",
    "The harbour authority reopened the northern pier on Friday after repairs to its cranes, "
    "and shipping lines said the first container vessels would dock within the week.",
    "Café owners in Zürich say the new rules are “unworkable” — and plan to appeal; "
    "the canton's office did not reply.",
    "市議会は3日、新しい図書館の建設計画を承認した。工事は来年春に始まる見込みだ。",
    "ソフトウェア大手のアークライトは、Orion 7 の提供を欧州で再開したと発表した。",
    "短い",
    "東京",
    "Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ text with ﾊﾝｶｸ katakana and the usual words around it.",
    "Mixed lines: the ministry said on Tuesday.\n政府は昨日、方針を変えないと述べた。\n"
    "More English follows here, with enough words to make several shingles of five.",
]


def _reference_shingles(clean: str) -> frozenset[int]:
    text = normalize(clean)
    words = _LATIN_WORD_RE.findall(text)
    found: set[int] = set()
    if len(words) >= WORD_SHINGLE:
        for start in range(len(words) - WORD_SHINGLE + 1):
            found.add(stable_hash(" ".join(words[start : start + WORD_SHINGLE])))
    elif words:
        found.add(stable_hash(" ".join(words)))
    chars = "".join(_CJK_CHAR_RE.findall(text))
    if chars:
        for start in range(max(1, len(chars) - CHAR_SHINGLE + 1)):
            value = stable_hash(chars[start : start + CHAR_SHINGLE])
            if value % CHAR_SAMPLE == 0:
                found.add(value)
    return frozenset(found)


def _mix(value: int) -> int:
    value ^= value >> 33
    value = (value * 0xFF51AFD7ED558CCD) & _MASK
    value ^= value >> 33
    value = (value * 0xC4CEB9FE1A85EC53) & _MASK
    return value ^ (value >> 33)


def _reference_band_keys(
    hashes: frozenset[int], label: str, bands: int, rows: int
) -> tuple[str, ...]:
    if not hashes:
        return ()
    seeds = [int(seed) for seed in _seeds(label, bands * rows)]
    minima = [min(_mix(value ^ seed) for value in hashes) for seed in seeds]
    keys = []
    for band in range(bands):
        chunk = b"".join(v.to_bytes(8, "little") for v in minima[band * rows : (band + 1) * rows])
        keys.append(f"{label}{band}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return tuple(keys)


def _seed_texts() -> list[str]:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not present beside the repository")
    return [clean_body(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]


@pytest.mark.parametrize("text", TEXTS)
def test_shingles_are_the_plain_loop_s_hashes(text: str) -> None:
    assert shingles(text) == _reference_shingles(text)
    assert frozenset(shingle_hashes(text).tolist()) == _reference_shingles(text)


@pytest.mark.parametrize("text", TEXTS)
def test_band_keys_of_the_hash_array_are_the_reference_keys(text: str) -> None:
    reference = _reference_band_keys(_reference_shingles(text), "t", TEXT_BANDS, TEXT_ROWS)
    assert band_keys(shingle_hashes(text), label="t", bands=TEXT_BANDS, rows=TEXT_ROWS) == (
        reference
    )
    # A set of Python integers (the name keys' path) gives the same keys as the array.
    assert band_keys(iter(_reference_shingles(text)), label="t", bands=TEXT_BANDS,
                     rows=TEXT_ROWS) == reference


def test_seed_documents_hash_as_the_plain_loop_does() -> None:
    texts = _seed_texts()
    assert texts
    for text in texts:
        reference = _reference_shingles(text)
        assert len(reference) > 100
        assert shingles(text) == reference
        assert band_keys(shingle_hashes(text), label="t", bands=TEXT_BANDS,
                         rows=TEXT_ROWS) == _reference_band_keys(reference, "t", TEXT_BANDS,
                                                                 TEXT_ROWS)


def test_features_counted_in_c_are_the_loop_s_in_its_order() -> None:
    from collections import Counter

    from digests.matching.similarity import (
        _JA_RUN_RE,
        _WORD_RE,
        STOPWORDS,
        normalized_features,
        stem,
    )

    def reference(normalized: str) -> Counter[str]:
        found: Counter[str] = Counter()
        for word, count in Counter(_WORD_RE.findall(normalized)).items():
            if len(word) > 2 and word not in STOPWORDS and not word.isdigit():
                found[stem(word)] += count
        for run in _JA_RUN_RE.findall(normalized):
            for i in range(len(run) - 1):
                found[run[i : i + 2]] += 1
        return found

    texts = [normalize(text) for text in TEXTS]
    texts += ["controls control controlled 2026 lifting lifted the and access business"]
    for text in texts + [normalize(seed) for seed in _seed_texts()]:
        expected = reference(text)
        got = normalized_features(text)
        assert list(got.items()) == list(expected.items())


_PLAIN_NAME_TOKEN_RE = re.compile(
    r"(?P<kata>[\u30a1-\u30fa\u30fc][\u30a1-\u30fa\u30fc\u30fb]{2,})"
    r"|(?<![A-Za-z0-9\u00c0-\u024f’'.\-])(?:(?P<word>[A-Z0-9\u00c0-\u00de]"
    r"(?:[A-Za-z0-9\u00c0-\u024f’'.\-]|,(?=\d{3}))*)"
    r"|(?P<low>(?:of|de|del|von|van|der|la|al|bin)(?![A-Za-z0-9\u00c0-\u024f’'.\-])))"
)
NAME_TEXTS = [
    "The Department of War met Anthropic’s CEO, and 4,200 staff of de la Cruz & van der Berg.",
    "Opus 4.8 and Fable 5.5 beat O'Brien-Smith; the U.S. and Él Niño von Bülow bin Salman al-Asad.",
    "ofa deo del. Von van der la al bin: of, de; 1,234,567 and 12,34 or 6.5%.",
    "ハワード・ルットニック長官とアマゾンのアンディ・ジャシー氏、ソフトウェア大手アークライト。",
    "Ab aB AB x1 1x — “Quoted Name” (Bracketed Org) ‘Single’ A.B.C. Corp.’s",
    "",
]


def test_name_tokens_are_the_plain_pattern_s() -> None:
    texts = NAME_TEXTS + TEXTS
    if SEEDS.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    for text in texts:
        got = [(m.start(), m.end(), m.lastgroup) for m in _NAME_TOKEN_RE.finditer(text)]
        plain = [(m.start(), m.end(), m.lastgroup) for m in _PLAIN_NAME_TOKEN_RE.finditer(text)]
        assert got == plain, text[:80]
        assert got or not _PLAIN_NAME_TOKEN_RE.search(text)


def test_inner_apostrophes_are_the_plain_pattern_s() -> None:
    plain = re.compile(r"(?<=[^\W\d_])['’ʼ‘`](?=[^\W\d_s]|[^\W\d_]{2})")
    texts = [*TEXTS, *NAME_TEXTS, "Sana'a, al-Qa’ida, O‘Brien, Ba`ath, Saleh's, rock 'n' roll",
             "'a' 1'2 x'1 ab'c ab's ab'ss é'é 'start end'"]
    if SEEDS.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    for text in texts:
        assert fold_apostrophes(text) == plain.sub("", text)


@pytest.mark.parametrize(
    "char", ["\u3040", "\u3041", "あ", "ア", "ー", "・", "\u30ff", "\u3400", "漢", "\u9fff"]
)
def test_kana_and_kanji_are_always_seen(char: str) -> None:
    assert may_hold_kana_or_kanji(f"English text with one {char} inside")
    assert may_hold_kana_or_kanji(f"“curly” — and {char}")


@pytest.mark.parametrize(
    "text", ["plain ascii", "“curly” quotes — dashes … ellipsis", "Café Zürich ĳ", "\u303f",
             "\ua000", "ＡＢＣ full width", "\uff66 half-width ｦ", "emoji 🚀", "\ud800 lone"]
)
def test_text_without_kana_or_kanji_is_told_apart(text: str) -> None:
    assert not _CJK_CHAR_RE.search(text)
    # Only a lead byte of U+3000–U+9FFF may answer True; these hold none below U+A000.
    expected = any("\u3000" <= char <= "\u9fff" for char in text)
    assert may_hold_kana_or_kanji(text) is expected


def test_furniture_lines_are_the_plain_check_s() -> None:
    from digests.stories import cleaning

    def plain(line: str, title: str) -> bool:
        words = len(cleaning._WORD_RE.findall(line))
        if cleaning._FURNITURE_RE.match(line):
            return True
        if title and line.casefold() == title.casefold():
            return True
        if cleaning._EMOJI_RE.search(line) and words <= cleaning._EMOJI_LINE_WORDS:
            return True
        return words <= cleaning._HEADER_WORDS and bool(cleaning._AGE_RE.search(line))

    lines = ["Harbour News Grade 8 3h ago", "🔥 Follow us for more! 🚀", "Read more", "2時間前",
             "Posted 5 minutes ago by the desk", "The title", "A long line without any age "
             "or emoji in it that goes on for more than fourteen words in all of its length.",
             "🚀 " + "word " * 20, "12 comments", "市場ニュース 3日前"]
    lines += [line for text in TEXTS + NAME_TEXTS for line in text.splitlines()]
    if SEEDS.is_dir():
        lines += [line for path in sorted(SEEDS.glob("*.txt"))
                  for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        for title in ("", "The title"):
            assert cleaning._is_furniture(line, title) == plain(line, title), line
