"""A lookup command imports what it uses, not every command (issue 14); `--json` stays JSON."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from digests.cli.lookup_cmds import json_array
from digests.cli.main import COMMAND_MODULES, build_parser, invoked_command

ROOT = Path(__file__).resolve().parents[2]


def registered(parser: argparse.ArgumentParser) -> set[str]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(actions[0].choices)


def test_the_command_table_names_every_registered_command() -> None:
    assert registered(build_parser()) == set(COMMAND_MODULES)
    for command, module in COMMAND_MODULES.items():
        alone = registered(build_parser(command))
        assert command in alone
        assert all(COMMAND_MODULES[other] == module for other in alone)


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
)


def test_who_said_imports_neither_the_engine_nor_the_network(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from digests.cli.main import main\n"
        f"status = main(['--config', {str(ROOT / 'config')!r}, '--db', "
        f"{str(tmp_path / 's.db')!r}, 'who-said', 'ship a model'])\n"
        "print(sorted({m for m in sys.modules if m.startswith("
        f"{ENGINE_AND_EDGES!r})}}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert "no quote found" in done.stdout


def test_json_arrays_put_one_element_per_line() -> None:
    values = [{"date": "2026-06-12", "text": "輸出管理を解除"}, {"date": "2026-06-13", "text": "b"}]
    printed = json_array(values)
    assert json.loads(printed) == values
    assert printed.splitlines()[1] == '{"date": "2026-06-12", "text": "輸出管理を解除"},'
    assert json_array([]) == "[]"
