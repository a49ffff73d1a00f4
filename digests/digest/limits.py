"""Discord's message and embed size limits, a checker, and word-safe shortening (pure).

Discord rejects a whole message (HTTP 400) when any one limit is exceeded, so the renderer
must never produce an over-size part. The numbers are Discord's, from
https://discord.com/developers/docs/resources/message#embed-object-embed-limits and
https://discord.com/developers/docs/resources/message#create-message (content: 2000,
embeds: 10). Lengths are counted in characters (code points), as discord.py's `len(Embed)` does.
"""

from __future__ import annotations

import re

from digests.models import EmbedSpec, MessageSpec

CONTENT_MAX = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
# Sum of title, description, field names and values, footer (and author) over every embed.
MESSAGE_EMBED_CHARS_MAX = 6000

ELLIPSIS = "…"

# Atoms a cut may never split: a Markdown masked link, or a run of non-space characters.
_ATOM_RE = re.compile(r"\[(?:\\.|[^\]\\])*\]\([^)\s]*\)|\S+|\s+")
_LINK_RE = re.compile(r"^\[((?:\\.|[^\]\\])*)\]\([^)\s]*\)$")


def embed_chars(embed: EmbedSpec) -> int:
    """Characters an embed counts toward the per-message 6,000 total."""
    total = len(embed.title) + len(embed.description) + len(embed.footer or "")
    return total + sum(len(f.name) + len(f.value) for f in embed.fields)


def violations(message: MessageSpec) -> list[str]:
    """Every Discord limit this message breaks; empty means Discord will accept its size."""
    problems: list[str] = []
    if len(message.content) > CONTENT_MAX:
        problems.append(f"content {len(message.content)} > {CONTENT_MAX}")
    if len(message.embeds) > EMBEDS_PER_MESSAGE:
        problems.append(f"{len(message.embeds)} embeds > {EMBEDS_PER_MESSAGE}")
    if not message.content and not message.embeds:
        problems.append("empty message")
    for n, embed in enumerate(message.embeds, 1):
        checks = [
            ("title", len(embed.title), EMBED_TITLE_MAX),
            ("description", len(embed.description), EMBED_DESCRIPTION_MAX),
            ("fields", len(embed.fields), EMBED_FIELDS_MAX),
            ("footer", len(embed.footer or ""), FOOTER_MAX),
        ]
        for field in embed.fields:
            checks.append(("field name", len(field.name), FIELD_NAME_MAX))
            checks.append(("field value", len(field.value), FIELD_VALUE_MAX))
        problems.extend(
            f"embed {n} {what} {size} > {limit}" for what, size, limit in checks if size > limit
        )
    total = sum(embed_chars(e) for e in message.embeds)
    if total > MESSAGE_EMBED_CHARS_MAX:
        problems.append(f"embeds total {total} > {MESSAGE_EMBED_CHARS_MAX}")
    return problems


def _hard_cut(text: str, limit: int) -> str:
    """Last resort for one unbroken word: cut by characters, never leaving a lone `\\`."""
    cut = text[: max(limit - len(ELLIPSIS), 0)]
    if cut.endswith("\\") and (len(cut) - len(cut.rstrip("\\"))) % 2 == 1:
        cut = cut[:-1]
    return cut + ELLIPSIS


def shorten(text: str, limit: int) -> str:
    """`text` if it fits, else cut at a word boundary with "…", never inside a masked link.

    A leading link that cannot fit as a whole is replaced by its label (still escaped), so the
    result never holds half a `[text](url)`.
    """
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    budget = limit - len(ELLIPSIS)
    kept: list[str] = []
    size = 0
    for match in _ATOM_RE.finditer(text):
        atom = match.group()
        if size + len(atom) > budget:
            if not kept or not "".join(kept).strip():
                label = _LINK_RE.match(atom)
                if label is None:
                    return _hard_cut(atom, limit)
                return shorten(label.group(1) + text[match.end():], limit)
            break
        kept.append(atom)
        size += len(atom)
    return "".join(kept).rstrip() + ELLIPSIS
