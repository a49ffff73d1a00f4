"""Forward-only schema migrations keyed by `schema_version`.

Each migration is a function applied once, in order, inside a transaction, so a file from any
earlier release opens under the current code. Never edit a released migration: add one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from digests.store.timestamps import DAY_NUMBER_SQL

if TYPE_CHECKING:  # a lookup reads SCHEMA_VERSION without loading sqlite_utils (issue 14)
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]


def _v1_feeds_and_items(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            storyline_id TEXT,
            etag TEXT,
            last_modified TEXT,
            last_status INTEGER,
            last_error TEXT,
            error_count INTEGER NOT NULL DEFAULT 0,
            last_success TEXT,
            last_attempt TEXT,
            next_poll TEXT,
            added_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE items (
            id TEXT PRIMARY KEY,
            feed_url TEXT NOT NULL,
            guid TEXT,
            url TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            language TEXT,
            published TEXT,
            fetched TEXT NOT NULL,
            updated TEXT NOT NULL,
            content_hash TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX items_published ON items(published)")
    db.execute("CREATE INDEX items_content_hash ON items(content_hash)")
    db.execute("CREATE INDEX items_url ON items(url)")
    # trigram indexes Japanese (no spaces between words) as well as English; queries need
    # at least three characters. Written by hand (not enable_fts) so it stays inside the
    # migration's transaction.
    db.execute(
        "CREATE VIRTUAL TABLE items_fts USING fts5("
        "title, text, content='items', content_rowid='rowid', tokenize='trigram')"
    )
    db.execute(
        """CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
          INSERT INTO items_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END"""
    )
    db.execute(
        """CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
          INSERT INTO items_fts (items_fts, rowid, title, text)
          VALUES ('delete', old.rowid, old.title, old.text);
        END"""
    )
    db.execute(
        """CREATE TRIGGER items_au AFTER UPDATE ON items BEGIN
          INSERT INTO items_fts (items_fts, rowid, title, text)
          VALUES ('delete', old.rowid, old.title, old.text);
          INSERT INTO items_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END"""
    )


def _v2_item_sources(db: sqlite_utils.Database) -> None:
    """An item can arrive through several feeds; remember each one."""
    db.execute(
        """
        CREATE TABLE item_sources (
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            feed_url TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (item_id, feed_url)
        )
        """
    )
    db.execute(
        "INSERT INTO item_sources (item_id, feed_url, first_seen) "
        "SELECT id, feed_url, fetched FROM items"
    )


def _v3_engine(db: sqlite_utils.Database) -> None:
    """What the engine derives from items: match decisions, stories, events, quotes."""
    db.execute(
        """
        CREATE TABLE matches (
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            storyline_id TEXT NOT NULL,
            match INTEGER NOT NULL,
            score REAL NOT NULL,
            reasons TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            PRIMARY KEY (item_id, storyline_id)
        )
        """
    )
    db.execute("CREATE INDEX matches_storyline ON matches(storyline_id, match)")
    db.execute(
        """
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            lead_item_id TEXT NOT NULL,
            title TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE story_members (
            item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            similarity REAL NOT NULL DEFAULT 1.0,
            added TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX story_members_story ON story_members(story_id)")
    # MinHash-LSH band keys: near-duplicate candidates come from an indexed lookup, never a
    # scan over stored items.
    db.execute(
        """
        CREATE TABLE item_bands (
            band_key TEXT NOT NULL,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            PRIMARY KEY (band_key, item_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX item_bands_item ON item_bands(item_id)")
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            text TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '',
            relative INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX events_item ON events(item_id)")
    db.execute("CREATE INDEX events_date ON events(date)")
    db.execute(
        """
        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
            speaker TEXT,
            quote TEXT NOT NULL,
            style TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX quotes_item ON quotes(item_id)")
    db.execute("CREATE INDEX quotes_speaker ON quotes(speaker)")
    db.execute(
        "CREATE VIRTUAL TABLE quotes_fts USING fts5("
        "quote, content='quotes', content_rowid='id', tokenize='trigram')"
    )
    db.execute(
        """CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
          INSERT INTO quotes_fts (rowid, quote) VALUES (new.id, new.quote);
        END"""
    )
    db.execute(
        """CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
          INSERT INTO quotes_fts (quotes_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
        END"""
    )
    db.execute(
        """
        CREATE TABLE storyline_profiles (
            storyline_id TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            updated TEXT NOT NULL
        )
        """
    )


def _v4_discord(db: sqlite_utils.Database) -> None:
    """Channel subscriptions and the digest ledger that makes posting exactly-once."""
    db.execute(
        """
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            guild_id INTEGER,
            channel_id INTEGER NOT NULL,
            storyline_id TEXT NOT NULL,
            time TEXT NOT NULL DEFAULT '09:00',
            timezone TEXT NOT NULL DEFAULT 'UTC',
            status TEXT NOT NULL DEFAULT 'active',
            last_error TEXT,
            created TEXT NOT NULL,
            UNIQUE (channel_id, storyline_id)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE digests (
            id INTEGER PRIMARY KEY,
            storyline_id TEXT NOT NULL,
            channel_id INTEGER NOT NULL,
            period_start TEXT NOT NULL,
            period_end TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            parts TEXT NOT NULL DEFAULT '[]',
            message_ids TEXT NOT NULL DEFAULT '[]',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            UNIQUE (storyline_id, channel_id, period_end)
        )
        """
    )
    db.execute("CREATE INDEX digests_status ON digests(status)")


def _v5_fingerprints(db: sqlite_utils.Database) -> None:
    """Each clustered item's fingerprint, so comparing candidates never re-reads their text.

    Rows are written when the engine clusters an item; items clustered before this version get
    theirs the first time they turn up as a candidate, so nothing is backfilled here.
    """
    db.execute(
        """
        CREATE TABLE item_fingerprints (
            item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            band_keys TEXT NOT NULL,
            shingles BLOB NOT NULL,
            names TEXT NOT NULL,
            length INTEGER NOT NULL
        )
        """
    )


def _v6_recent_items_index(db: sqlite_utils.Database) -> None:
    """Newest-first listing (`ItemStore.recent`) walks an index instead of sorting every item.

    The expression and directions match the query's ORDER BY exactly, or SQLite ignores it;
    measured at 100k items: 1.2 s to sort, under 1 ms to walk.
    """
    db.execute("CREATE INDEX items_recent ON items(coalesce(published, fetched) DESC, id)")


def _v7_stored_timelines(db: sqlite_utils.Database) -> None:
    """Each storyline's merged timeline, computed after a poll instead of at lookup time.

    Merging every event of a storyline takes seconds on a large store, so it is stored with
    the `timeline_generation` it was computed from. Triggers bump that counter whenever
    something the timeline is made of changes (events, matches, story membership, leads, an
    item's title, address or feed); a stored timeline whose generation is behind is stale.
    A counter rather than counts or max ids because updates (a new lead, a match flipped)
    change neither.
    """
    db.execute(
        """
        CREATE TABLE timeline_generation (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL
        )
        """
    )
    db.execute("INSERT INTO timeline_generation (id, value) VALUES (1, 0)")
    db.execute(
        """
        CREATE TABLE timelines (
            storyline_id TEXT PRIMARY KEY,
            generation INTEGER NOT NULL,
            events TEXT NOT NULL
        )
        """
    )
    bump = "UPDATE timeline_generation SET value = value + 1 WHERE id = 1;"
    for table in ("events", "matches", "story_members", "stories"):
        for verb in ("INSERT", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_timeline_{verb.lower()} AFTER {verb} ON {table} "
                f"BEGIN {bump} END"
            )
    for table in ("events", "matches", "story_members"):
        db.execute(f"CREATE TRIGGER {table}_timeline_update AFTER UPDATE ON {table} "
                   f"BEGIN {bump} END")
    # Only a new lead reshapes the timeline; `updated` is touched whenever a member joins.
    db.execute(
        "CREATE TRIGGER stories_timeline_update AFTER UPDATE OF lead_item_id ON stories "
        f"WHEN old.lead_item_id IS NOT new.lead_item_id BEGIN {bump} END"
    )
    db.execute(
        "CREATE TRIGGER items_timeline_update AFTER UPDATE OF title, url, feed_url ON items "
        "WHEN old.title IS NOT new.title OR old.url IS NOT new.url "
        f"OR old.feed_url IS NOT new.feed_url BEGIN {bump} END"
    )


def _v8_distinct_quote_texts(db: sqlite_utils.Database) -> None:
    """One full-text row per distinct wording, not per quote.

    A line that matters gets quoted by hundreds of articles. With one FTS row per quote,
    `who-said` ranked every copy of it (FTS5 scores every row a query matches before it can
    sort): at 100k items the lookup took hundreds of milliseconds for one popular line.
    `quote_texts` holds each wording once and is what FTS indexes; `quotes.text_id` points at
    it. Triggers keep both in step with `quotes`, so writers keep inserting and deleting
    quotes as before, and a wording no quote uses any more leaves the index.
    """
    db.execute(
        "CREATE TABLE quote_texts (id INTEGER PRIMARY KEY, quote TEXT NOT NULL UNIQUE)"
    )
    db.execute("ALTER TABLE quotes ADD COLUMN text_id INTEGER REFERENCES quote_texts(id)")
    db.execute("INSERT INTO quote_texts (quote) SELECT DISTINCT quote FROM quotes ORDER BY quote")
    db.execute(
        "UPDATE quotes SET text_id = (SELECT t.id FROM quote_texts t WHERE t.quote = quotes.quote)"
    )
    db.execute("CREATE INDEX quotes_text ON quotes(text_id)")
    db.execute("DROP TRIGGER quotes_ai")
    db.execute("DROP TRIGGER quotes_ad")
    db.execute("DROP TABLE quotes_fts")
    db.execute(
        "CREATE VIRTUAL TABLE quote_texts_fts USING fts5("
        "quote, content='quote_texts', content_rowid='id', tokenize='trigram')"
    )
    db.execute("INSERT INTO quote_texts_fts (quote_texts_fts) VALUES ('rebuild')")
    db.execute(
        """CREATE TRIGGER quote_texts_ai AFTER INSERT ON quote_texts BEGIN
          INSERT INTO quote_texts_fts (rowid, quote) VALUES (new.id, new.quote);
        END"""
    )
    db.execute(
        """CREATE TRIGGER quote_texts_ad AFTER DELETE ON quote_texts BEGIN
          INSERT INTO quote_texts_fts (quote_texts_fts, rowid, quote)
            VALUES ('delete', old.id, old.quote);
        END"""
    )
    link = (
        "INSERT OR IGNORE INTO quote_texts (quote) VALUES (new.quote); "
        "UPDATE quotes SET text_id = (SELECT id FROM quote_texts WHERE quote = new.quote) "
        "WHERE id = new.id;"
    )
    unlink = (
        "DELETE FROM quote_texts WHERE id = old.text_id "
        "AND NOT EXISTS (SELECT 1 FROM quotes WHERE text_id = old.text_id);"
    )
    db.execute(f"CREATE TRIGGER quotes_text_ai AFTER INSERT ON quotes BEGIN {link} END")
    db.execute(f"CREATE TRIGGER quotes_text_ad AFTER DELETE ON quotes BEGIN {unlink} END")
    db.execute(
        "CREATE TRIGGER quotes_text_au AFTER UPDATE OF quote ON quotes "
        f"WHEN old.quote IS NOT new.quote BEGIN {link} {unlink} END"
    )


def _v9_band_arrival_order(db: sqlite_utils.Database) -> None:
    """Band rows in arrival order, so a lookup can take each key's newest items first.

    Most band keys belong to a handful of items, but text every article on a storyline
    repeats (a standard sentence, a stock quote) gives keys shared by thousands, and counting
    those on every lookup made clustering slow down as the store grew. Copies of one article
    arrive close together and any one member of a story is enough to join it, so a lookup now
    reads only the newest rows of each key (`DerivedStore.band_candidates`). That needs an
    order the old table (keyed on band key and item id) did not have: rows get a rowid, and
    the key index lists them by it. Existing rows are copied in their items' arrival order.
    """
    db.execute(
        """
        CREATE TABLE item_bands_v9 (
            id INTEGER PRIMARY KEY,
            band_key TEXT NOT NULL,
            item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE
        )
        """
    )
    db.execute(
        "INSERT INTO item_bands_v9 (band_key, item_id) SELECT b.band_key, b.item_id "
        "FROM item_bands b JOIN items i ON i.id = b.item_id ORDER BY i.rowid, b.band_key"
    )
    db.execute("DROP TABLE item_bands")
    db.execute("ALTER TABLE item_bands_v9 RENAME TO item_bands")
    db.execute("CREATE INDEX item_bands_key ON item_bands(band_key)")
    db.execute("CREATE INDEX item_bands_item ON item_bands(item_id)")


def _v10_quotes_by_speaker_in_time(db: sqlite_utils.Database) -> None:
    """A speaker's quotes, newest first, straight from an index.

    `quotes --person` (and `/who said` with a person) listed a speaker's quotes newest first
    by their item's date, so SQLite read every quote of the speaker, looked up each item and
    sorted (the speaker index was also unusable: it was built without the case-insensitive
    collation the lookup compares with). At 20k items a busy speaker took 30–50 ms. Each
    quote now carries its item's date (`said_at`, kept by triggers when items change), and
    one index on (speaker without case, said_at) hands the newest ones over in order.
    """
    db.execute("ALTER TABLE quotes ADD COLUMN said_at TEXT")
    db.execute(
        "UPDATE quotes SET said_at = "
        "(SELECT coalesce(i.published, i.fetched) FROM items i WHERE i.id = quotes.item_id)"
    )
    db.execute("DROP INDEX quotes_speaker")
    db.execute(
        "CREATE INDEX quotes_speaker_time ON quotes(speaker COLLATE NOCASE, said_at DESC)"
    )
    db.execute(
        "CREATE TRIGGER quotes_said_at AFTER INSERT ON quotes BEGIN "
        "UPDATE quotes SET said_at = (SELECT coalesce(i.published, i.fetched) FROM items i "
        "WHERE i.id = new.item_id) WHERE id = new.id; END"
    )
    db.execute(
        "CREATE TRIGGER items_said_at AFTER UPDATE OF published, fetched ON items "
        "WHEN coalesce(old.published, old.fetched) IS NOT coalesce(new.published, new.fetched) "
        "BEGIN UPDATE quotes SET said_at = coalesce(new.published, new.fetched) "
        "WHERE item_id = new.id; END"
    )


def _v11_inferred_event_dates(db: sqlite_utils.Database) -> None:
    """Whether an event's date is the item's publication day standing in for one its text
    never states (a news lead with no date), so a timeline can say so. Events stored before
    are all dated by their text: 0 is right for every existing row."""
    db.execute("ALTER TABLE events ADD COLUMN inferred INTEGER NOT NULL DEFAULT 0")


def _v12_processed_items(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE item_processing (
            item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            engine_version INTEGER NOT NULL,
            processed_at TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )
    # What an older release processed: clustering is the first write of an item's one
    # transaction, so a story membership means every derived row was written. An item changed
    # since it joined is left out and processed again (harmless: processing is idempotent).
    db.execute(
        "INSERT INTO item_processing (item_id, engine_version, processed_at) "
        "SELECT m.item_id, 1, m.added FROM story_members m JOIN items i ON i.id = m.item_id "
        "WHERE i.updated <= m.added"
    )


def _v13_item_pages(db: sqlite_utils.Database) -> None:
    """The article page behind an item whose feed carries only a teaser (issue 11): its text
    beside the feed's summary, or why it was not fetched or not usable (`outcome`: fetched,
    failed, robots, skipped), per item and per page URL so no page is fetched twice; a
    failure that may pass (`retry`) is tried again at later polls, `attempts` times in all."""
    db.execute(
        """
        CREATE TABLE item_pages (
            item_id TEXT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
            feed_url TEXT NOT NULL,
            url TEXT NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT,
            text TEXT NOT NULL DEFAULT '',
            author TEXT,
            published TEXT,
            language TEXT,
            attempted_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            retry INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX item_pages_url ON item_pages (url)")
    db.execute("CREATE INDEX item_pages_feed ON item_pages (feed_url, outcome)")


def _v14_page_validators_and_site_backoff(db: sqlite_utils.Database) -> None:
    """Conditional GET for article pages (RFC 9110 §13.1: the ETag and Last-Modified a page was
    served with, sent back when an updated item's page is checked again) and a backoff per
    site that fails, remembered across polls (`page_sites`: consecutive failures, the last
    error, the feed whose page met it, when to try again). Rows from before have no
    validators: their next check is a plain GET, as before."""
    db.execute("ALTER TABLE item_pages ADD COLUMN etag TEXT")
    db.execute("ALTER TABLE item_pages ADD COLUMN last_modified TEXT")
    db.execute(
        """
        CREATE TABLE page_sites (
            site TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_error TEXT,
            feed_url TEXT,
            failed_at TEXT NOT NULL,
            next_try TEXT
        )
        """
    )


def _v15_items_without_trigram_index(db: sqlite_utils.Database) -> None:
    """No full-text index of item bodies (issue 14): its trigger cost 85% of storing an item
    and the index took 2.4–2.8× the items table, for `storyline items --search` alone, which
    now compares lower-cased text the way the trigram index did (`ItemStore.search`). The
    quotes' index (`quote_texts_fts`, v8) stays: `who-said` ranks with it."""
    for trigger in ("items_ai", "items_ad", "items_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    db.execute("DROP TABLE IF EXISTS items_fts")


def _v16_incremental_timelines(db: sqlite_utils.Database) -> None:
    """The state of each storyline's merge, kept so a poll merges only what it changed.

    `timeline_changes` logs the items whose reports may have changed (their events, matches,
    story or title, or a story they belong to changing lead or members); each storyline's
    merge consumes the log up to `timeline_states.changes_seen`. The rest is the merge:
    the reports it was made of (`timeline_reports`, with the names `retelling` counts, so a
    report's names leave the counts even after its event is gone), name counts per storyline
    and per day, each day's clusters, and the merged entries, one row each so a page of the
    timeline reads its dates only.
    """
    db.execute(
        "CREATE TABLE timeline_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "item_id TEXT NOT NULL)"
    )
    db.execute(
        """
        CREATE TABLE timeline_states (
            storyline_id TEXT PRIMARY KEY,
            generation INTEGER NOT NULL,
            changes_seen INTEGER NOT NULL,
            reports INTEGER NOT NULL,
            next_group INTEGER NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE timeline_reports (
            storyline_id TEXT NOT NULL,
            event_id INTEGER NOT NULL,
            item_id TEXT NOT NULL,
            story_id TEXT NOT NULL,
            day TEXT NOT NULL,
            names TEXT NOT NULL,
            PRIMARY KEY (storyline_id, event_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX timeline_reports_item ON timeline_reports(storyline_id, item_id)")
    db.execute("CREATE INDEX timeline_reports_day ON timeline_reports(storyline_id, day)")
    db.execute(
        """
        CREATE TABLE timeline_names (
            storyline_id TEXT NOT NULL,
            name TEXT NOT NULL,
            reports INTEGER NOT NULL,
            PRIMARY KEY (storyline_id, name)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX timeline_names_count ON timeline_names(storyline_id, reports)")
    db.execute(
        """
        CREATE TABLE timeline_name_days (
            storyline_id TEXT NOT NULL,
            name TEXT NOT NULL,
            day TEXT NOT NULL,
            reports INTEGER NOT NULL,
            PRIMARY KEY (storyline_id, name, day)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        """
        CREATE TABLE timeline_days (
            storyline_id TEXT NOT NULL,
            day TEXT NOT NULL,
            clusters TEXT NOT NULL,
            PRIMARY KEY (storyline_id, day)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        """
        CREATE TABLE timeline_entries (
            storyline_id TEXT NOT NULL,
            grp INTEGER NOT NULL,
            date TEXT NOT NULL,
            text TEXT NOT NULL,
            first INTEGER NOT NULL,
            days TEXT NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY (storyline_id, grp)
        ) WITHOUT ROWID
        """
    )
    db.execute(
        "CREATE INDEX timeline_entries_date ON timeline_entries(storyline_id, date, text, first)"
    )
    log = "INSERT INTO timeline_changes (item_id) VALUES ({});"
    lead = "INSERT INTO timeline_changes (item_id) SELECT lead_item_id FROM stories WHERE id = {};"
    triggers = {
        "events_changes_insert": ("AFTER INSERT ON events", log.format("new.item_id")),
        "events_changes_delete": ("AFTER DELETE ON events", log.format("old.item_id")),
        "events_changes_update": (
            "AFTER UPDATE ON events", log.format("old.item_id") + log.format("new.item_id")
        ),
        "matches_changes_insert": ("AFTER INSERT ON matches", log.format("new.item_id")),
        "matches_changes_delete": ("AFTER DELETE ON matches", log.format("old.item_id")),
        "matches_changes_update": (
            "AFTER UPDATE ON matches", log.format("old.item_id") + log.format("new.item_id")
        ),
        # A member joining or leaving changes the sources of its story's lead's events.
        "story_members_changes_insert": (
            "AFTER INSERT ON story_members",
            log.format("new.item_id") + lead.format("new.story_id"),
        ),
        "story_members_changes_delete": (
            "AFTER DELETE ON story_members",
            log.format("old.item_id") + lead.format("old.story_id"),
        ),
        "story_members_changes_update": (
            "AFTER UPDATE ON story_members",
            log.format("old.item_id") + lead.format("old.story_id")
            + log.format("new.item_id") + lead.format("new.story_id"),
        ),
        "stories_changes_insert": ("AFTER INSERT ON stories", log.format("new.lead_item_id")),
        "stories_changes_delete": ("AFTER DELETE ON stories", log.format("old.lead_item_id")),
        "stories_changes_update": (
            "AFTER UPDATE OF lead_item_id ON stories "
            "WHEN old.lead_item_id IS NOT new.lead_item_id",
            log.format("old.lead_item_id") + log.format("new.lead_item_id"),
        ),
        "items_changes_update": (
            "AFTER UPDATE OF title, url, feed_url ON items WHEN old.title IS NOT new.title "
            "OR old.url IS NOT new.url OR old.feed_url IS NOT new.feed_url",
            log.format("new.id"),
        ),
    }
    for name, (when, body) in triggers.items():
        db.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def _v17_robots_files(db: sqlite_utils.Database) -> None:
    """Each site's robots.txt kept across polls (RFC 9309 §2.4: a crawler may reuse it for up
    to a day), with the validators it was served with so the next check is a conditional GET.
    Before, every poll that fetched a page asked each of its sites for robots.txt again."""
    db.execute(
        """
        CREATE TABLE robots_files (
            site TEXT PRIMARY KEY,
            status INTEGER NOT NULL,
            body TEXT,
            etag TEXT,
            last_modified TEXT,
            fetched_at TEXT NOT NULL
        )
        """
    )


def _v18_band_lookups_from_the_index_alone(db: sqlite_utils.Database) -> None:
    """Band-key lookups answered by one index, without touching the band rows.

    Looking for duplicate candidates reads each band key's newest items (v9). The key index
    gave their row ids in order, but the item id lived in the row, so every one of up to 20
    rows per key (~40 keys per item) cost a seek into the table; on a large store most of
    those rows are old and their pages are not cached, and that cost grew with the store.
    An index on (band key, arrival, item) answers the lookup by itself in the same order;
    it replaces the key index, whose every use it serves.
    """
    db.execute("CREATE INDEX item_bands_newest ON item_bands(band_key, id, item_id)")
    db.execute("DROP INDEX item_bands_key")


def _v19_band_rows_dated(db: sqlite_utils.Database) -> None:
    """Duplicate candidates looked for among the items dated near the new one.

    A lookup read each band key's 20 newest items whatever their age, so as the store grew an
    item met more and more chance collisions with items from months before, each read and
    compared: clustering cost grew with the store. Copies of an article arrive within days
    of it, so a lookup now reads only the items dated within `COPY_WINDOW_DAYS` of the new
    one (`DerivedStore.band_candidates`). Each band row gets its item's day (publication,
    else fetch time, as `timestamps.day_number`), and the key index orders by it.
    """
    db.execute("ALTER TABLE item_bands ADD COLUMN day INTEGER")
    day = DAY_NUMBER_SQL.format("coalesce(i.published, i.fetched)")
    db.execute(
        f"UPDATE item_bands SET day = (SELECT {day} FROM items i WHERE i.id = item_bands.item_id)"
    )
    db.execute("CREATE INDEX item_bands_near ON item_bands(band_key, day, id, item_id)")
    db.execute("DROP INDEX item_bands_newest")


MIGRATIONS: tuple[Migration, ...] = (
    _v1_feeds_and_items,
    _v2_item_sources,
    _v3_engine,
    _v4_discord,
    _v5_fingerprints,
    _v6_recent_items_index,
    _v7_stored_timelines,
    _v8_distinct_quote_texts,
    _v9_band_arrival_order,
    _v10_quotes_by_speaker_in_time,
    _v11_inferred_event_dates,
    _v12_processed_items,
    _v13_item_pages,
    _v14_page_validators_and_site_backoff,
    _v15_items_without_trigram_index,
    _v16_incremental_timelines,
    _v17_robots_files,
    _v18_band_lookups_from_the_index_alone,
    _v19_band_rows_dated,
)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(db: sqlite_utils.Database) -> int:
    if not db["schema_version"].exists():
        return 0
    row = next(db.query("SELECT max(version) AS v FROM schema_version"), None)
    return int(row["v"]) if row and row["v"] is not None else 0


def migrate(db: sqlite_utils.Database, target: int = SCHEMA_VERSION) -> int:
    """Apply every migration above the file's version up to `target`; returns the new version."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)")
    version = current_version(db)
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {version} is newer than this Storyline "
            f"({SCHEMA_VERSION}); upgrade Storyline"
        )
    for number in range(version + 1, target + 1):
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process (the service, a CLI command, the health check) may have applied
            # this step while we waited for the write lock: re-read under the lock.
            if current_version(db) >= number:
                conn.execute("COMMIT")
                continue
            MIGRATIONS[number - 1](db)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", [number])
        except BaseException:
            # SQLite rolls back by itself after some errors (I/O, disk full); a second
            # ROLLBACK would then fail and hide the error that matters.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return max(version, target)
