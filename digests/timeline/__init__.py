"""Dated events from EN/JA coverage, merged across items into one timeline (pure, no I/O).

`extract_events` finds dates with our own patterns and resolves them against the item's
publication date or dates it states, and dates a news item's undated lead by its publication
(`inferred`); `merge_events` folds the same development reported by several items, in other
words or another language, into one `TimelineEvent`; `filter_events` narrows a timeline for
display.
"""

from typing import TYPE_CHECKING, Any

from digests.timeline.filtering import filter_events

if TYPE_CHECKING:
    from digests.timeline.extraction import extract_events
    from digests.timeline.merging import merge_events


def __getattr__(name: str) -> Any:
    """Extraction compiles its date patterns on import, which reading a timeline never
    uses, and reading a stored timeline merges nothing: both are imported on first use
    (issue 14)."""
    if name == "extract_events":
        from digests.timeline.extraction import extract_events

        return extract_events
    if name == "merge_events":
        from digests.timeline.merging import merge_events

        return merge_events
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["extract_events", "filter_events", "merge_events"]
