"""Dated events from EN/JA coverage, merged across items into one timeline (pure, no I/O).

`extract_events` finds dates with our own patterns and resolves them against the item's
publication date or dates it states, and dates a news item's undated lead by its publication
(`inferred`); `merge_events` folds the same development reported by several items, in other
words or another language, into one `TimelineEvent`; `filter_events` narrows a timeline for
display.
"""

from digests.timeline.extraction import extract_events
from digests.timeline.filtering import filter_events
from digests.timeline.merging import merge_events

__all__ = ["extract_events", "filter_events", "merge_events"]
