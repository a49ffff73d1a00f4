"""Loading `storyline.toml` and `storylines/<id>.toml` into typed, validated settings."""

from digests.config.errors import ConfigError
from digests.config.settings import HttpSettings, Settings, load_settings
from digests.config.storylines import (
    DigestSchedule,
    Entity,
    StorylineDefinition,
    load_storylines,
    parse_storyline,
)

__all__ = [
    "ConfigError",
    "DigestSchedule",
    "Entity",
    "HttpSettings",
    "Settings",
    "StorylineDefinition",
    "load_settings",
    "load_storylines",
    "parse_storyline",
]
