"""Strip the wrapper that aggregators put around an article, keeping the article itself (pure).

Syndicated copies differ mostly in their furniture: an aggregator header ("… Grade 8 3h ago"),
"Listen to this post", share and "Read more" lines, emoji footers, a comment box, and leftover
`⟦CODE_0⟧` placeholders from machine translation. Left in, that furniture dilutes shingle
overlap and inflates lengths, so two copies of one article look less alike than they are and
the wrapper copy looks like the longer "original".
"""

from __future__ import annotations

import re

from digests.text import html_to_text

# ⟦CODE_0⟧, ⟦LINK_12⟧ … placeholders that translation pipelines leave behind.
_PLACEHOLDER_RE = re.compile(r"⟦[A-Z_]+\d*⟧")
# Pictographs, dingbats, symbols, flags, variation selectors and zero-width joiners.
_EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\ufe0f\u200d\u20e3]"
)
_WORD_RE = re.compile(r"\w+")
_DIGIT_RE = re.compile(r"\d")
# Whole lines that are page furniture, never article text.
_FURNITURE_RE = re.compile(
    r"""^(
        comments?(\s*\(\d+\))? | \d+\s+comments? | no\s+comments\s+yet.*
        | start\s+the\s+discussion.*
        | (leave|post|add|write)\s+a\s+(comment|reply).* | join\s+the\s+(discussion|conversation).*
        | share(\s+(this|on|via)\b.*)? | tweet | email | print | copy\s+link | like | reply
        | read\s+more\b.* | continue\s+reading\b.* | related(\s+(articles|stories|posts))?:?
        | listen\s+to\s+this\s+(post|article|story):? | (subscribe|sign\s+up|follow\s+us)\b.{0,80}
        | advertisement | sponsored
        | (source|via|originally\s+published\s+(at|on|by))\b:?\s*\S+(\s+\S+){0,3}
        | posted\s+by\b.{0,60} | translated\s+by\b.{0,60} | 続きを読む | コメント(\s*\(\d+\))?
        | 共有 | シェア | 関連記事 | 原文(を読む)?:?.{0,80}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Listen to this post: …" glued to the first sentence of the article.
_INLINE_PREFIX_RE = re.compile(r"^listen\s+to\s+this\s+(post|article|story):\s*", re.IGNORECASE)
# Aggregator headers carry a relative age ("3h ago", "5 minutes ago", "2時間前").
_AGE_RE = re.compile(
    r"\b\d+\s*(s|m|h|d|w|min|mins|minutes?|hours?|hrs?|days?|weeks?)\s+ago\b|\d+\s*(分|時間|日)前",
    re.IGNORECASE,
)
# A comment box starts with a heading like these; everything after it is readers, not author.
_COMMENT_HEADING_RE = re.compile(
    r"^(\d+\s+)?(comments?|responses?|replies|discussion)(\s*\(\d+\))?:?$|^コメント",
    re.IGNORECASE,
)
_HEADER_WORDS = 14  # an aggregator header line is short
_EMOJI_LINE_WORDS = 15  # an emoji line this short is a footer ("🔥 Follow us for more! 🚀")


def _is_furniture(line: str, title: str) -> bool:
    if _FURNITURE_RE.match(line):
        return True
    if title and line.casefold() == title.casefold():
        return True  # the page repeats its own title as a header
    # Words are counted only for a line that has an emoji or a digit (every age has one):
    # the others, most of an article, cannot be an emoji footer or an aggregator header.
    if not _EMOJI_RE.search(line) and not _DIGIT_RE.search(line):
        return False
    words = len(_WORD_RE.findall(line))
    if _EMOJI_RE.search(line) and words <= _EMOJI_LINE_WORDS:
        return True
    return words <= _HEADER_WORDS and bool(_AGE_RE.search(line))


def _cut_comment_box(lines: list[str]) -> list[str]:
    """Drop a trailing comment box: a comments heading in the second half of the page.

    A "Comments" heading near the top is a header link (the pages we see carry one under the
    title), so only a heading past the middle of the text ends the article.
    """
    total = sum(len(line) for line in lines) or 1
    seen = 0
    for index, line in enumerate(lines):
        if seen > total / 2 and _COMMENT_HEADING_RE.match(line):
            return lines[:index]
        seen += len(line)
    return lines


def clean_body(text: str, *, title: str = "") -> str:
    """The article without its wrapper: one paragraph per line, furniture and emoji removed."""
    plain = _PLACEHOLDER_RE.sub(" ", html_to_text(text))
    lines = [" ".join(line.split()) for line in plain.splitlines()]
    lines = _cut_comment_box([line for line in lines if line])
    kept: list[str] = []
    for line in lines:
        line = _INLINE_PREFIX_RE.sub("", line)
        if not line or _is_furniture(line, title.strip()):
            continue
        line = " ".join(_EMOJI_RE.sub(" ", line).split())
        if line:
            kept.append(line)
    return "\n".join(kept)
