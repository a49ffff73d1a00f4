"""`open_current`: lookups read a current store through `sqlite3` alone, and leave a missing,
older or foreign file to `open_database`; the CLI's lookups keep working on each (issue 14)."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from digests.cli.main import main
from digests.store import SCHEMA_VERSION, migrate, open_database
from digests.store.database import open_current
from digests.store.migrations import current_version

CONFIG = Path(__file__).resolve().parents[2] / "config"


def current_store(path: Path) -> None:
    open_database(path).conn.close()


def older_store(path: Path) -> None:
    old = sqlite_utils.Database(path)
    old.conn.isolation_level = None
    migrate(old, target=SCHEMA_VERSION - 1)
    old.conn.close()


def test_a_current_store_opens_read_only_unless_asked(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    current_store(path)
    reader = open_current(path)
    assert reader is not None
    assert reader.execute("SELECT count(*) FROM items").fetchone() == (0,)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("DELETE FROM items")
    reader.close()
    writer = open_current(path, writable=True)
    assert writer is not None
    writer.execute("DELETE FROM items")
    assert writer.execute("PRAGMA foreign_keys").fetchone() == (1,)
    writer.close()


def test_a_missing_older_or_foreign_file_is_left_to_open_database(tmp_path: Path) -> None:
    assert open_current(tmp_path / "missing.db") is None
    assert not (tmp_path / "missing.db").exists()  # not created by the check
    older = tmp_path / "older.db"
    older_store(older)
    assert open_current(older) is None
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE notes (text TEXT)").connection.close()
    assert open_current(foreign) is None
    text = tmp_path / "text.db"
    text.write_text("not a database at all, just some words", encoding="utf-8")
    with pytest.raises(sqlite3.DatabaseError):
        open_current(text)


def lookup(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(["--config", str(CONFIG), "--db", str(path), *args], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", [["who-said", "a bridge"], ["timeline", "--storyline",
                                     "fable", "--json"], ["quotes", "--person", "Sacks"]])
def test_lookups_migrate_an_older_file_once_and_refuse_a_missing_one(
    tmp_path: Path, command: list[str]
) -> None:
    """An older file is migrated (through sqlite_utils, once), and the answer is the empty
    store's; a missing one (a mistyped --db) is an error that creates nothing."""
    older = tmp_path / "older.db"
    older_store(older)
    status, out, _ = lookup(older, *command)
    assert status == 0 and out.strip() in {"no quote found", "[]", "no quotes from Sacks"}
    reopened = sqlite_utils.Database(older)
    assert current_version(reopened) == SCHEMA_VERSION
    reopened.conn.close()
    missing = tmp_path / "sub" / "missing.db"
    status, out, err = lookup(missing, *command)
    assert (status, out) == (1, "")
    assert err.startswith(f"storyline: error: no store at {missing} yet: ")
    assert "storyline poll" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "sub").exists()


def test_a_file_that_is_not_a_database_is_one_clear_line(tmp_path: Path) -> None:
    text = tmp_path / "text.db"
    text.write_text("not a database at all, just some words", encoding="utf-8")
    status, out, err = lookup(text, "who-said", "a bridge")
    assert (status, out) == (1, "")
    assert err.startswith(f"storyline: error: cannot open the database {text}: ")
    assert "file is not a database" in err and len(err.splitlines()) == 1
