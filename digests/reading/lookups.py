"""Read-side lookups shared by the CLI, the digest builder and the slash commands.

The store's queries (`store/lookup_rows.py`) narrow the candidates (indexes, FTS5); the pure
engine (`timeline.merge_events`,
`quotes.best_containing`) does the judging. Everything a user types is passed as a parameter or
quoted as one FTS5 string, never spliced into SQL.

Syndicated and rewritten copies of one article are one story, and the engine extracts events
and quotes from every copy. Lookups therefore read a story through its lead item: the lead's
events and quotes stand for the story, every member is listed as a source of its events, a
copy's quote is shown with the lead's wording and source when the lead carries it too, and a
quote only a copy carries is kept. When a story's lead does not belong to the storyline, one
matching member stands in for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from functools import cached_property
from typing import TYPE_CHECKING, Any

from digests.models import (
    DigestInputs,
    ExtractedEvent,
    QuoteHit,
    SourceRef,
    StorylineDefinition,
    StorylineStats,
    StoryView,
    TimelineEvent,
)
from digests.reading import timeline_cache
from digests.store import lookup_rows as stored
from digests.store.handle import StoreHandle, as_handle
from digests.store.timestamps import from_iso
from digests.store.transaction import snapshot
from digests.text import normalize

# The quote matching and the timeline engine are imported where they are used: a process
# runs one lookup, and `timeline` needs no quote matching nor `who-said` any timeline code
# (issue 14: start-up of a lookup command).
if TYPE_CHECKING:
    from digests.quotes.fragments import FragmentMatch
    from digests.reading.merge_state import Spoken
    from digests.reading.merged_timelines import MergedTimelines

_WORD_RE = re.compile(r"[\w\u3040-\u30ff\u3400-\u9fff]+")
MAX_FTS_TERMS = 16
# Distinct wordings FTS hands on (schema v8 indexes each wording once, however often quoted).
WHO_SAID_POOL = 300
# Fuzzy ranking is Python over every candidate; the best FTS hits are enough to rank.
WHO_SAID_RANKED = 100
# Quotes read per wording, newest first: a line quoted by thousands of items costs 20 rows.
WHO_SAID_PER_WORDING = 20
# English words too common to narrow anything: FTS5 would rank every quote containing them
# (with the trigram tokenizer, every quote containing them as a substring: "can" in
# "American"). Words under three characters never reach the query. Japanese is sampled by
# three-character pieces and kept as is.
STOPWORDS = frozenset({
    "about", "after", "all", "also", "and", "any", "are", "because", "been", "but", "can",
    "could", "did", "does", "for", "from", "had", "has", "have", "her", "here", "him", "his",
    "how", "its", "just", "may", "more", "most", "not", "now", "off", "one", "only", "our",
    "out", "over", "she", "should", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "too", "very", "was", "were", "what",
    "when", "where", "which", "while", "who", "why", "will", "with", "would", "you", "your",
    "into", "onto", "upon", "said", "says", "say",
})
# A copy's quote this close to one of its lead's quotes is the lead's quote (a spinner or an
# aggregator changed a word or the punctuation).
SAME_QUOTE = 0.85

def _fts_terms(fragment: str) -> str | None:
    """An OR of quoted substrings (trigram tokenizer): tolerant of changed or missing words;
    common English words are left out unless nothing else is left."""
    terms: list[str] = []
    common: list[str] = []
    for word in _WORD_RE.findall(normalize(fragment)):
        if len(word) < 3:
            continue
        if word.isascii():
            (common if word in STOPWORDS else terms).append(word)
        else:  # Japanese has no spaces: sample overlapping three-character pieces
            terms.extend(word[i : i + 3] for i in range(0, max(len(word) - 2, 1), 2))
    if not terms:  # a fragment of common words only ("and then there were") keeps them
        terms = common
    unique = list(dict.fromkeys(t for t in terms if len(t) >= 3))[:MAX_FTS_TERMS]
    if not unique:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in unique)


def _event(row: dict[str, Any]) -> ExtractedEvent:
    return ExtractedEvent(
        date=dt.date.fromisoformat(row["date"]), text=row["text"], evidence=row["evidence"],
        relative=bool(row["relative"]), inferred=bool(row["inferred"]),
    )


def _source(row: dict[str, Any]) -> SourceRef:
    return SourceRef(item_id=row["item_id"], title=row["title"], url=row["url"],
                     feed=row.get("feed_url"))


def _item_date(row: dict[str, Any]) -> dt.date | None:
    when = from_iso(row.get("published")) or from_iso(row.get("fetched"))
    return when.date() if when else None


def _stand_ins(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows that speak for their story: the lead's, or one stand-in member's when the lead
    is outside the storyline (copies of a lead in the storyline never reach here)."""
    rows = list(rows)
    chosen: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row["role"] == 0:
            candidate = (row["added"], row["item_id"])
            current = chosen.get(row["story_id"])
            if current is None or candidate < current:
                chosen[row["story_id"]] = candidate
    return [
        row for row in rows
        if row["role"] == 1 or chosen.get(row["story_id"], ("", ""))[1] == row["item_id"]
    ]


