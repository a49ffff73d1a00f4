"""Typed accessors over a parsed TOML table that raise `ConfigError` naming file and key."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from digests.config.errors import ConfigError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning syntax errors into a `ConfigError` that names the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(path, "(file)", "an existing file") from exc
    except IsADirectoryError as exc:
        raise ConfigError(path, "(file)", "a file, not a folder") from exc
    except OSError as exc:
        raise ConfigError(path, "(file)", f"a readable file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            path, "(encoding)", f"UTF-8 text (byte {exc.object[exc.start]:#04x} at offset "
            f"{exc.start} is not)"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "(syntax)", f"valid TOML: {exc}") from exc
    except RecursionError as exc:  # arrays nested thousands deep
        raise ConfigError(path, "(syntax)", "TOML nested less deeply") from exc


class Table:
    """A TOML table with the file it came from, for error messages with full key paths."""

    def __init__(self, data: dict[str, Any], source: Path | str, prefix: str = "") -> None:
        self.data = data
        self.source = source
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def get_str(self, key: str, default: str | None = None, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required or default is None:
                raise ConfigError(self.source, self._key(key), "a non-empty string")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise ConfigError(self.source, self._key(key), "a non-empty string", value)
        return value

    def get_optional_str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(self.source, self._key(key), "a string", value)
        return value

    def get_number(
        self, key: str, default: float, *, minimum: float, maximum: float
    ) -> float:
        """A finite number within [minimum, maximum] (TOML allows `nan` and `inf`; a poll
        interval or a threshold cannot be either)."""
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(self.source, self._key(key), "a number", value)
        if not math.isfinite(value) or not minimum <= value <= maximum:
            raise ConfigError(
                self.source, self._key(key), f"a number from {minimum:g} to {maximum:g}", value
            )
        return float(value)

    def get_int(self, key: str, default: int, *, minimum: int, maximum: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(self.source, self._key(key), "a whole number", value)
        if not minimum <= value <= maximum:
            raise ConfigError(
                self.source, self._key(key), f"a whole number from {minimum} to {maximum}", value
            )
        return value

    def get_bool(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(self.source, self._key(key), "true or false", value)
        return value

    def get_str_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(self.source, self._key(key), "a list of strings", value)
        return tuple(v for v in value if v.strip())

    def get_table(self, key: str) -> Table:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise ConfigError(self.source, self._key(key), "a table", value)
        return Table(value, self.source, f"{self._key(key)}.")

    def get_table_list(self, key: str) -> list[Table]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(self.source, self._key(key), "an array of tables", value)
        return [
            Table(v, self.source, f"{self._key(key)}[{i}].") for i, v in enumerate(value)
        ]

    def reject_unknown(self, known: set[str]) -> None:
        """Typos in keys fail loudly instead of being silently ignored."""
        for key in self.data:
            if key not in known:
                raise ConfigError(
                    self.source, self._key(key), f"one of {', '.join(sorted(known))}"
                )
