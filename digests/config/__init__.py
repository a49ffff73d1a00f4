"""Loading `storyline.toml` and `storylines/<id>.toml` into typed, validated settings.

The storyline records themselves live in `digests.models` (every stage uses them); they are
re-exported here for the shells that load and use them together.
"""

from digests.config.errors import ConfigError
from digests.config.settings import HttpSettings, Settings, load_settings
from digests.config.storylines import load_storylines, parse_storyline
from digests.models.storylines import DigestSchedule, Entity, StorylineDefinition

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
