"""Making feed text inert before it reaches Discord (pure, no I/O).

Feed titles and quotes are written by strangers. Rendered raw, a title could ping a whole
server (`@everyone`, `<@&role>`), disguise a link (`[bank](https://evil)`), or turn a digest
into a wall of headers and spoilers. Everything that comes from a feed goes through `escape`;
links we build ourselves go through `link`, which only accepts http(s) URLs.

The bot also sends with `allowed_mentions=none`; escaping is defence in depth and keeps the
text looking the same in the console, in logs and in Discord.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ZWSP = "\u200b"

# Characters Discord Markdown gives meaning to. `-`, `#` and `>` only matter at the start of
# a line, but escaping them everywhere is harmless (a backslash before punctuation renders as
# the punctuation) and simpler to reason about. `[`, `]`, `(`, `)` stop masked links.
_MARKDOWN_CHARS = set("\\*_~|>#-`[]()")
# <@123>, <@!123>, <@&123>, <#123>, </cmd:123>, <t:...>, <a:name:id> — any angle-bracketed
# Discord token: neutralised by a zero-width space after the `<`.
_ANGLE_TOKEN_RE = re.compile(r"<(?=[@#/:a-zA-Z!&])")
_EVERYONE_RE = re.compile(r"@(?=(everyone|here)\b)", re.IGNORECASE)
# Control characters (except newline/tab) can hide text or confuse terminals.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_SPACE_RE = re.compile(r"[ \t]+")


def clean_line(text: str) -> str:
    """One line of feed text: control characters dropped, whitespace collapsed."""
    no_controls = _CONTROL_RE.sub("", text)
    return _SPACE_RE.sub(" ", " ".join(no_controls.split())).strip()


def neutralise_mentions(text: str) -> str:
    """`@everyone`, `@here`, `<@id>`, `<@&id>`, `<#id>` stop being mentions."""
    text = _EVERYONE_RE.sub("@" + ZWSP, text)
    return _ANGLE_TOKEN_RE.sub("<" + ZWSP, text)


def escape_markdown(text: str) -> str:
    """Backslash every Markdown character so it renders literally."""
    return "".join("\\" + ch if ch in _MARKDOWN_CHARS else ch for ch in text)


def escape(text: str) -> str:
    """Feed text → one inert line: Markdown, masked links and mentions neutralised."""
    return neutralise_mentions(escape_markdown(clean_line(text)))


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL safe to put in `(...)`, else None.

    `javascript:`, `data:`, `file:` and relative URLs are dropped; so are URLs with
    whitespace, angle brackets or parentheses that could end the Markdown link early.
    """
    if not url:
        return None
    candidate = url.strip()
    if any(ch.isspace() or ch in "<>()\"'`" for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return candidate


def link(text: str, url: str | None) -> str:
    """`[text](url)` with escaped text, or just the escaped text when the URL is unsafe."""
    label = escape(text) or "link"
    target = safe_url(url)
    if target is None:
        return label
    return f"[{label}]({target})"
