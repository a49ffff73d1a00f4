"""What every CLI command receives: settings, storylines, the store, output streams, a clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from digests.cli.store_access import explain_open_failure
from digests.config import Settings, StorylineDefinition

if TYPE_CHECKING:
    import sqlite_utils


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class CliContext:
    settings: Settings
    storylines: list[StorylineDefinition]
    out: TextIO
    err: TextIO
    verbose: bool = False
    clock: Callable[[], dt.datetime] = utc_now
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @property
    def db(self) -> sqlite_utils.Database:
        """Opened on first use so `--help` and config errors never touch the file (nor
        import the store)."""
        if self._db is None:
            from digests.store import open_database

            try:
                self._db = open_database(self.settings.database)
            except (sqlite3.DatabaseError, OSError) as exc:
                raise CliError(explain_open_failure(self.settings.database, exc,
                                                    self.environ)) from exc
        return self._db

    def connect(self) -> sqlite_utils.Database:
        """A new connection to the same store, for a thread that needs one of its own
        (SQLite connections are not shared between threads here)."""
        return dataclasses.replace(self, _db=None).db

    def detached(self) -> CliContext:
        """This context without its connection: a thread opens (and closes) its own."""
        return dataclasses.replace(self, _db=None)

    @property
    def database_path(self) -> Path:
        return self.settings.database

    def storyline(self, storyline_id: str) -> StorylineDefinition:
        for definition in self.storylines:
            if definition.id == storyline_id:
                return definition
        known = ", ".join(d.id for d in self.storylines) or "none configured"
        raise CliError(f"unknown storyline {storyline_id!r} (known: {known})")

    def say(self, text: str = "") -> None:
        print(text, file=self.out)

    def note(self, text: str) -> None:
        """Progress and diagnostics go to stderr so stdout stays parseable (--json)."""
        print(text, file=self.err)

    def close(self) -> None:
        if self._db is not None:
            self._db.conn.close()
            self._db = None