Merge = Callable[[Sequence[tuple[ExtractedEvent, SourceRef]]], list[TimelineEvent]]


class Lookups:
    """Queries over one store for a fixed set of storyline definitions.

    The store is a plain `sqlite3` connection (a lookup command opens one without
    sqlite_utils, issue 14) or anything with its `execute` and `conn`, such as the
    `sqlite_utils.Database` the service holds. `merge` is the engine's event merger (loaded
    on first use); tests pass a counting one to see when a timeline is merged and when it is
    read back from the store.
    """

    def __init__(
        self, db: sqlite3.Connection | StoreHandle, storylines: Sequence[StorylineDefinition],
        *, merge: Merge | None = None,
    ) -> None:
        self.db = as_handle(db)
        self._storylines = list(storylines)
        self._merge = merge
        self._store_key = timeline_cache.store_key(self.db)

    @cached_property
    def _merged(self) -> MergedTimelines:
        """The stored merges, with the timeline engine they need, loaded on first use: a
        `who-said` process never reads a timeline (issue 14)."""
        from digests.reading.merged_timelines import MergedTimelines

        return MergedTimelines(self.db, self._spoken, self._with_members)

    def storylines(self) -> list[StorylineDefinition]:
        return list(self._storylines)

    def definition(self, storyline_id: str) -> StorylineDefinition | None:
        return next((d for d in self._storylines if d.id == storyline_id), None)

    # ------------------------------------------------------------------------------ stats
    def stats(self, storyline_id: str) -> StorylineStats:
        """Counts as people see them: events and quotes of copies count once, via the lead."""
        return stored.storyline_stats(self.db, storyline_id)

    # ------------------------------------------------------------------------------ stories
    def _members(self, story_ids: Iterable[str]) -> dict[str, tuple[SourceRef, ...]]:
        """Every item of each story, lead first: one indexed query for any number of stories."""
        wanted = sorted(set(story_ids))
        members: dict[str, list[SourceRef]] = {}
        if not wanted:
            return {}
        for row in stored.story_members(self.db, wanted):
            members.setdefault(row["story_id"], []).append(_source(row))
        return {story_id: tuple(refs) for story_id, refs in members.items()}

    def _stories(
        self, storyline_id: str, since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> list[StoryView]:
        story_rows = stored.stories(self.db, storyline_id, since, until)
        members = self._members(story["id"] for story in story_rows)
        views: list[StoryView] = []
        for story in story_rows:
            created = from_iso(story["created"])
            updated = from_iso(story["updated"])
            assert created is not None and updated is not None
            views.append(
                StoryView(
                    id=story["id"], title=story["title"],
                    sources=members.get(story["id"], ()),
                    published=from_iso(story["published"]), first_seen=created, updated=updated,
                )
            )
        return views

    def stories(self, storyline_id: str, *, since: dt.datetime | None = None) -> list[StoryView]:
        return self._stories(storyline_id, since)

    # ------------------------------------------------------------------------------ timeline
    def _story_events(
        self, storyline_id: str, since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> list[TimelineEvent]:
        """Events of the items speaking for their stories (stored in [since, until) when
        given), merged, with every story member as a source."""
        speaking = _stand_ins(stored.events(self.db, storyline_id, since=since, until=until))
        if self._merge is None:
            from digests.timeline import merge_events

            self._merge = merge_events
        merged = self._merge([(_event(r), _source(r)) for r in speaking])
        return self._with_members(merged, {r["item_id"]: r["story_id"] for r in speaking})

    def _with_members(
        self, events: Sequence[TimelineEvent], story_of: Mapping[str, str]
    ) -> list[TimelineEvent]:
        members = self._members(story_of.values())
        return [_with_story_sources(event, story_of, members) for event in events]

    def _spoken(self, storyline_id: str, items: Sequence[str] | None) -> list[Spoken]:
        """What the stored merge is made of: the speaking reports of these items (whole
        stories), or of the whole storyline."""
        from digests.reading.merge_state import Spoken
        from digests.timeline.incremental import Report

        return [
            Spoken(Report(int(r["event_id"]), _event(r), _source(r)), r["story_id"])
            for r in _stand_ins(stored.events(self.db, storyline_id, items=items))
        ]

    def _full_timeline(
        self, storyline_id: str, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[TimelineEvent]:
        """The merged timeline within [since, until]: from this process's memory (any
        instance on the same store), else the stored entries of those dates (merged in first
        when the store is behind), else, on a store that cannot be written, merged now."""
        whole = since is None and until is None
        with snapshot(self.db):  # a timeline and the generation it is stamped with
            current = timeline_cache.generation(self.db)
            known = timeline_cache.remembered(self._store_key, storyline_id, current)
            if known is not None:
                return known
            stored = self._merged.is_current(storyline_id, current)
            if stored:
                events = self._merged.page(storyline_id, since, until)
        if not stored:
            try:
                self._merged.refresh(storyline_id)
                events = self._merged.page(storyline_id, since, until)
            except sqlite3.OperationalError:  # busy or read-only: merge it here instead
                events, whole = self._story_events(storyline_id), True
        if whole:
            timeline_cache.remember(self._store_key, storyline_id, current, events)
        return events

    def refresh_timelines(self) -> list[str]:
        """Merge what changed into every storyline's stored timeline; run after processing
        (off the event loop) so `timeline` lookups find it ready. Returns the storylines
        refreshed."""
        refreshed: list[str] = []
        current = timeline_cache.generation(self.db)
        with suppress(sqlite3.OperationalError):
            self._merged.keep_only([definition.id for definition in self._storylines])
        for definition in self._storylines:
            if not self._merged.is_current(definition.id, current):
                with suppress(sqlite3.OperationalError):
                    self._merged.refresh(definition.id)
                refreshed.append(definition.id)
        return refreshed

    def timeline(
        self,
        storyline_id: str,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        about: str | None = None,
    ) -> list[TimelineEvent]:
        """The merged timeline, stored per storyline until something it is made of changes
        (events, story membership, leads, matches); filters apply to the full timeline."""
        from digests.timeline import filter_events

        merged = self._full_timeline(storyline_id, since, until)
        return filter_events(merged, since=since, until=until, about=about)

    # ------------------------------------------------------------------------------ quotes
    def _lead_quotes(self, story_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        wanted = sorted(set(story_ids))
        if not wanted:
            return {}
        by_story: dict[str, list[dict[str, Any]]] = {}
        for row in stored.lead_quotes(self.db, wanted):
            by_story.setdefault(row["story_id"], []).append(row)
        return by_story

    def _through_leads(self, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each quote once per story, as its lead reports it; order of first mention kept.

        A copy's quote that the lead also carries becomes the lead's row (its wording, its
        source; its speaker unless the lead left the quote unattributed). A quote only a copy
        carries stays as it is.
        """
        leads = self._lead_quotes(r["story_id"] for r in rows if not r["is_lead"])
        kept: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for row in rows:
            if not row["is_lead"]:
                twin = next(
                    (
                        lead for lead in leads.get(row["story_id"], ())
                        if _same_words(lead["quote"], row["quote"])
                    ),
                    None,
                )
                if twin is not None:
                    row = {**twin, "speaker": twin["speaker"] or row["speaker"]}
            identity = (row["story_id"], normalize(row["quote"]))
            if identity not in seen:
                seen.add(identity)
                kept.append(row)
        return kept

    def _hit(self, row: dict[str, Any], score: float) -> QuoteHit:
        return QuoteHit(speaker=row["speaker"], quote=row["quote"], date=_item_date(row),
                        source=_source(row), score=score)

    def who_said(
        self, text: str, *, storyline_id: str | None = None, limit: int = 5
    ) -> list[QuoteHit]:
        """The stored quotes that hold a remembered fragment, exact phrase first; empty when
        none does (never the nearest other quote). FTS narrows distinct wordings, the pure
        `best_containing` keeps those holding the fragment, then their quotes are read.

        Speakers that sources give for the same words are all shown, the majority first, each
        hit naming the others in `conflicting`."""
        from digests.quotes import best_containing

        query = _fts_terms(text)
        if query is None:
            return []
        pool = stored.quote_wordings(self.db, query, WHO_SAID_POOL)
        wordings = best_containing(text, pool, key=lambda r: r[1], limit=WHO_SAID_RANKED)
        wanted = limit * 3
        rows: list[dict[str, Any]] = []
        found = 0
        for _, (text_id, _) in wordings:
            quoted = stored.quotes_of_wording(self.db, text_id, storyline_id,
                                              WHO_SAID_PER_WORDING)
            rows.extend(quoted)
            found += bool(quoted)
            if found == wanted:
                break
        # A copy's row may have become its lead's wording: check containment again.
        held = best_containing(text, self._through_leads(rows), key=lambda r: str(r["quote"]),
                               limit=len(rows))
        return _answers(held, limit, self._hit)

    def canonical_person(self, person: str, storyline_id: str | None = None) -> str:
        wanted = normalize(person)
        for definition in self._storylines:
            if storyline_id and definition.id != storyline_id:
                continue
            for entity in definition.entities:
                if any(normalize(n) == wanted for n in entity.names):
                    return entity.name
        return person.strip()

    def _distinct_hits(self, rows: Sequence[dict[str, Any]], limit: int) -> list[QuoteHit]:
        """Newest first, each wording once; re-sorted because a copy may have been replaced
        by its (older) lead."""
        hits: list[QuoteHit] = []
        seen: set[str] = set()
        ordered = sorted(
            self._through_leads(rows),
            key=lambda r: str(r["published"] or r["fetched"] or ""), reverse=True,
        )
        for row in ordered:
            norm = normalize(row["quote"])
            if norm not in seen:
                seen.add(norm)
                hits.append(self._hit(row, 1.0))
        return hits[:limit]

    def quotes_by(
        self, person: str, *, storyline_id: str | None = None, limit: int = 50
    ) -> list[QuoteHit]:
        name = self.canonical_person(person, storyline_id)
        rows = stored.quotes_by_speaker(self.db, name, storyline_id, limit * 2)
        hits = self._distinct_hits(rows, len(rows))
        # A lead that names someone else for the same words wins over its copy.
        return [h for h in hits if (h.speaker or "").casefold() == name.casefold()][:limit]

    def people(self, storyline_id: str | None = None, prefix: str = "") -> list[str]:
        """Speakers with quotes, then configured people, filtered by a typed fragment."""
        names = stored.speakers(self.db, storyline_id, 200)
        for definition in self._storylines:
            if storyline_id and definition.id != storyline_id:
                continue
            names.extend(e.name for e in definition.people)
        wanted = normalize(prefix)
        unique = list(dict.fromkeys(names))
        return [n for n in unique if wanted in normalize(n)]

    # ------------------------------------------------------------------------------ digest
    def new_since(self, storyline_id: str, since: dt.datetime, until: dt.datetime) -> DigestInputs:
        """Stories, events and quotes from items stored in [since, until).

        Events come from the items speaking for their stories, so a copy arriving today does
        not repeat events its lead brought yesterday.
        """
        stories = self._stories(storyline_id, since, until)
        events = self._story_events(storyline_id, since, until)
        rows = stored.attributed_quotes(self.db, storyline_id, since, until, 200)
        quotes = self._distinct_hits(rows, len(rows))
        return DigestInputs(stories=tuple(stories), events=tuple(events), quotes=tuple(quotes))


def _answers(
    held: Sequence[tuple[FragmentMatch, dict[str, Any]]],
    limit: int,
    hit: Callable[[dict[str, Any], float], QuoteHit],
) -> list[QuoteHit]:
    """Hits for who-said: closest wording first; among equally close ones, attributed
    before unattributed and the speaker most sources agree on first. Each speaker and
    wording once. A hit whose words other sources give to someone else names them."""
    agreeing: dict[str, int] = {}
    for _, row in held:
        if row["speaker"]:
            name = str(row["speaker"]).casefold()
            agreeing[name] = agreeing.get(name, 0) + 1
    ordered = sorted(
        held,
        key=lambda pair: (pair[0].edits, not pair[1]["speaker"],
                          -agreeing.get(str(pair[1]["speaker"] or "").casefold(), 0)),
    )
    hits: list[QuoteHit] = []
    seen: set[tuple[str, str]] = set()
    for match, row in ordered:
        identity = (str(row["speaker"] or "").casefold(), normalize(row["quote"]))
        if identity in seen:  # separate stories quoting the same words: show it once
            continue
        seen.add(identity)
        hits.append(hit(row, match.score))
    return [_with_conflicts(h, hits) for h in hits[:limit]]


def _same_words(a: str, b: str) -> bool:
    """Two wordings of one quotation: equal after normalising, or nearly so both ways."""
    if normalize(a) == normalize(b):
        return True
    from digests.quotes import quote_similarity

    return min(quote_similarity(a, b), quote_similarity(b, a)) >= SAME_QUOTE


def _with_conflicts(hit: QuoteHit, hits: Sequence[QuoteHit]) -> QuoteHit:
    if not hit.speaker:
        return hit
    others = tuple(dict.fromkeys(
        str(other.speaker) for other in hits
        if other.speaker and other.speaker.casefold() != hit.speaker.casefold()
        and _same_words(other.quote, hit.quote)
    ))
    return dataclasses.replace(hit, conflicting=others) if others else hit


def _with_story_sources(
    event: TimelineEvent, story_of: Mapping[str, str], members: dict[str, tuple[SourceRef, ...]]
) -> TimelineEvent:
    """Replace each speaking item by all members of its story (lead first, no repeats)."""
    sources: dict[str, SourceRef] = {}
    for ref in event.sources:
        for member in members.get(story_of.get(ref.item_id, ""), ()) or (ref,):
            sources.setdefault(member.item_id, member)
    return dataclasses.replace(event, sources=tuple(sources.values()))
