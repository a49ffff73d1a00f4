"""Direct quotations and their speakers, from one item's text (pure, no I/O).

One pass over the paragraphs: a block-quote intro line takes the paragraph after it, a
`Name: text` line is a quotation of its own, and every other paragraph has its quotation marks
paired, masked and read clause by clause (`english.py`, `japanese.py`). Speakers come back
canonical (`names.py`); stand-ins such as "he" or "the company" resolve only when the passage
leaves one candidate (`context.py`). Precision comes first throughout: unsure means None.

A quotation under four words is a partial quote when a clause of its own sentence names who
said it ("Ortiz called the plan “a disaster”", issue 9) and is listed with that speaker; with
no such clause (a scare quote, a nickname) or only a speaker borrowed from the quotation
before it, it is not listed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from digests.models import Entity, ExtractedQuote
from digests.quotes import english, japanese
from digests.quotes.context import nobody_else, resolve_pronoun
from digests.quotes.lines import (
    block_body,
    block_intro,
    is_line_shaped,
    is_role_line,
    speaker_line,
)
from digests.quotes.names import SpeakerBook
from digests.quotes.spans import (
    Span,
    clean_quote,
    find_spans,
    is_substantial,
    looks_like_title,
    mask,
    sentence_bounds,
    sentence_of,
)
from digests.quotes.speakers import resolve_japanese, resolve_speaker


@dataclass
class _Found:
    """A quotation in a paragraph, with what continuation rules need to know about it."""

    quote: str
    speaker: str | None
    style: str
    span: Span
    sentence: tuple[int, int]
    # A short quotation ("“We’re neighbours,” Ode said.") is not listed, but its speaker
    # still carries on to the quotation after it.
    short: bool = False


def extract_quotes(text: str, entities: Sequence[Entity] = ()) -> list[ExtractedQuote]:
    """Every substantial direct quotation in `text`, with a canonical speaker or None."""
    book = SpeakerBook(entities, text)
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    results: list[ExtractedQuote] = []
    carried: str | None = None
    i = 0
    while i < len(paragraphs):
        paragraph = paragraphs[i]
        intro = block_intro(paragraph)
        if intro is not None and i + 1 < len(paragraphs):
            speaker = resolve_speaker(intro, paragraph, paragraphs[:i], "", "", book)
            body, after = block_body(paragraphs, i + 1)
            if speaker is not None and is_substantial(body) and not _is_attributed(body):
                results.append(ExtractedQuote(body, speaker.name, "block"))
                carried = None
                i = after
                continue
        line = speaker_line(paragraph, book, _in_roundup(paragraphs, i, book))
        if line is not None:
            name = line.speaker.name if line.speaker else None
            results.append(ExtractedQuote(line.quote, name, line.style))
            carried = None
        else:
            quotes, carried = _paragraph_quotes(paragraph, paragraphs[:i], book, carried)
            results.extend(quotes)
        i += 1
    return _deduplicate(results)


def _in_roundup(paragraphs: Sequence[str], i: int, book: SpeakerBook) -> bool:
    """A line beside a `Name (Role): text` quotation belongs to a roundup of reactions."""
    if not is_line_shaped(paragraphs[i]):
        return False
    return any(is_role_line(paragraphs[j], book) for j in (i - 1, i + 1)
               if 0 <= j < len(paragraphs))


def _is_attributed(paragraph: str) -> bool:
    """A paragraph that carries its own attribution is not the body of the intro above it."""
    spans = find_spans(paragraph)
    if not spans:
        return False
    masked = mask(paragraph, spans)
    tail = masked[spans[0].end :]
    return english.tail_clause(tail, spans[0].text) is not None


def _paragraph_quotes(
    paragraph: str, earlier: Sequence[str], book: SpeakerBook, carried: str | None = None
) -> tuple[list[ExtractedQuote], str | None]:
    """The paragraph's quotations, and the speaker a following quote-only paragraph
    continues (`carried`): the last one quoted here, when nobody else is named after it."""
    spans = find_spans(paragraph)
    masked = mask(paragraph, spans)
    bounds = sentence_bounds(masked, spans)
    found: list[_Found] = []
    for span in spans:
        quote = clean_quote(span.text)
        sentence = sentence_of(bounds, span.start)
        head = masked[sentence[0] : span.start]
        if looks_like_title(quote) or english.is_title_context(head):
            continue
        short = not is_substantial(quote)
        previous = _previous_sentence(masked, bounds, sentence, earlier)
        tail = masked[span.end : sentence[1]] if span.closed else ""
        ctx = _Context(paragraph, earlier, previous, head, book)
        if paragraph[span.start] in "「『" or japanese.quote_verb(tail):
            speaker, style = _japanese(tail, ctx)
        else:
            speaker, style = _english(tail, masked[sentence[0] : sentence[1]], span, ctx)
        before = found[-1] if found else None
        if before is not None and before.speaker is not None and speaker in (None, before.speaker):
            gap = masked[before.span.end : span.start]
            if gap.rstrip().endswith(",") and quote[:1].islower() and "x" not in gap:
                # “If this standard was applied,” Anthropic wrote, “we believe …”: one quote.
                before.quote = f"{before.quote}, {quote}"
                before.span = span
                before.short = not is_substantial(before.quote)
                continue
        if speaker is None and before is not None and before.speaker is not None:
            gap = masked[before.span.end : span.start]
            if not gap.strip() or (not head.strip() and before.sentence[1] == sentence[0]):
                speaker, style = before.speaker, "split"
        if speaker is None and before is not None and before.speaker is not None:
            gap = masked[before.span.end : span.start]
            if (before.sentence == sentence and english.PARTICIPLE_RE.search(gap)
                    and nobody_else(gap, before.speaker, book)):
                # “…,” Hannity said on his show, remarking that there are “…”
                speaker, style = before.speaker, "participle"
        if speaker is None and _stands_alone(head, tail):
            speaker, style = _continued(span, found, masked, previous, carried, ctx)
        found.append(_Found(quote, speaker, style, span, sentence, short))
    found.extend(_inline_blocks(paragraph, masked, bounds, spans, earlier, book))
    quotes = [ExtractedQuote(f.quote, f.speaker, f.style) for f in found
              if not f.short or (f.speaker is not None and f.style not in _BORROWED)]
    return quotes, _carried_on(found, masked, book)


_BORROWED = frozenset({"split", "continued"})
# After the verb: the end of the sentence, perhaps with a day ("Hale said Tuesday.").
_SENTENCE_DONE_RE = re.compile(r"^(?:\s+(?:on\s+)?[A-Z][a-z]+day)?\s*[.!]?\s*$")
_ONLY_PUNCTUATION_RE = re.compile(r"^[\s.,;:!?…—–\-()\[\]]*$")


def _stands_alone(head: str, tail: str) -> bool:
    """The quotation is a sentence of its own: nothing before it, only punctuation after."""
    return bool(_ONLY_PUNCTUATION_RE.match(head)) and bool(_ONLY_PUNCTUATION_RE.match(tail))


def _continued(
    span: Span,
    found: Sequence[_Found],
    masked: str,
    previous: str,
    carried: str | None,
    ctx: _Context,
) -> tuple[str | None, str]:
    """A quotation standing alone as a sentence goes on with the speaker just quoted, or the
    one the sentence before introduces ("Bystrom agreed."), when nobody else intervenes."""
    intro = english.intro_sentence(previous)
    if intro is not None:
        resolved = resolve_speaker(intro.speaker, ctx.paragraph, ctx.earlier, "", "", ctx.book)
        if resolved is not None:
            return resolved.name, "continued"
    attributed = [f for f in found if f.speaker is not None]
    if attributed:
        last = attributed[-1]
        between = masked[last.span.end : span.start]
        if nobody_else(between, last.speaker, ctx.book):
            return last.speaker, "continued"
        return None, "none"
    if carried is not None and not found and not masked[: span.start].strip():
        return carried, "continued"
    return None, "none"


def _carried_on(found: Sequence[_Found], masked: str, book: SpeakerBook) -> str | None:
    """The speaker a next paragraph made only of a quotation continues: the paragraph's last
    quotation was theirs, and nothing after it names another person."""
    if not found or found[-1].speaker is None:
        return None
    last = found[-1]
    after = masked[last.span.end :]
    return last.speaker if nobody_else(after, last.speaker, book) else None


@dataclass(frozen=True)
class _Context:
    paragraph: str
    earlier: Sequence[str]
    previous: str
    head: str
    book: SpeakerBook


def _english(tail: str, sentence: str, span: Span, ctx: _Context) -> tuple[str | None, str]:
    """The first clause around the quotation whose speaker resolves to someone: a tail clause
    naming no one ("… said Nunberg was “…”") leaves the head clause to try."""
    clauses = (
        english.tail_clause(tail, span.text),
        *english.head_clauses(ctx.head),
        english.sentence_end_clause(tail),
        english.according_clause(sentence),
    )
    style = "none"
    for clause in clauses:
        if clause is None:
            continue
        resolved = resolve_speaker(clause.speaker, ctx.paragraph, ctx.earlier, ctx.previous,
                                   ctx.head, ctx.book, products=True)
        loose = clause.style in ("subject-colon", "coordinated")
        if resolved is not None and loose and not nobody_else(ctx.head, resolved.name,
                                                               ctx.book):
            resolved = None  # "Trump told Clinton:" could introduce either of them
        if resolved is not None:
            return resolved.name, clause.style
        style = clause.style if style == "none" else style
    lone = _lone_surname_after(tail, clauses[0], ctx.book)
    if lone is not None:
        return lone, "after"
    return None, style


def _lone_surname_after(tail: str, clause: english.Clause | None, book: SpeakerBook) -> str | None:
    """`“…,” Hale said.`: one word right after the quotation, then the verb, then the end of
    the sentence; a surname the article has not otherwise introduced."""
    if clause is None or clause.style != "after" or " " in clause.speaker:
        return None
    rest = tail.lstrip(" ,—–")
    if not rest.startswith(clause.speaker) or not _SENTENCE_DONE_RE.match(tail[clause.end:]):
        return None
    resolved = book.lone_surname(clause.speaker)
    return resolved.name if resolved is not None else None


def _japanese(tail: str, ctx: _Context) -> tuple[str | None, str]:
    verb = japanese.quote_verb(tail)
    chunks: list[str] = []
    if verb is not None and verb.speaker:
        chunks.append(verb.speaker)
    elif verb is not None:
        chunks.extend(japanese.topic_speakers(ctx.head))
    else:
        right_before = japanese.topic_right_before(ctx.head)
        if right_before is None:
            return None, "none-ja"
        chunks.append(right_before)
    for chunk in chunks:
        resolved = resolve_japanese(chunk, ctx.paragraph, ctx.earlier, ctx.previous, ctx.head,
                                    ctx.book, products=verb is not None)
        if resolved is not None:
            return resolved.name, "ja-after" if verb and verb.speaker else "ja-topic"
    if verb is not None and not chunks:
        # Subject dropped: the one person named in the sentence before, if only one.
        resolved = resolve_pronoun(ctx.previous, ctx.head, ctx.book)
        if resolved is not None:
            return resolved.name, "ja-zero"
    return None, "none-ja"


def _previous_sentence(
    masked: str, bounds: list[tuple[int, int]], sentence: tuple[int, int], earlier: Sequence[str]
) -> str:
    index = bounds.index(sentence) if sentence in bounds else 0
    if index > 0:
        start, end = bounds[index - 1]
        return masked[start:end]
    if not earlier:
        return ""
    last = earlier[-1]
    last_spans = find_spans(last)
    last_bounds = sentence_bounds(mask(last, last_spans), last_spans)
    return last[last_bounds[-1][0] :] if last_bounds else last


def _inline_blocks(
    paragraph: str,
    masked: str,
    bounds: list[tuple[int, int]],
    spans: list[Span],
    earlier: Sequence[str],
    book: SpeakerBook,
) -> list[_Found]:
    """`Anthropic wrote in a blog post: The US government …` — the sentence after the colon."""
    found: list[_Found] = []
    if ":" not in masked:  # both patterns end on a colon: nothing to scan for
        return found
    matches = [*english.INLINE_COLON.finditer(masked), *english.MEDIUM_COLON.finditer(masked)]
    for match in matches:
        start = match.end()
        if any(s.start <= start < s.end for s in spans):
            continue
        sentence = sentence_of(bounds, start)
        quote = clean_quote(paragraph[start : sentence[1]])
        if not is_substantial(quote):
            continue
        resolved = resolve_speaker(match.group("speaker"), paragraph, earlier, "", "", book)
        if resolved is not None:
            found.append(_Found(quote, resolved.name, "block", Span(start, sentence[1], quote),
                                sentence))
    return found


def _deduplicate(quotes: list[ExtractedQuote]) -> list[ExtractedQuote]:
    """One entry per quotation text; an attributed copy beats an unattributed one."""
    kept: dict[str, ExtractedQuote] = {}
    for quote in quotes:
        norm = re.sub(r"\W+", " ", quote.quote.casefold()).strip()
        if norm not in kept or (kept[norm].speaker is None and quote.speaker is not None):
            kept[norm] = quote
    return list(kept.values())
