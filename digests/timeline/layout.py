"""How an item's text is laid out: wrapped lines, cut-off fragments, quoted passages (pure).

Feeds hard-wrap paragraphs and aggregators cut sentences short, so a line is not always a
sentence: "The controls imposed on June 12" / "were lifted on June 26 …" is one sentence, and
"…were lifted on June 26" has lost its subject and cannot describe an event on its own.
Quoted passages speak from the quoted author's day, not the publication's: "we received the
directive today", block-quoted from a post written days earlier, is not the article's today.
"""

from __future__ import annotations

import re

# A line that stops without closing a sentence, followed by one that starts in lower case.
_UNFINISHED = re.compile(r"[.!?:;。！？」”\"')\]…]$")
_LOWER_START = re.compile(r"^[a-z]")
# A sentence that starts mid-way: an ellipsis, or a lower-case word with no capital inside
# ("were lifted …"; "iPhone" and "eBay" are names, not fragments).
_FRAGMENT = re.compile(r"^[\s\"'“‘(\[]*(?:…|\.\.\.|[a-z][a-z'’-]*(?![A-Za-z'’-]))")
# "Anthropic wrote in a blog post: …": the rest of the paragraph is the post's own words.
_QUOTE_LEAD = re.compile(
    r"(?i)\b(?:wrote|writes|said|says|stated|states|posted|posts|announced|added|explained|"
    r"noted|tweeted|told\s+\w+)\b[^:.!?\"“]{0,60}:\s"
)
_QUOTE_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"))
_STRAIGHT_QUOTE = re.compile(r'"[^"]*"')


def join_wrapped(text: str) -> str:
    """Glue hard-wrapped lines back into the paragraph they came from."""
    joined: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if (
            joined
            and joined[-1]
            and _LOWER_START.match(stripped)
            and not _UNFINISHED.search(joined[-1])
        ):
            joined[-1] = f"{joined[-1]} {stripped}"
        else:
            joined.append(stripped)
    return "\n".join(joined)


def is_fragment(sentence: str) -> bool:
    """A piece of a sentence whose start was cut off: it cannot stand as a description."""
    return bool(_FRAGMENT.match(sentence))


def quoted_spans(line: str) -> list[tuple[int, int]]:
    """Character ranges of a line that are someone else's words (quotes, block quotes)."""
    spans: list[tuple[int, int]] = []
    lead = _QUOTE_LEAD.search(line) if ":" in line else None  # it ends on a colon
    if lead:
        spans.append((lead.end(), len(line)))
    for opening, closing in _QUOTE_PAIRS:
        start = line.find(opening)
        while start != -1:
            end = line.find(closing, start + 1)
            stop = len(line) if end == -1 else end
            spans.append((start, stop))
            start = line.find(opening, stop + 1) if end != -1 else -1
    spans.extend((found.start(), found.end()) for found in _STRAIGHT_QUOTE.finditer(line))
    return spans
