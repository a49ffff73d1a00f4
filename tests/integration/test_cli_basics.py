"""The real `storyline` CLI: one-line errors, --db/--config on every command, listing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digests.cli.main import main
from tests.support.cli import run_cli
from tests.support.config import demo_config


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return demo_config(tmp_path)


def test_broken_config_is_one_line_naming_file_and_key(tmp_path: Path, config_dir: Path) -> None:
    (config_dir / "storylines" / "bad.toml").write_text(
        'id = "Bad Id"\nname = "x"\ndescription = "x"\nkeywords = ["x"]\n', encoding="utf-8"
    )
    status, out, err = run_cli("--config", str(config_dir), "--db", str(tmp_path / "s.db"),
                               "feeds")
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "bad.toml: id: expected lower-case letters" in lines[0]
    assert "Traceback" not in err


def test_empty_store_lists_nothing_helpfully(tmp_path: Path, config_dir: Path) -> None:
    db = tmp_path / "s.db"
    status, out, _ = run_cli("--config", str(config_dir), "--db", str(db), "feeds")
    assert status == 0 and "no feeds yet" in out
    status, out, _ = run_cli("items", "--config", str(config_dir), "--db", str(db), "--json")
    assert status == 0 and out == ""
    assert db.exists()


def test_feeds_json_shows_state(tmp_path: Path, config_dir: Path) -> None:
    import datetime as dt

    from digests.store import FeedStore, open_database

    db_path = tmp_path / "s.db"
    db = open_database(db_path)
    now = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    FeedStore(db).add("https://news.example/feed", now)
    FeedStore(db).record_failure(
        "https://news.example/feed", now=now, status=500, error="HTTP 500",
        next_poll=now + dt.timedelta(hours=1),
    )
    db.conn.close()
    status, out, _ = run_cli("feeds", "--json", "--config", str(config_dir), "--db", str(db_path))
    [feed] = json.loads(out)
    assert status == 0
    assert feed["error_count"] == 1 and feed["last_error"] == "HTTP 500"
    assert feed["next_poll"].startswith("2026-07-01T01:00")


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "feeds" in capsys.readouterr().out


def test_config_folder_comes_from_the_given_environment(tmp_path: Path, config_dir: Path) -> None:
    (config_dir / "storyline.toml").write_text('log_level = "LOUD"\n', encoding="utf-8")
    status, _, err = run_cli("--db", str(tmp_path / "s.db"), "feeds",
                             env={"STORYLINE_CONFIG": str(config_dir)})
    assert status == 2
    assert f"{config_dir / 'storyline.toml'}: log_level" in err
