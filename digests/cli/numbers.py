"""Whole-number command-line arguments with bounds, so a typo such as `--limit 1e20` or a
channel id of 2^70 is refused by argparse (exit 2, naming the option) instead of reaching
SQLite or Discord as an overflow."""

from __future__ import annotations

import argparse
from collections.abc import Callable

# Discord ids are 64-bit snowflakes; SQLite integers are signed 64-bit.
MAX_DISCORD_ID = (1 << 63) - 1
MAX_LIMIT = 100_000


def bounded_int(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {minimum} to {maximum}, got {text}"
            )
        return value

    parse.__name__ = "whole number"  # argparse names the type in its own messages
    return parse


limit = bounded_int(1, MAX_LIMIT)
channel_id = bounded_int(0, MAX_DISCORD_ID)  # 0 is the console
guild_id = bounded_int(1, MAX_DISCORD_ID)
