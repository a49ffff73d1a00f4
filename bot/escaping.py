"""The one place the bot makes untrusted text inert before it goes into a message.

Feed titles, quotes and whatever a user typed pass through `inert`; links through `link`.
Both delegate to `digests.digest.escaping` so the console, the digest and the bot escape the
same way. Every send also carries `AllowedMentions.none()`: escaping is the second wall.
"""

from __future__ import annotations

from digests.digest import escaping


def inert(text: str, limit: int | None = None) -> str:
    """Feed or user text as one line that cannot ping, link or format; cut to `limit`."""
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return escaping.escape(text)


def link(text: str, url: str | None, limit: int = 200) -> str:
    """`[text](url)` for http(s) URLs, plain escaped text otherwise."""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escaping.link(text, url)
