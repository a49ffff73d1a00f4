"""What the service needs from whoever starts it: settings, storylines, the store, streams, a clock.

A protocol rather than the CLI's own context, so the wiring depends on no shell: the CLI's
`CliContext` satisfies it, and so could any program that embeds the service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from digests.config import Settings, StorylineDefinition

if TYPE_CHECKING:
    import sqlite_utils


class ServiceContext(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def storylines(self) -> list[StorylineDefinition]: ...

    @property
    def out(self) -> TextIO: ...

    @property
    def err(self) -> TextIO: ...

    @property
    def verbose(self) -> bool: ...

    @property
    def clock(self) -> Callable[[], dt.datetime]: ...

    @property
    def db(self) -> sqlite_utils.Database: ...

    @property
    def database_path(self) -> Path: ...

    def connect(self) -> sqlite_utils.Database:
        """A new connection to the same store, for a thread of its own."""
        ...

    def detached(self) -> ServiceContext:
        """The same context without its connection: a thread opens (and closes) its own."""
        ...

    def note(self, text: str) -> None:
        """Progress and diagnostics (stderr in the CLI)."""
        ...

    def close(self) -> None: ...
