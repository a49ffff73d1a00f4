"""The plain records every stage shares, below all of them: what flows through the engine
(`coverage`), what a user says about a storyline (`storylines`), what lookups return
(`views`), what the renderers hand the shells (`messages`) and a fingerprint as stored
(`fingerprints`).

Frozen dataclasses with no behaviour beyond derived properties; this package imports nothing
from the rest of Storyline, so any stage may import it (an import-linter contract holds it
to that).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The names below are loaded from their module on first use: a lookup command needs the
# storyline, coverage and view records, not the message or fingerprint ones (issue 14).
if TYPE_CHECKING:
    from digests.models.coverage import (
        ExtractedEvent,
        ExtractedQuote,
        Item,
        MatchDecision,
        ParsedEntry,
        ParsedFeed,
        SourceRef,
        TimelineEvent,
    )
    from digests.models.fingerprints import EncodedFingerprint
    from digests.models.messages import EmbedField, EmbedSpec, MessageSpec
    from digests.models.storylines import ENTITY_KINDS, DigestSchedule, Entity, StorylineDefinition
    from digests.models.views import DigestInputs, QuoteHit, StorylineStats, StoryView

_HOMES = {
    "ExtractedEvent": "coverage",
    "ExtractedQuote": "coverage",
    "Item": "coverage",
    "MatchDecision": "coverage",
    "ParsedEntry": "coverage",
    "ParsedFeed": "coverage",
    "SourceRef": "coverage",
    "TimelineEvent": "coverage",
    "EncodedFingerprint": "fingerprints",
    "EmbedField": "messages",
    "EmbedSpec": "messages",
    "MessageSpec": "messages",
    "ENTITY_KINDS": "storylines",
    "DigestSchedule": "storylines",
    "Entity": "storylines",
    "StorylineDefinition": "storylines",
    "DigestInputs": "views",
    "QuoteHit": "views",
    "StorylineStats": "views",
    "StoryView": "views",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"digests.models.{home}"), name)


__all__ = [
    "ENTITY_KINDS",
    "DigestInputs",
    "DigestSchedule",
    "EmbedField",
    "EmbedSpec",
    "EncodedFingerprint",
    "Entity",
    "ExtractedEvent",
    "ExtractedQuote",
    "Item",
    "MatchDecision",
    "MessageSpec",
    "ParsedEntry",
    "ParsedFeed",
    "QuoteHit",
    "SourceRef",
    "StoryView",
    "StorylineDefinition",
    "StorylineStats",
    "TimelineEvent",
]
