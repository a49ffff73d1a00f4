"""A dependency-free progress bar on stderr for long CLI work (feeds, many files)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

MIN_ITEMS_FOR_BAR = 4
# The engine handles a few dozen items in a second or two; a bar only for real backfills.
MIN_ITEMS_FOR_ENGINE_BAR = 100
WIDTH = 30


class Progress:
    """Redraws in place on a terminal; prints every 10% otherwise so logs stay short."""

    def __init__(self, total: int, stream: TextIO, label: str) -> None:
        self.total = total
        self.stream = stream
        self.label = label
        self.done = 0
        self.enabled = total >= MIN_ITEMS_FOR_BAR
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._last_decile = -1

    def advance(self, note: str = "", by: int = 1) -> None:
        self.done += by
        if not self.enabled:
            return
        filled = int(WIDTH * self.done / self.total)
        bar = "#" * filled + "." * (WIDTH - filled)
        line = f"{self.label} [{bar}] {self.done}/{self.total} {note}"[:120]
        if self.tty:
            end = "\n" if self.done == self.total else ""
            self.stream.write("\r" + line.ljust(120) + end)
            self.stream.flush()
            return
        decile = self.done * 10 // self.total
        if decile != self._last_decile:
            self._last_decile = decile
            print(line, file=self.stream)


def engine_progress(total: int, stream: TextIO) -> Callable[[int], None] | None:
    """A callback for `process_items(on_progress=...)`, or None when the work is short."""
    if total < MIN_ITEMS_FOR_ENGINE_BAR:
        return None
    bar = Progress(total, stream, "engine")
    return lambda done: bar.advance("items analysed and stored", by=done)
