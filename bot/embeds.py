"""`EmbedSpec` / `MessageSpec` (plain data from the renderer) → discord.py objects.

The renderer already keeps within Discord's limits; the caps here only guard against a spec
built elsewhere so a single long field can never make Discord reject a whole message.
Limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
"""

from __future__ import annotations

from typing import Any

import discord

from digests.models import EmbedSpec, MessageSpec

TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
CONTENT_MAX = 2000
EMBEDS_PER_MESSAGE = 10
DEFAULT_COLOR = 0x3B82F6

NO_MENTIONS = discord.AllowedMentions.none()


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_embed(spec: EmbedSpec) -> discord.Embed:
    embed = discord.Embed(
        title=_cap(spec.title, TITLE_MAX) or None,
        description=_cap(spec.description, DESCRIPTION_MAX) or None,
        url=spec.url,
        color=spec.color if spec.color is not None else DEFAULT_COLOR,
    )
    for field in spec.fields[:FIELDS_MAX]:
        embed.add_field(
            name=_cap(field.name, FIELD_NAME_MAX) or "\u200b",
            value=_cap(field.value, FIELD_VALUE_MAX) or "\u200b",
            inline=field.inline,
        )
    if spec.footer:
        embed.set_footer(text=_cap(spec.footer, FOOTER_MAX))
    return embed


def message_kwargs(message: MessageSpec) -> dict[str, Any]:
    """Keyword arguments for `Messageable.send` / `followup.send` that can never ping anyone."""
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    if message.content:
        kwargs["content"] = _cap(message.content, CONTENT_MAX)
    if message.embeds:
        kwargs["embeds"] = [to_embed(e) for e in message.embeds[:EMBEDS_PER_MESSAGE]]
    return kwargs
