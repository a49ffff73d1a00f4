"""Discord-shaped messages as plain data, so rendering is pure and the bot only converts.

Field names mirror Discord's embed object; limits are enforced by the renderer, not here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmbedField:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class EmbedSpec:
    title: str
    description: str = ""
    url: str | None = None
    fields: tuple[EmbedField, ...] = ()
    footer: str | None = None
    color: int | None = None


@dataclass(frozen=True)
class MessageSpec:
    """One Discord message: optional text plus up to 10 embeds."""

    content: str = ""
    embeds: tuple[EmbedSpec, ...] = ()
