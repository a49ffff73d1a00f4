"""Storyline definitions: `config/storylines/<id>.toml`, one tracked storyline per file.

Only `id`, `name`, `description` and `keywords` are required; every richer section (entities
with aliases, negative terms, seed documents, feeds, digest schedule) is optional and only
sharpens what the minimal form already does. The schema is documented in
`docs/configuration.md`.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digests.config.errors import ConfigError
from digests.config.reading import Table, read_toml
from digests.models.storylines import (
    ENTITY_KINDS,
    DigestSchedule,
    Entity,
    StorylineDefinition,
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _parse_entity(table: Table) -> Entity:
    table.reject_unknown({"name", "aliases", "kind", "role", "core"})
    kind = table.get_str("kind", "topic")
    if kind not in ENTITY_KINDS:
        expected = f"one of {', '.join(ENTITY_KINDS)}"
        raise ConfigError(table.source, f"{table.prefix}kind", expected, kind)
    return Entity(
        name=table.get_str("name", required=True).strip(),
        aliases=table.get_str_list("aliases"),
        kind=kind,
        role=table.get_optional_str("role"),
        core=table.get_bool("core", False),
    )


def _parse_schedule(table: Table) -> DigestSchedule:
    table.reject_unknown({"time", "timezone"})
    time = table.get_str("time", "09:00")
    if not _TIME_RE.match(time):
        raise ConfigError(table.source, f"{table.prefix}time", 'a 24-hour time like "09:00"', time)
    tz = table.get_str("timezone", "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            table.source, f"{table.prefix}timezone", 'an IANA timezone like "Europe/Paris"', tz
        ) from exc
    return DigestSchedule(time=time, timezone=tz)


def parse_storyline(data: dict[str, object], source: Path | str) -> StorylineDefinition:
    """Validate one storyline table; seed globs resolve relative to the file's folder."""
    table = Table(dict(data), source)
    table.reject_unknown(
        {
            "id",
            "name",
            "description",
            "keywords",
            "entities",
            "negative_keywords",
            "seeds",
            "feeds",
            "digest",
            "match_threshold",
        }
    )
    sid = table.get_str("id", required=True)
    if not _ID_RE.match(sid):
        raise ConfigError(source, "id", "lower-case letters, digits, - or _ (max 64)", sid)
    keywords = table.get_str_list("keywords")
    if not keywords:
        raise ConfigError(source, "keywords", "at least one keyword")
    base = Path(source).parent if isinstance(source, Path) else Path.cwd()
    seed_paths: list[Path] = []
    for pattern in table.get_str_list("seeds"):
        is_glob = any(c in pattern for c in "*?[")
        full = str(base / Path(pattern).expanduser())  # an absolute pattern stays absolute
        matches = sorted(Path(p) for p in glob.glob(full)) if is_glob else [Path(full)]
        if not matches:
            raise ConfigError(source, "seeds", "a pattern matching at least one file", pattern)
        for path in matches:
            if not path.is_file():
                raise ConfigError(source, "seeds", "paths of existing files", pattern)
            seed_paths.append(path.resolve())
    threshold = None
    if "match_threshold" in table.data:
        threshold = table.get_number("match_threshold", 0.5, minimum=0.0, maximum=1.0)
    return StorylineDefinition(
        id=sid,
        name=table.get_str("name", required=True),
        description=table.get_str("description", required=True),
        keywords=keywords,
        entities=tuple(_parse_entity(t) for t in table.get_table_list("entities")),
        negative_keywords=table.get_str_list("negative_keywords"),
        seed_paths=tuple(seed_paths),
        feeds=table.get_str_list("feeds"),
        digest=_parse_schedule(table.get_table("digest")),
        match_threshold=threshold,
        source=str(source),
    )


def load_storylines(directory: Path) -> list[StorylineDefinition]:
    """Every `*.toml` in the folder, sorted by id; duplicate ids are a configuration error."""
    if not directory.is_dir():
        return []
    found: dict[str, StorylineDefinition] = {}
    for path in sorted(directory.glob("*.toml")):
        definition = parse_storyline(read_toml(path), path)
        if definition.id in found:
            raise ConfigError(path, "id", "an id no other storyline file uses", definition.id)
        found[definition.id] = definition
    return sorted(found.values(), key=lambda d: d.id)
