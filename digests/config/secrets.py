"""Secrets from the environment or from a file named by `<NAME>_FILE` (Docker secrets).

A token in an environment variable shows in `docker inspect` and in the environment of every
process in the container; Docker and compose secrets are files under /run/secrets instead, so
each secret can also be given as `<NAME>_FILE=/run/secrets/...`. The value is never part of
an error message.

`docker run --env-file` keeps quotes around a value (`DISCORD_TOKEN="abc"` arrives with the
quotes) while compose strips them. No token or key contains quotes, so a quoted value is
refused with that explanation instead of being sent and rejected for a reason no one can see.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from digests.config.errors import ConfigError

QUOTES = ('"', "'")

# The bot token's variables, each with its Docker-secret twin, in order of preference.
TOKEN_VARIABLES = (
    ("DISCORD_TOKEN", "DISCORD_TOKEN_FILE"),
    ("STORYLINE_DISCORD_TOKEN", "STORYLINE_DISCORD_TOKEN_FILE"),
)


def _unquoted(value: str, name: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in QUOTES:
        raise ConfigError(
            "environment", name,
            "the value without quotes (`docker run --env-file` keeps them; compose strips them)")
    return value


def read_secret(env: Mapping[str, str], name: str, file_name: str) -> str | None:
    """The secret `name`, or the content of the file `file_name` points to; None when unset.

    Setting both is refused: which one wins would be a guess the admin cannot see.
    """
    direct = env.get(name, "").strip()
    path = env.get(file_name, "").strip()
    if not path:
        return _unquoted(direct, name) if direct else None
    if direct:
        raise ConfigError("environment", name, f"either {name} or {file_name}, not both")
    path = _unquoted(path, file_name)
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError("environment", file_name, "a readable file holding the secret",
                          f"{path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("environment", file_name, "a UTF-8 text file", path) from exc
    if not value:
        raise ConfigError("environment", file_name, "a file holding the secret",
                          f"{path} is empty")
    return _unquoted(value, file_name)
