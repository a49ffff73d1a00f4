"""The one error type configuration problems surface as, so the CLI can print it on one line."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A configuration value is missing or of the wrong kind.

    Carries the file, the key and what was expected so a self-hoster can fix the file without
    reading a traceback.
    """

    def __init__(self, source: Path | str, key: str, expected: str, got: object = None) -> None:
        self.source = str(source)
        self.key = key
        self.expected = expected
        self.got = got
        detail = f" (got {got!r})" if got is not None else ""
        super().__init__(f"{self.source}: {key}: expected {expected}{detail}")
