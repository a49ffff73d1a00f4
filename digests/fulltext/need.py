"""Whether an entry needs its linked page, and whether that page could matter (pure).

Most feeds carry a title and a sentence or two; the article is behind the link (issue 11).
Fetching costs the publisher a request and us a parse, so a page is fetched only when the
entry's own text is short or reads as a teaser, and only when a storyline might match it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Under this many words an entry is a summary, not an article (a news lead alone is ~40).
SHORT_WORDS = 150
# Japanese has no spaces: about two characters make a word's worth of content.
_CHARS_PER_JA_WORD = 2
_LATIN_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# How feeds end a cut-off summary: an ellipsis, "[…]", "Read more", 続きを読む.
_TEASER_END = re.compile(
    r"(\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading|full story|続きを読む|続きは|"
    r"もっと見る|全文を読む)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageNeed:
    """The decision and its reason, shown by `storyline explain` when nothing was fetched."""

    fetch: bool
    reason: str


def word_count(text: str) -> int:
    """Latin words plus CJK characters counted at about two per word."""
    return len(_LATIN_WORD.findall(text)) + len(_CJK.findall(text)) // _CHARS_PER_JA_WORD


def looks_like_teaser(text: str) -> bool:
    return bool(_TEASER_END.search(text.strip()))


def page_need(mode: str, url: str | None, text: str, *, can_matter: bool) -> PageNeed:
    """`mode` is the feed's `full_text` setting; `can_matter` says a storyline's terms appear
    in the title or summary (a page no storyline can match is not worth a request)."""
    if not url or not url.startswith(("http://", "https://")):
        return PageNeed(False, "no web link")
    if mode == "never":
        return PageNeed(False, "full_text is never for this feed")
    if mode == "always":
        return PageNeed(True, "full_text is always for this feed")
    words = word_count(text)
    if words >= SHORT_WORDS and not looks_like_teaser(text):
        return PageNeed(False, f"the entry holds {words} words already")
    if not can_matter:
        return PageNeed(False, "no storyline term in the title or summary")
    shape = "a teaser" if looks_like_teaser(text) else f"short ({words} words)"
    return PageNeed(True, f"the entry is {shape}")
