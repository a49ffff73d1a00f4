"""The plain records every stage shares, below all of them: what flows through the engine
(`coverage`), what a user says about a storyline (`storylines`), what lookups return
(`views`), what the renderers hand the shells (`messages`) and a fingerprint as stored
(`fingerprints`).

Frozen dataclasses with no behaviour beyond derived properties; this package imports nothing
from the rest of Storyline, so any stage may import it (an import-linter contract holds it
to that).
"""

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
