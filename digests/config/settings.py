"""Global settings from `storyline.toml`, each overridable by a `STORYLINE_*` variable.

The environment wins over the file so a Docker deployment can change any value without
editing the image; the defaults are the embedded demo (a local SQLite file, no Discord).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digests.config.errors import ConfigError
from digests.config.reading import Table, read_toml

DEFAULT_USER_AGENT = "Storyline/0.1 (+https://github.com/storyline-bot/storyline; feed reader)"

# Upper bounds: generous for any real deployment, small enough that arithmetic on them (a
# backoff doubling, a timedelta, a worker count) cannot overflow or exhaust the machine.
MAX_MINUTES = 30 * 24 * 60.0  # 30 days between polls, or of backoff
MAX_TIMEOUT_SECONDS = 3600.0
MAX_BODY_BYTES = 1 << 30
MAX_REDIRECTS = 30
MAX_CONCURRENCY = 1000
MAX_ENGINE_WORKERS = 256
# Discord ids are 64-bit snowflakes.
MAX_DISCORD_ID = (1 << 63) - 1
_HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
                        r"(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class HttpSettings:
    """Limits for fetching untrusted feed URLs."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 8
    per_host: int = 2
    allow_private_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything the shells (CLI, scheduler, bot) need that is not a storyline."""

    database: Path = Path("storyline.db")
    storylines_dir: Path = Path("config/storylines")
    poll_interval_minutes: float = 30.0
    max_backoff_minutes: float = 24 * 60.0
    log_level: str = "INFO"
    http: HttpSettings = field(default_factory=HttpSettings)
    discord_guild_id: int | None = None
    quiet_day: str = "note"
    # Worker processes for the engine's analysis of a large batch; 0 means one per core.
    engine_workers: int = 0
    # Fetch an entry's linked article page: "auto" (only a short or teaser entry a storyline
    # might match), "always" or "never"; `full_text_feeds` overrides it per feed URL.
    full_text: str = "auto"
    full_text_feeds: tuple[tuple[str, str], ...] = ()
    # Seconds between two article-page requests to one site (a politeness floor).
    full_text_delay_seconds: float = 1.0

    def full_text_for(self, feed_url: str) -> str:
        """The `full_text` mode of one feed: its own entry, else the global default."""
        return dict(self.full_text_feeds).get(feed_url, self.full_text)


FULL_TEXT_MODES = ("auto", "always", "never")
_ENV_PREFIX = "STORYLINE_"
# Variables with the prefix that are not settings (read elsewhere).
_ENV_RESERVED = frozenset({"STORYLINE_CONFIG", "STORYLINE_DISCORD_TOKEN",
                           "STORYLINE_DISCORD_TOKEN_FILE"})
# Expected kind per setting, so environment text is parsed by what the key needs rather than by
# what the value looks like (STORYLINE_DATABASE=2026 is a file name, not a number).
_ENV_KINDS: dict[str, str] = {
    "database": "str", "storylines_dir": "str", "log_level": "str", "quiet_day": "str",
    "poll_interval_minutes": "number", "max_backoff_minutes": "number",
    "discord_guild_id": "int", "engine_workers": "int", "full_text": "str",
    "full_text_feeds": "pairs", "full_text_delay_seconds": "number",
    "http.connect_timeout": "number", "http.read_timeout": "number",
    "http.max_bytes": "int", "http.max_redirects": "int", "http.concurrency": "int",
    "http.per_host": "int", "http.user_agent": "str", "http.allow_private_hosts": "list",
}
_EXPECTED = {"int": "a whole number", "number": "a number"}


def env_name(key: str) -> str:
    return _ENV_PREFIX + key.replace(".", "_").upper()


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    """Map `STORYLINE_HTTP_MAX_BYTES=1` to {"http.max_bytes": 1}, parsed by the key's kind."""
    by_name = {env_name(key): key for key in _ENV_KINDS}
    out: dict[str, Any] = {}
    for name, raw in env.items():
        if not name.startswith(_ENV_PREFIX) or name in _ENV_RESERVED:
            continue
        key = by_name.get(name)
        if key is None:
            known = ", ".join(sorted(by_name))
            raise ConfigError("environment", name, f"one of {known}")
        kind = _ENV_KINDS[key]
        value: Any = raw
        try:
            if kind == "int":
                value = int(raw)
            elif kind == "number":
                value = float(raw)
        except ValueError as exc:
            raise ConfigError("environment", name, _EXPECTED[kind], raw) from exc
        if kind == "list":
            value = [h.strip() for h in raw.split(",") if h.strip()]
        if kind == "pairs":
            # `URL=mode,URL=mode`: a URL may hold `=` in its query, so split at the last one.
            pairs = [p.strip().rpartition("=") for p in raw.split(",") if p.strip()]
            if any(not url.strip() for url, _, _ in pairs):
                raise ConfigError("environment", name, "URL=mode pairs, comma-separated", raw)
            value = {url.strip(): mode.strip() for url, _, mode in pairs}
        out[key] = value
    return out


