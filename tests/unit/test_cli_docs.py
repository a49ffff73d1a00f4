"""docs/cli.md keeps up with the parser: every registered command has a section and help.

Only commands registered when the test runs are checked, so a command added later is held to
the same rule as soon as it is wired into `build_parser()`.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from digests.cli.main import build_parser

CLI_DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def registered() -> dict[str, tuple[str, argparse.ArgumentParser]]:
    """Each subcommand's one-line help (as `storyline --help` lists it) and its parser."""
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {action.dest: action.help or "" for action in commands._choices_actions}
    return {name: (helps.get(name, ""), sub) for name, sub in commands.choices.items()}


COMMANDS = sorted(registered())


def documented() -> set[str]:
    """Command names from the `## storyline NAME …` headings."""
    text = CLI_DOC.read_text(encoding="utf-8")
    return set(re.findall(r"^## storyline ([a-z][a-z-]*)(?=\s|$)", text, flags=re.M))


def test_the_parser_registers_commands() -> None:
    assert {"ingest", "poll", "timeline", "who-said"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_a_section_in_cli_doc(name: str) -> None:
    assert name in documented(), f"docs/cli.md has no '## storyline {name}' section"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_description(name: str) -> None:
    help_line, parser = registered()[name]
    assert help_line.strip(), f"`storyline {name}` has no one-line help"
    assert (parser.description or "").strip(), f"`storyline {name}` has no description"

