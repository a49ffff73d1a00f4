"""Console mode: digests printed as Markdown-ish text when no DISCORD_TOKEN is set.

Same posting path as Discord (ledger, markers, exactly-once), different last step: each
message goes to a text stream. Message ids are a counter; `find_recent` only knows what this
process printed (a stream cannot be read back), which is all a restart of a console can offer.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TextIO

from digests.models import MessageSpec

RULE = "─" * 60
# The channel id console mode posts to: no Discord channel has id 0.
CONSOLE_CHANNEL = 0


def message_text(message: MessageSpec) -> str:
    """A message as a person would read it in a terminal."""
    lines: list[str] = []
    if message.content:
        lines.append(message.content)
    for embed in message.embeds:
        if lines:
            lines.append("")
        lines.append(f"## {embed.title}" if embed.title else "##")
        if embed.url:
            lines.append(embed.url)
        if embed.description:
            lines.append(embed.description)
        for field in embed.fields:
            if field.name.strip("\u200b"):
                lines.append(f"**{field.name}**")
            lines.append(field.value)
        if embed.footer:
            lines.append(f"-# {embed.footer}")
    return "\n".join(lines)


class ConsoleDeliverer:
    """A `Deliverer` (with `find_recent`) writing to `stream` (stdout by default)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self._next_id = 1
        self._printed: list[tuple[int, int, str]] = []

    async def send(self, channel_id: int, message: MessageSpec) -> int:
        message_id = self._next_id
        self._next_id += 1
        text = message_text(message)
        print(f"{RULE}\n[channel {channel_id} · message {message_id}]\n{text}",
              file=self.stream, flush=True)
        self._printed.append((channel_id, message_id, text))
        return message_id

    async def find_recent(
        self, channel_id: int, marker: str, *, since: dt.datetime | None = None
    ) -> int | None:
        for channel, message_id, text in reversed(self._printed):
            if channel == channel_id and marker in text:
                return message_id
        return None
