"""Opening the database fails with the path, the uid and the likely fix, not SQLite's bare
"unable to open database file"; a migration that SQLite already rolled back keeps its error."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from digests.cli.store_access import explain_open_failure, writable_temp_folder
from digests.store import migrations, open_database
from tests.support.cli import run_cli


def test_a_folder_that_cannot_be_entered_is_named_with_its_owner(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be\n", encoding="utf-8")
    database = blocker / "storyline.db"
    message = explain_open_failure(database, sqlite3.OperationalError("unable to open"), {})
    assert message.startswith(f"cannot open the database {database}: unable to open; ")
    assert f"running as uid {os.getuid()} gid {os.getgid()}" in message
    assert f"{blocker} is owned by uid {os.getuid()}" in message
    assert "make it writable by this uid" in message
    assert "\n" not in message


def test_no_writable_temporary_folder_points_at_a_tmpfs(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-tmp")
    assert writable_temp_folder({}, [missing]) is None
    assert writable_temp_folder({"SQLITE_TMPDIR": str(tmp_path)}, [missing]) == str(tmp_path)
    message = explain_open_failure(tmp_path / "x.db", sqlite3.OperationalError("disk I/O error"),
                                   {}, temp_folders=[missing])
    assert "mount a tmpfs on /tmp" in message
    assert "tmpfs" not in explain_open_failure(
        tmp_path / "x.db", sqlite3.OperationalError("disk I/O error"), {},
        temp_folders=[str(tmp_path)])


def test_a_command_on_an_unopenable_database_says_so_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder\n", encoding="utf-8")
    status, _out, err = run_cli("--db", str(blocker / "storyline.db"), "feeds")
    assert status == 1
    [line] = err.splitlines()
    assert line.startswith(f"storyline: error: cannot open the database {blocker}/storyline.db")
    assert f"uid {os.getuid()}" in line


def test_run_stops_at_start_on_a_corrupt_database(tmp_path: Path) -> None:
    database = tmp_path / "storyline.db"
    database.write_bytes(b"this is not an SQLite file\n" * 200)
    status, _out, err = run_cli("--db", str(database), "--config", str(tmp_path), "run")
    assert status == 1
    assert err.startswith(f"storyline: error: cannot open the database {database}: ")
    assert "file is not a database" in err


def test_a_migration_rolled_back_by_sqlite_keeps_its_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite ends the transaction itself after an I/O error or a full disk; the migration
    runner's ROLLBACK then failed with "cannot rollback - no transaction is active" and hid
    the real cause (seen with a read-only root filesystem and no writable /tmp)."""
    db = open_database(tmp_path / "storyline.db")
    target = migrations.SCHEMA_VERSION + 1

    def failing(db: object) -> None:
        conn = db.conn  # type: ignore[attr-defined]
        conn.execute("ROLLBACK")  # what SQLite does on SQLITE_IOERR / SQLITE_FULL
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, failing))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", target)
    with pytest.raises(sqlite3.OperationalError, match=r"^disk I/O error$"):
        migrations.migrate(db, target)
    assert migrations.current_version(db) == target - 1
    db.conn.close()
