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

if TYPE_CHECKING:
    import sqlite_utils

    from digests.config import Settings, StorylineDefinition


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def no_store_yet(path: Path) -> str:
    return (f"no store at {path} yet: `storyline poll` (or `storyline ingest`) creates and "
            "fills it; `--db` or `database` in storyline.toml name another file")


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
    _reader: sqlite3.Connection | None = field(default=None, repr=False)

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

    def read_store(self, *, writable: bool = False) -> sqlite3.Connection:
        """The store for a lookup, opened on first use with the standard library's `sqlite3`
        alone, read-only unless `writable` (the first call decides): a lookup process need not
        import sqlite_utils, numpy, click and pluggy (issue 14). A missing file is an error
        (a lookup has nothing to read and creates nothing); one at another schema version
        goes through `db` once instead (migrated, as for every other command), and this
        returns that connection."""
        if self._db is not None:
            return self._db.conn
        if self._reader is None:
            if not self.settings.database.exists():
                # A lookup creates nothing: a mistyped --db would otherwise leave an empty
                # store (and its folders) behind and answer "no quote found" from it.
                raise CliError(no_store_yet(self.settings.database))
            from digests.store.database import open_current

            try:
                self._reader = open_current(self.settings.database, writable=writable)
            except (sqlite3.DatabaseError, OSError) as exc:
                raise CliError(explain_open_failure(self.settings.database, exc,
                                                    self.environ)) from exc
            if self._reader is None:
                return self.db.conn
        return self._reader

    def connect(self) -> sqlite_utils.Database:
        """A new connection to the same store, for a thread that needs one of its own
        (SQLite connections are not shared between threads here)."""
        return dataclasses.replace(self, _db=None, _reader=None).db

    def detached(self) -> CliContext:
        """This context without its connection: a thread opens (and closes) its own."""
        return dataclasses.replace(self, _db=None, _reader=None)

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
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._db is not None:
            self._db.conn.close()
            self._db = None
