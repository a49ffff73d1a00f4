"""Hostile input reaches the user as one line, never a traceback: out-of-range numbers on the
command line, broken lines in `classify` input, broken configuration files (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from digests.cli.main import main
from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"
HUGE = str(2**70)


@pytest.mark.parametrize(
    "argv",
    [
        ["items", "--limit", "1e20"],
        ["items", "--limit", HUGE],
        ["items", "--limit", "0"],
        ["quotes", "--limit", HUGE],
        ["who-said", "anything", "--limit", "-3"],
        ["follow", "--storyline", "fable", "--channel", HUGE],
        ["follow", "--storyline", "fable", "--guild", HUGE],
        ["unfollow", "--storyline", "fable", "--channel", "-1"],
        ["digest", "--channel", HUGE],
    ],
)
def test_numbers_out_of_range_are_refused_naming_the_option(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--config", str(CONFIG), "--db", str(tmp_path / "s.db")], env={})
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {argv[-2]}: expected a whole number" in err
    assert "Traceback" not in err


def test_classify_reports_each_bad_line_and_decides_the_rest(tmp_path: Path) -> None:
    good = json.dumps({"title": "US lifts export controls on Fable 5", "summary": "Officials."})
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join([
        good.encode(),
        b'{"title": "caf\xe9 latin-1"}',  # not UTF-8
        b"[" * 100_000,  # deeper than any parser recurses
        b'"just a string"',
        good.encode(),
    ]) + b"\n")
    status, out, err = run_cli("classify", "--storyline", "fable", str(source),
                               "--config", str(CONFIG), "--db", str(tmp_path / "c.db"))
    assert status == 1
    results = [json.loads(line) for line in out.splitlines()]
    assert [r.get("error") for r in results] == [
        None, "line 2: invalid input", "line 3: invalid input", "line 4: invalid input", None
    ]
    assert "match" in results[0] and "match" in results[4]
    assert "line 2: not a JSON object with title/summary (not UTF-8" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.write_bytes(b'id = "caf\xe9"\n'), "expected UTF-8 text"),
        (lambda p: p.mkdir(), "expected a file, not a folder"),
    ],
)
def test_a_broken_storyline_file_is_one_line_naming_it_with_exit_2(
    tmp_path: Path, make: Callable[[Path], object], problem: str
) -> None:
    config = tmp_path / "config"
    (config / "storylines").mkdir(parents=True)
    broken = config / "storylines" / "x.toml"
    make(broken)
    status, out, err = run_cli("--config", str(config), "--db", str(tmp_path / "s.db"), "feeds")
    assert status == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith(f"storyline: error: {broken}: ") and problem in line


@pytest.mark.parametrize(
    "setting",
    ["poll_interval_minutes = nan", "max_backoff_minutes = 1e300", "engine_workers = 10000000",
     'storylines_dir = "missing"', "http = 5"],
)
def test_a_bad_setting_is_one_line_naming_the_file_with_exit_2(
    tmp_path: Path, setting: str
) -> None:
    config = tmp_path / "config"
    (config / "storylines").mkdir(parents=True)
    (config / "storyline.toml").write_text(setting + "\n", encoding="utf-8")
    status, _, err = run_cli("--config", str(config), "--db", str(tmp_path / "s.db"), "feeds")
    assert status == 2
    [line] = err.strip().splitlines()
    assert line.startswith(f"storyline: error: {config / 'storyline.toml'}: ")


def test_entries_with_nothing_to_store_are_counted_not_dropped_silently(tmp_path: Path) -> None:
    empty = "<item><guid isPermaLink='false'></guid><description></description></item>"
    whole = ("<item><guid>k1</guid><title>Harbour ferry resumes</title>"
             "<description>The ferry runs again from Monday.</description></item>")
    feed = tmp_path / "sparse.xml"
    feed.write_text(f"<rss version='2.0'><channel><title>S</title>{whole}{empty * 3}"
                    "</channel></rss>", encoding="utf-8")
    status, out, _ = run_cli("ingest", str(feed), "--config", str(CONFIG),
                             "--db", str(tmp_path / "s.db"))
    assert status == 0
    assert out.splitlines()[0].endswith("skipped: 3 (no title, text or link)")
    assert "new: 1" in out


def test_a_file_that_is_not_a_database_is_named_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("shopping list: bread, milk\n" * 200, encoding="utf-8")
    status, _, err = run_cli("items", "--config", str(CONFIG), "--db", str(db))
    assert status == 1
    [line] = err.strip().splitlines()
    assert line.startswith("storyline: error: ") and f"{db}: file is not a database" in line


def test_a_guild_id_beyond_64_bits_from_the_environment_is_refused(tmp_path: Path) -> None:
    status, _, err = run_cli("run", "--console", "--config", str(CONFIG),
                             "--db", str(tmp_path / "s.db"), env={"DISCORD_GUILD_ID": HUGE})
    assert status == 1
    assert err.strip() == (f"storyline: error: DISCORD_GUILD_ID: expected a numeric Discord "
                           f"server id, got '{HUGE}'")


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_a_publication_date_beyond_the_calendar_is_refused(
    tmp_path: Path, date: str, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("A title\nA body of a few words.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["ingest", "--published", date, str(article), "--config", str(CONFIG),
              "--db", str(tmp_path / "s.db")], env={})
    assert info.value.code == 2
    assert "argument --published: not an ISO date or datetime" in capsys.readouterr().err
