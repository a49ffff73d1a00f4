"""What a user says about a storyline, as the engine receives it.

`digests.config` turns a storyline's TOML file into these; every stage (matching, quotes,
the digest, the read side, the bot) takes them from here, so none of them depends on how
they were written down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ENTITY_KINDS = ("person", "organization", "product", "government", "topic", "place")


@dataclass(frozen=True)
class Entity:
    """A name the storyline cares about, with every spelling coverage uses for it."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "topic"
    role: str | None = None
    core: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class DigestSchedule:
    """When the daily digest goes out, in the subscriber's own timezone."""

    time: str = "09:00"
    timezone: str = "UTC"


@dataclass(frozen=True)
class StorylineDefinition:
    """A user's description of a storyline; the engine knows nothing else about it."""

    id: str
    name: str
    description: str
    keywords: tuple[str, ...]
    entities: tuple[Entity, ...] = ()
    negative_keywords: tuple[str, ...] = ()
    seed_paths: tuple[Path, ...] = ()
    feeds: tuple[str, ...] = ()
    digest: DigestSchedule = field(default_factory=DigestSchedule)
    match_threshold: float | None = None
    source: str = ""

    @property
    def people(self) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.kind == "person")
