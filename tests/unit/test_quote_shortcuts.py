"""The quote extractor's shortcuts find what the plain scans find (issue 14).

Quotation marks are found by jumping between opening marks, quotations are masked by
slicing, `mentions` skips aliases whose first word the passage lacks, the entity tables are
built once per set of entities, and the colon-introduced blocks are only looked for where a
colon is. Each check compares with the plain version, on our own English and Japanese
paragraphs and on the paragraphs of the real seed documents in ../shared/seeds (read at
test time, never copied).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digests.models import Entity
from digests.quotes import english
from digests.quotes.names import Resolved, SpeakerBook, _word_re
from digests.quotes.spans import (
    _ABBREV_RE,
    _MIXED,
    _OPEN_CLOSE,
    _SINGLE_CLOSE_RE,
    Span,
    find_spans,
    mask,
)
from digests.timeline.layout import _QUOTE_LEAD, quoted_spans

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

PARAGRAPHS = [
    "",
    "No quotation at all in this plain sentence.",
    "“We will reopen the pier on Friday,” the harbour master said. “Not before.”",
    "The mayor called the plan “a mistake” and said: The council will vote again.",
    "He is 6\"2 and \"very tall\", his coach said, adding ‘it’s fine’ with a ‘wink’.",
    "Copy-edited text mixes “curly and straight\" marks, “nested “inner” ones” too.",
    "An unclosed “quotation runs to the end of the paragraph",
    "An unclosed \"straight one does not",
    "Dr. Lee wrote in a blog post: The U.S. team will leave. Sen. Park agreed.",
    "市長は「桟橋は金曜日に再開する」と述べた。『確認中』とも話した。",
    "社長は「新しい「計画」を来月発表する」と語った。",
    "Mixed: 大臣は「年内に決める」と述べ, adding “we are close.”",
    "‘Single quotes’ open here, and rock ’n’ roll ‘stays’ inside.",
]

ENTITIES = (
    Entity(name="Harbour Authority", aliases=("the authority", "港湾局"), kind="organization"),
    Entity(name="Dana Whitlock", aliases=("Whitlock", "ダナ・ウィットロック"), kind="person"),
    Entity(name="Kenji Mori", aliases=("森健二",), kind="person"),
    Entity(name="Orion 7", kind="product"),
)


def _reference_find_spans(paragraph: str) -> list[Span]:
    spans: list[Span] = []
    i = 0
    n = len(paragraph)
    while i < n:
        ch = paragraph[i]
        if ch not in _OPEN_CLOSE or (ch == "‘" and i > 0 and paragraph[i - 1].isalnum()):
            i += 1
            continue
        if (ch == '"' and i > 0 and paragraph[i - 1].isalnum() and i + 1 < n
                and paragraph[i + 1].isalnum()):
            i += 1
            continue
        close = _reference_close(paragraph, i, ch)
        if close < 0:
            if ch in "“「":
                spans.append(Span(i, n, paragraph[i + 1 :], closed=False))
                break
            i += 1
            continue
        spans.append(Span(i, close + 1, paragraph[i + 1 : close]))
        i = close + 1
    return spans


def _reference_close(paragraph: str, start: int, opener: str) -> int:
    if opener == "‘":
        match = _SINGLE_CLOSE_RE.search(paragraph, start + 1)
        return match.start() if match else -1
    closer = _OPEN_CLOSE[opener]
    closers = {closer, _MIXED.get(opener, closer)}
    depth = 0
    for j in range(start + 1, len(paragraph)):
        ch = paragraph[j]
        if ch in closers and depth == 0:
            return j
        if opener != closer and ch == opener:
            depth += 1
        elif ch == closer:
            depth -= 1
    return -1


def _reference_mask(paragraph: str, spans: list[Span]) -> str:
    chars = list(_ABBREV_RE.sub(lambda m: m.group(0).replace(".", "_"), paragraph))
    for span in spans:
        stop = span.end - 1 if span.closed else span.end
        for k in range(span.start + 1, stop):
            chars[k] = "x"
    return "".join(chars)


def _reference_mentions(book: SpeakerBook, text: str) -> list[tuple[int, Resolved]]:
    import unicodedata

    found: list[tuple[int, Resolved]] = []
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) != len(text):
        folded = text.casefold()
    for alias, entity in book._alias.items():
        found.extend((m.start(), Resolved(entity.name, entity.kind))
                     for m in _word_re(alias).finditer(folded))
    for surname, person in book._surname.items():
        found.extend((m.start(), Resolved(person, "person"))
                     for m in _word_re(surname).finditer(folded))
    return sorted(found, key=lambda pair: pair[0])


def _paragraphs() -> list[str]:
    own = [
        *PARAGRAPHS,
        "The Harbour Authority said Whitlock met Dana  Whitlock and the authority on Friday.",
        "港湾局によると、ダナ・ウィットロック氏と森健二氏が Orion 7 について協議した。",
        "ＤＡＮＡ　ＷＨＩＴＬＯＣＫ said nothing; whitlockian prose is not her name.",
    ]
    if not SEEDS.is_dir():
        return own
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    return own + [line.strip() for text in seeds for line in text.splitlines() if line.strip()]


def test_the_seeds_are_read_when_present() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not present beside the repository")
    assert len(_paragraphs()) > len(PARAGRAPHS) + 50


def test_spans_and_masks_are_the_character_scan_s() -> None:
    for paragraph in _paragraphs():
        spans = find_spans(paragraph)
        assert spans == _reference_find_spans(paragraph), paragraph
        assert mask(paragraph, spans) == _reference_mask(paragraph, spans), paragraph


def test_mask_of_spans_out_of_order_is_the_character_scan_s() -> None:
    paragraph = "“One,” she said, “two,” and “three.”"
    spans = find_spans(paragraph)
    assert len(spans) == 3
    shuffled = [spans[2], spans[0], spans[1], spans[0]]
    assert mask(paragraph, shuffled) == _reference_mask(paragraph, shuffled)


def test_gated_mentions_are_every_alias_s_mentions() -> None:
    for paragraph in _paragraphs():
        book = SpeakerBook(ENTITIES, paragraph)
        assert book.mentions(paragraph) == _reference_mentions(book, paragraph), paragraph


def test_entity_tables_are_shared_but_each_text_keeps_its_own_names() -> None:
    first = SpeakerBook(ENTITIES, "Dana Whitlock spoke. Lena Marsh replied.")
    second = SpeakerBook(ENTITIES, "Nobody new here.")
    assert first._alias is second._alias
    assert first._surname["whitlock"] == "Dana Whitlock"
    assert first._surname["mori"] == "Kenji Mori"
    assert "marsh" in first._introduced and "marsh" not in second._introduced


def test_colon_patterns_only_match_where_a_colon_is() -> None:
    """The premise of skipping them on colon-free text: every match holds a colon."""
    matched = 0
    for paragraph in _paragraphs():
        masked = mask(paragraph, find_spans(paragraph))
        for pattern in (english.INLINE_COLON, english.MEDIUM_COLON, _QUOTE_LEAD):
            for found in pattern.finditer(masked):
                assert ":" in found.group()
                matched += 1
    assert matched >= 2


def test_quoted_spans_without_a_colon_skip_the_lead_scan_only() -> None:
    line = "“We are close,” the minister said, and she repeated it in \"plain\" words."
    plain = line.index('"')
    assert quoted_spans(line) == [(0, line.index("”")), (plain, plain + len('"plain"'))]
    introduced = "He said: “Done.”"
    assert quoted_spans(introduced) == [(9, len(introduced)), (9, len(introduced) - 1)]
