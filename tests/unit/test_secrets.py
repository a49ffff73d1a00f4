"""Secrets from `NAME` or `NAME_FILE` (Docker secrets), and the token `storyline run` uses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from digests.cli.context import CliContext
from digests.cli.run_cmd import discord_token
from digests.config import ConfigError, Settings, load_settings
from digests.config.secrets import read_secret

SECRET = "token-for-tests-only"


def secret_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "discord_token"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_unset_is_none() -> None:
    assert read_secret({}, "DISCORD_TOKEN", "DISCORD_TOKEN_FILE") is None
    assert read_secret({"DISCORD_TOKEN": "  "}, "DISCORD_TOKEN", "DISCORD_TOKEN_FILE") is None


def test_from_the_variable_trimmed() -> None:
    env = {"DISCORD_TOKEN": f" {SECRET}\n"}
    assert read_secret(env, "DISCORD_TOKEN", "DISCORD_TOKEN_FILE") == SECRET


def test_from_the_file_without_its_trailing_newline(tmp_path: Path) -> None:
    env = {"DISCORD_TOKEN_FILE": secret_file(tmp_path, SECRET + "\n")}
    assert read_secret(env, "DISCORD_TOKEN", "DISCORD_TOKEN_FILE") == SECRET


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DISCORD_TOKEN": f'"{SECRET}"'}, "DISCORD_TOKEN: expected the value without quotes"),
        ({"DISCORD_TOKEN": f"'{SECRET}'"}, "DISCORD_TOKEN: expected the value without quotes"),
        ({"DISCORD_TOKEN": SECRET, "DISCORD_TOKEN_FILE": "/run/secrets/discord_token"},
         "either DISCORD_TOKEN or DISCORD_TOKEN_FILE, not both"),
        ({"DISCORD_TOKEN_FILE": "/nonexistent/discord_token"},
         "DISCORD_TOKEN_FILE: expected a readable file holding the secret "
         "(got '/nonexistent/discord_token: No such file or directory')"),
    ],
)
def test_refused_with_one_line_that_never_shows_the_secret(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        read_secret(env, "DISCORD_TOKEN", "DISCORD_TOKEN_FILE")
    assert message in str(caught.value)
    assert SECRET not in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["", "\n", f'"{SECRET}"\n'])
def test_an_empty_or_quoted_file_is_refused(tmp_path: Path, text: str) -> None:
    env = {"DISCORD_TOKEN_FILE": secret_file(tmp_path, text)}
    with pytest.raises(ConfigError, match="DISCORD_TOKEN_FILE") as caught:
        read_secret(env, "DISCORD_TOKEN", "DISCORD_TOKEN_FILE")
    assert SECRET not in str(caught.value)


def context(env: dict[str, str]) -> CliContext:
    return CliContext(settings=Settings(), storylines=[], out=io.StringIO(),
                      err=io.StringIO(), environ=env)


def test_run_takes_the_token_from_any_of_its_variables_or_files(tmp_path: Path) -> None:
    path = secret_file(tmp_path, SECRET)
    assert discord_token(context({"DISCORD_TOKEN_FILE": path})) == SECRET
    assert discord_token(context({"STORYLINE_DISCORD_TOKEN_FILE": path})) == SECRET
    assert discord_token(context({"DISCORD_TOKEN": "a", "STORYLINE_DISCORD_TOKEN": "b"})) == "a"
    assert discord_token(context({})) is None


def test_the_storyline_token_file_variable_is_not_an_unknown_setting(tmp_path: Path) -> None:
    load_settings(tmp_path, {"STORYLINE_DISCORD_TOKEN_FILE": "/run/secrets/discord_token"})
    with pytest.raises(ConfigError, match=r"STORYLINE_DISCORD_TOKEN_FIL\b"):
        load_settings(tmp_path, {"STORYLINE_DISCORD_TOKEN_FIL": "x"})