def load_settings(
    config_dir: Path, env: Mapping[str, str] | None = None
) -> Settings:
    """Read `<config_dir>/storyline.toml` if present, then apply environment overrides."""
    env = os.environ if env is None else env
    path = config_dir / "storyline.toml"
    data: dict[str, Any] = read_toml(path) if path.exists() else {}
    overrides = _env_overrides(env)
    if not isinstance(data.get("http", {}), dict):
        raise ConfigError(path, "http", "a table ([http])", data["http"])
    http_data = dict(data.get("http", {}))
    for key, value in overrides.items():
        if key.startswith("http."):
            http_data[key[len("http.") :]] = value
        else:
            data[key] = value
    data["http"] = http_data
    source: Path | str = path if path.exists() else "environment"
    try:
        return _validate(data, source, config_dir)
    except ConfigError as exc:
        # A bad value that came from the environment is blamed on its variable, not the file.
        key = "full_text_feeds" if exc.key.startswith("full_text_feeds.") else exc.key
        if key in overrides:
            raise ConfigError("environment", env_name(key), exc.expected, exc.got) from exc
        raise


def _private_hosts(http: Table, source: Path | str) -> tuple[str, ...]:
    """Host names, addresses or networks; anything else is a typo that would open nothing."""
    entries = http.get_str_list("allow_private_hosts")
    for entry in entries:
        text = entry.strip()
        try:
            if "/" in text:
                ipaddress.ip_network(text, strict=False)
            else:
                ipaddress.ip_address(text.strip("[]"))
            continue
        except ValueError:
            if "/" not in text and _HOST_NAME.match(text):
                continue
        raise ConfigError(source, "http.allow_private_hosts",
                          "host names, addresses or networks (10.0.0.0/8)", entry)
    return entries


def _validate(data: dict[str, Any], source: Path | str, config_dir: Path) -> Settings:
    table = Table(data, source)
    table.reject_unknown(
        {
            "database",
            "storylines_dir",
            "poll_interval_minutes",
            "max_backoff_minutes",
            "log_level",
            "http",
            "discord_guild_id",
            "quiet_day",
            "engine_workers",
            "full_text",
            "full_text_feeds",
            "full_text_delay_seconds",
        }
    )
    http = table.get_table("http")
    http.reject_unknown(set(HttpSettings.__dataclass_fields__))
    defaults = HttpSettings()
    http_settings = HttpSettings(
        connect_timeout=http.get_number(
            "connect_timeout", defaults.connect_timeout, minimum=0.1, maximum=MAX_TIMEOUT_SECONDS
        ),
        read_timeout=http.get_number(
            "read_timeout", defaults.read_timeout, minimum=0.1, maximum=MAX_TIMEOUT_SECONDS
        ),
        max_bytes=http.get_int(
            "max_bytes", defaults.max_bytes, minimum=1024, maximum=MAX_BODY_BYTES
        ),
        max_redirects=http.get_int(
            "max_redirects", defaults.max_redirects, minimum=0, maximum=MAX_REDIRECTS
        ),
        user_agent=http.get_str("user_agent", defaults.user_agent),
        concurrency=http.get_int(
            "concurrency", defaults.concurrency, minimum=1, maximum=MAX_CONCURRENCY
        ),
        per_host=http.get_int(
            "per_host", defaults.per_host, minimum=1, maximum=MAX_CONCURRENCY
        ),
        allow_private_hosts=_private_hosts(http, source),
    )

    level = table.get_str("log_level", "INFO").upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(source, "log_level", "DEBUG, INFO, WARNING or ERROR", level)
    quiet = table.get_str("quiet_day", "note")
    if quiet not in {"note", "skip"}:
        raise ConfigError(source, "quiet_day", '"note" or "skip"', quiet)
    guild = data.get("discord_guild_id")
    if guild is not None and (
        isinstance(guild, bool) or not isinstance(guild, int) or not 0 < guild <= MAX_DISCORD_ID
    ):
        raise ConfigError(source, "discord_guild_id", "a numeric Discord server id", guild)
    storylines_default = str(config_dir / "storylines")
    if "storylines_dir" in data:
        chosen = Path(table.get_str("storylines_dir")).expanduser()
        if not chosen.is_dir():
            # Set on purpose but missing: running with no storylines would match nothing.
            raise ConfigError(source, "storylines_dir", "an existing folder", str(chosen))
    full_text = _full_text_mode(table.get_str("full_text", "auto"), source, "full_text")
    per_feed = table.get_table("full_text_feeds")
    full_text_feeds = tuple(
        (url, _full_text_mode(per_feed.get_str(url), source, f"full_text_feeds.{url}"))
        for url in sorted(per_feed.data)
    )
    return Settings(
        database=Path(table.get_str("database", "storyline.db")).expanduser(),
        storylines_dir=Path(table.get_str("storylines_dir", storylines_default)).expanduser(),
        poll_interval_minutes=table.get_number(
            "poll_interval_minutes", 30.0, minimum=1.0, maximum=MAX_MINUTES
        ),
        max_backoff_minutes=table.get_number(
            "max_backoff_minutes", 1440.0, minimum=1.0, maximum=MAX_MINUTES
        ),
        log_level=level,
        http=http_settings,
        discord_guild_id=guild,
        quiet_day=quiet,
        engine_workers=table.get_int(
            "engine_workers", 0, minimum=0, maximum=MAX_ENGINE_WORKERS
        ),
        full_text=full_text,
        full_text_feeds=full_text_feeds,
        full_text_delay_seconds=table.get_number(
            "full_text_delay_seconds", 1.0, minimum=0.0, maximum=60.0
        ),
    )


def _full_text_mode(value: str, source: Path | str, key: str) -> str:
    if value not in FULL_TEXT_MODES:
        raise ConfigError(source, key, '"auto", "always" or "never"', value)
    return value
