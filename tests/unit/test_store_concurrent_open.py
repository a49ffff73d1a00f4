"""Several processes opening one new file at once (the service and its health check, a CLI command
during an upgrade) must not both apply the same migration."""

from __future__ import annotations

import threading
from pathlib import Path

from digests.store import SCHEMA_VERSION, open_database
from digests.store.migrations import current_version

OPENERS = 6


def open_together(path: Path) -> list[BaseException]:
    barrier = threading.Barrier(OPENERS)
    errors: list[BaseException] = []

    def opener() -> None:
        barrier.wait()
        try:
            open_database(path).conn.close()
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(OPENERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_many_openers_at_once_all_succeed(tmp_path: Path) -> None:
    for round_number in range(20):
        path = tmp_path / f"race-{round_number}.db"
        # Failed before: "already exists" (version read outside the lock) and "database is
        # locked" (the switch to WAL, for which SQLite runs no busy handler).
        assert open_together(path) == []
        db = open_database(path)
        assert current_version(db) == SCHEMA_VERSION
        db.conn.close()
