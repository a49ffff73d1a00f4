"""A lookup command imports what it uses, not every command nor sqlite_utils (issue 14);
`--help` is printed without importing any command; `--json` stays JSON."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from digests.cli.lookup_cmds import json_array
from digests.cli.main import COMMAND_MODULES, COMMANDS, build_parser, invoked_command, main
from digests.store import open_database

ROOT = Path(__file__).resolve().parents[2]


def registered(parser: argparse.ArgumentParser) -> set[str]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(actions[0].choices)


def summaries(parser: argparse.ArgumentParser) -> list[tuple[str, str | None]]:
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return [(action.dest, action.help) for action in commands._choices_actions]


def test_the_command_table_names_every_registered_command() -> None:
    assert registered(build_parser()) == set(COMMAND_MODULES)
    for command, module in COMMAND_MODULES.items():
        alone = registered(build_parser(command))
        assert command in alone
        assert all(COMMAND_MODULES[other] == module for other in alone)


def test_the_table_summarises_each_command_as_its_module_does_in_the_same_order() -> None:
    """`storyline --help` is printed from the table, so it must say what the modules say."""
    full = summaries(build_parser())
    assert full == [(name, summary) for name, (_, summary) in COMMANDS.items()]
    for command in COMMANDS:  # the invoked command's own parser among the placeholders
        assert summaries(build_parser(command, placeholders=True)) == full


def test_top_level_help_lists_every_command_without_importing_one() -> None:
    probe = (
        "import contextlib, io, sys\n"
        "from digests.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print(out.getvalue())\n"
        "print(sorted(m for m in sys.modules if m.endswith(('_cmd', '_cmds')) "
        "or m.startswith(('digests.config', 'digests.store', 'sqlite_utils'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    listed = " ".join(done.stdout.split())  # argparse wraps the summaries
    for name, (_, summary) in COMMANDS.items():
        assert f" {name} {' '.join(summary.split())}" in listed


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_prints_its_own_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"usage: storyline {command} [-h] [--db DB]")
    assert "--config CONFIG" in printed


def test_a_command_word_the_probe_misses_still_gets_its_own_parser(
    capsys: pytest.CaptureFixture[str]
) -> None:
    """`-h` before the command prints the top-level help with every command listed (it
    used to list only the invoked command's module)."""
    with pytest.raises(SystemExit):
        main(["-h", "who-said"])
    printed = capsys.readouterr().out
    assert printed.startswith("usage: storyline [-h]")
    assert all(f"    {name} " in printed for name in COMMANDS)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["who-said", "the text"], "who-said"),
        (["--db", "x.db", "-v", "timeline", "--storyline", "fable"], "timeline"),
        (["--config", "conf", "quotes", "--person", "Sacks"], "quotes"),
        (["--help"], None),
        ([], None),
        (["--db"], None),  # malformed: the full parser reports it
    ],
)
def test_the_command_word_is_found_before_parsing(argv: list[str], command: str | None) -> None:
    assert invoked_command(argv) == command


ENGINE_AND_EDGES = (
    "httpx", "discord", "trafilatura", "feedparser", "apscheduler", "digests.pipeline",
    "digests.analysis", "digests.matching", "digests.stories", "digests.fetching",
    # The store's library and what it imports (numpy, click, pluggy): a lookup reads a
    # current store through `sqlite3` alone.
    "sqlite_utils", "numpy", "click", "pluggy",
)


@pytest.mark.parametrize(
    ("command", "printed"),
    [
        (["who-said", "ship a model"], "no quote found"),
        (["timeline", "--storyline", "fable", "--json"], "[]"),
        (["quotes", "--person", "Sacks"], "no quotes from Sacks"),
        (["stories", "--storyline", "fable"], "no stories for fable yet"),
    ],
)
def test_lookups_import_neither_the_engine_nor_the_network_nor_sqlite_utils(
    tmp_path: Path, command: list[str], printed: str
) -> None:
    open_database(tmp_path / "s.db").conn.close()  # a store at the current version
    probe = (
        "import sys\n"
        "from digests.cli.main import main\n"
        f"status = main(['--config', {str(ROOT / 'config')!r}, '--db', "
        f"{str(tmp_path / 's.db')!r}, *{command!r}])\n"
        "print(sorted({m for m in sys.modules if m.startswith("
        f"{ENGINE_AND_EDGES!r})}}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert printed in done.stdout


def test_json_arrays_put_one_element_per_line() -> None:
    values = [{"date": "2026-06-12", "text": "輸出管理を解除"}, {"date": "2026-06-13", "text": "b"}]
    printed = json_array(values)
    assert json.loads(printed) == values
    assert printed.splitlines()[1] == '{"date": "2026-06-12", "text": "輸出管理を解除"},'
    assert json_array([]) == "[]"


def test_reading_a_stored_timeline_loads_no_merging(tmp_path: Path) -> None:
    """The first `timeline` stores the merge; the next process only reads its rows."""
    db = tmp_path / "s.db"
    open_database(db).conn.close()  # an empty store, as a first poll leaves it
    base = ["--config", str(ROOT / "config"), "--db", str(db)]
    assert main([*base, "timeline", "--storyline", "fable"]) == 0
    probe = (
        "import sys\n"
        "from digests.cli.main import main\n"
        f"main({[*base, 'timeline', '--storyline', 'fable', '--json']!r})\n"
        "print(sorted(m for m in sys.modules if m.startswith('digests.timeline.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.splitlines() == ["[]", "['digests.timeline.filtering']"]
