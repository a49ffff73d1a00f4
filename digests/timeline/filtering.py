"""Narrowing a merged timeline for display: a date range and a topic (pure, no I/O).

`about` is matched the way users type it: case- and width-insensitively (NFKC), English as
words that start a word in the text ("control" finds "controls"), Japanese as a substring,
since Japanese has no spaces to mark words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from digests.models import TimelineEvent
from digests.text import is_japanese, normalize

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def filter_events(
    events: Sequence[TimelineEvent],
    *,
    since: dt.date | None,
    until: dt.date | None,
    about: str | None,
) -> list[TimelineEvent]:
    """Events dated within [since, until] (both inclusive) whose text is about `about`."""
    matches = _matcher(about)
    return [
        event
        for event in events
        if (since is None or event.date >= since)
        and (until is None or event.date <= until)
        and matches(normalize(event.text))
    ]


def _matcher(about: str | None) -> _Match:
    query = normalize(about or "")
    if not query:
        return _Match(())
    if is_japanese(query) or _CJK.search(query):
        return _Match((), substring=query)
    words = tuple(re.compile(rf"(?<!\w){re.escape(word)}") for word in query.split())
    return _Match(words)


class _Match:
    """A compiled `about` query: every word must start a word, or the substring must occur."""

    def __init__(self, words: tuple[re.Pattern[str], ...], substring: str = "") -> None:
        self.words = words
        self.substring = substring

    def __call__(self, text: str) -> bool:
        if self.substring:
            return self.substring in text
        return all(word.search(text) for word in self.words)
