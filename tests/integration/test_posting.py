"""Exactly-once digest posting against a fake in-memory Discord, with crashes and restarts.

A "crash" is a BaseException raised inside the deliverer: it unwinds through the poster like a
killed process would (nothing after it runs). A "restart" opens the same database file again
and builds a new poster, sharing only the fake server's channels — like the real Discord.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlite_utils

from digests.config import StorylineDefinition, load_storylines
from digests.delivery.base import DeliveryError
from digests.delivery.digest_job import send_digest
from digests.delivery.posting import Poster, PostOutcome, RetryPolicy
from digests.digest.limits import violations
from digests.models import EmbedSpec, MessageSpec, ParsedEntry
from digests.pipeline import process_items
from digests.reading.lookups import Lookups
from digests.store import ItemStore, open_database
from digests.store.ledger import FAILED, PENDING, SENT, DigestLedger
from digests.store.subscriptions import SubscriptionStore
from tests.support.cli import run_cli

NOW = dt.datetime(2026, 6, 26, 9, tzinfo=dt.UTC)
START = NOW - dt.timedelta(days=1)
CHANNEL = 555


class Crash(BaseException):
    """The process dies here."""


@dataclass
class FakeServer:
    """Discord's side: what each channel really holds."""

    channels: dict[int, list[tuple[int, MessageSpec]]] = field(default_factory=dict)
    next_id: int = 1000

    def post(self, channel_id: int, message: MessageSpec) -> int:
        self.next_id += 1
        self.channels.setdefault(channel_id, []).append((self.next_id, message))
        return self.next_id

    def texts(self, channel_id: int) -> list[str]:
        return [m.embeds[0].description for _, m in self.channels.get(channel_id, [])]


@dataclass
class FakeDeliverer:
    """A deliverer with scripted failures: `script[n]` decides what the n-th send does."""

    server: FakeServer
    script: dict[int, str | DeliveryError] = field(default_factory=dict)
    sends: int = 0
    lookups: list[str] = field(default_factory=list)

    async def send(self, channel_id: int, message: MessageSpec) -> int:
        self.sends += 1
        action = self.script.get(self.sends)
        if action == "crash-before":
            raise Crash()
        if isinstance(action, DeliveryError):
            raise action
        if action == "delivered-then-503":
            self.server.post(channel_id, message)
            raise DeliveryError("503 Service Unavailable", permanent=False)
        message_id = self.server.post(channel_id, message)
        if action == "crash-after":
            raise Crash()
        return message_id


@dataclass
class LookingDeliverer(FakeDeliverer):
    async def find_recent(
        self, channel_id: int, marker: str, *, since: dt.datetime | None = None
    ) -> int | None:
        self.lookups.append(marker)
        for message_id, message in reversed(self.server.channels.get(channel_id, [])):
            if any(marker in (e.footer or "") for e in message.embeds):
                return message_id
        return None


def parts(n: int = 3) -> list[MessageSpec]:
    return [MessageSpec(embeds=(EmbedSpec(title="Stories", description=f"part {i}"),))
            for i in range(1, n + 1)]


@dataclass
class Harness:
    path: Path
    server: FakeServer = field(default_factory=FakeServer)
    sleeps: list[float] = field(default_factory=list)
    db: sqlite_utils.Database | None = None

    def poster(self, deliverer: FakeDeliverer) -> Poster:
        """A fresh process: reopen the database, new poster."""
        if self.db is not None:
            self.db.conn.close()
        self.db = open_database(self.path)

        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        subscriptions = SubscriptionStore(self.db, clock=lambda: NOW)
        if subscriptions.get(CHANNEL, "moon") is None:
            subscriptions.follow(1, CHANNEL, "moon", "09:00", "UTC")
        return Poster(DigestLedger(self.db, clock=lambda: NOW), subscriptions, deliverer,
                      sleep=sleep, policy=RetryPolicy(attempts=4, base_delay=1.0))

    def looking(self, **script: str | DeliveryError) -> LookingDeliverer:
        return LookingDeliverer(self.server, {int(k[1:]): v for k, v in script.items()})


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "ledger.db")


async def post(poster: Poster, n: int = 3) -> PostOutcome:
    return await poster.post("moon", CHANNEL, START, NOW, parts(n))


def assert_each_part_once(harness: Harness, n: int = 3) -> None:
    assert harness.server.texts(CHANNEL) == [f"part {i}" for i in range(1, n + 1)]
    poster = harness.poster(harness.looking())
    [record] = poster.ledger.recent()
    assert record.status == SENT
    ids = [mid for mid, _ in harness.server.channels[CHANNEL]]
    assert list(record.message_ids) == ids


async def test_happy_path_sends_each_part_once_with_markers(harness: Harness) -> None:
    outcome = await post(harness.poster(harness.looking()))
    assert outcome.status == SENT and outcome.sent_now == 3
    footers = [m.embeds[-1].footer for _, m in harness.server.channels[CHANNEL]]
    assert all(f and f.startswith("digest 1.") and f.endswith(f"part {i}/3")
               for i, f in enumerate(footers, 1))
    assert_each_part_once(harness)


async def test_posting_the_same_period_again_sends_nothing(harness: Harness) -> None:
    await post(harness.poster(harness.looking()))
    again = await post(harness.poster(harness.looking()))
    assert again.status == SENT
    assert_each_part_once(harness)


@pytest.mark.parametrize(
    ("crash_at", "description"),
    [
        ({"s1": "crash-before"}, "recorded, crashed before the first send"),
        ({"s2": "crash-before"}, "crashed between part 1 and part 2"),
        ({"s3": "crash-before"}, "crashed before the last part"),
        ({"s1": "crash-after"}, "part 1 sent, crashed before its id was recorded"),
        ({"s2": "crash-after"}, "part 2 sent, crashed before its id was recorded"),
        ({"s3": "crash-after"}, "last part sent, crashed before its id was recorded"),
    ],
)
async def test_crash_then_restart_delivers_each_part_exactly_once(
    harness: Harness, crash_at: dict[str, str], description: str
) -> None:
    with pytest.raises(Crash):
        await post(harness.poster(harness.looking(**crash_at)))
    [pending] = harness.poster(harness.looking()).ledger.pending()
    assert pending.status == PENDING, description

    restarted = harness.looking()
    outcomes = await harness.poster(restarted).resume_pending()
    assert [o.status for o in outcomes] == [SENT]
    if "after" in next(iter(crash_at.values())):
        assert outcomes[0].found_already_sent == 1
        assert len(restarted.lookups) == 1  # asked once, for the one uncertain part
    assert_each_part_once(harness)


async def test_scheduler_rerun_after_crash_also_finishes_not_duplicates(harness: Harness) -> None:
    with pytest.raises(Crash):
        await post(harness.poster(harness.looking(s2="crash-after")))
    outcome = await post(harness.poster(harness.looking()))  # the job fires again
    assert outcome.status == SENT
    assert_each_part_once(harness)


async def test_without_find_recent_the_uncertain_part_is_resent(harness: Harness) -> None:
    """Documented limit: a deliverer that cannot look back gives at-least-once for that part."""
    with pytest.raises(Crash):
        await post(harness.poster(FakeDeliverer(harness.server, {2: "crash-after"})))
    await harness.poster(FakeDeliverer(harness.server)).resume_pending()
    assert harness.server.texts(CHANNEL) == ["part 1", "part 2", "part 2", "part 3"]


async def test_429_then_success_honours_retry_after(harness: Harness) -> None:
    limited = DeliveryError("429 Too Many Requests", permanent=False, retry_after=7.5)
    outcome = await post(harness.poster(harness.looking(s2=limited)))
    assert outcome.status == SENT
    assert harness.sleeps == [7.5]
    assert_each_part_once(harness)


async def test_5xx_that_actually_delivered_is_not_sent_twice(harness: Harness) -> None:
    deliverer = harness.looking(s2="delivered-then-503")
    outcome = await post(harness.poster(deliverer))
    assert outcome.status == SENT
    assert harness.sleeps == [1.0]
    assert_each_part_once(harness)


async def test_retries_are_bounded_then_pending_until_resumed(harness: Harness) -> None:
    down = DeliveryError("502 Bad Gateway", permanent=False)
    poster = harness.poster(harness.looking(s1=down, s2=down, s3=down, s4=down))
    outcome = await post(poster)
    assert outcome.status == PENDING
    assert harness.sleeps == [1.0, 2.0, 4.0]  # 4 attempts, 3 waits, doubling
    [record] = poster.ledger.pending()
    assert record.last_error == "502 Bad Gateway"
    assert harness.server.texts(CHANNEL) == []
    await harness.poster(harness.looking()).resume_pending()
    assert_each_part_once(harness)


async def test_permanent_failure_marks_the_subscription_and_stops(harness: Harness) -> None:
    gone = DeliveryError("404 Unknown Channel", permanent=True)
    poster = harness.poster(harness.looking(s2=gone))
    outcome = await post(poster)
    assert outcome.status == FAILED
    sub = poster.subscriptions.get(CHANNEL, "moon")
    assert sub is not None and sub.status == "failed"
    assert sub.last_error == "404 Unknown Channel"
    assert harness.sleeps == []
    later = harness.looking()
    assert await harness.poster(later).resume_pending() == []
    assert later.sends == 0
    assert harness.server.texts(CHANNEL) == ["part 1"]


async def test_quiet_day_skipped_is_recorded_and_sends_nothing(harness: Harness) -> None:
    deliverer = harness.looking()
    poster = harness.poster(deliverer)
    outcome = await poster.post("moon", CHANNEL, START, NOW, [])
    assert outcome.status == SENT and deliverer.sends == 0
    assert poster.ledger.last_period_end("moon", CHANNEL) == NOW


# ---------------------------------------------------------------------------- CLI, console mode
@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "config" / "storylines"
    folder.mkdir(parents=True)
    (folder / "moon.toml").write_text(
        'id = "moon"\nname = "Moon base"\ndescription = "A lunar base."\n'
        'keywords = ["moon base"]\n', encoding="utf-8")
    return folder.parent


def test_cli_dry_run_then_console_post_then_follows(tmp_path: Path, config_dir: Path) -> None:
    base = ("--config", str(config_dir), "--db", str(tmp_path / "cli.db"))
    status, out, _ = run_cli(*base, "digest", "--storyline", "moon", "--dry-run")
    assert status == 0
    assert out.startswith("# Moon base — digest for ")
    assert "Nothing new." in out
    assert "would post 1 Discord message (0 embeds" in out and "nothing recorded" in out

    status, out, err = run_cli(*base, "digest", "--storyline", "moon", "--quiet-day", "note")
    assert status == 0 and "Nothing new since" in out and "digest 1." in out
    assert "digest 1: sent" in err

    status, out, _ = run_cli(*base, "follow", "--storyline", "moon", "--channel", "42",
                             "--time", "07:30", "--timezone", "Europe/Paris")
    assert status == 0 and "07:30 Europe/Paris [active]" in out
    status, out, _ = run_cli(*base, "subscriptions")
    assert "moon → channel 42 at 07:30 Europe/Paris [active] · last digest -" in out
    status, _, err = run_cli(*base, "follow", "--storyline", "moon", "--timezone", "Nowhere/X")
    assert status == 1 and "IANA" in err
    status, out, _ = run_cli(*base, "unfollow", "--storyline", "moon", "--channel", "42")
    assert status == 0
    status, _, err = run_cli(*base, "unfollow", "--storyline", "moon", "--channel", "42")
    assert status == 1 and "does not follow" in err


# ------------------------------------------------------- real coverage through the whole path
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_store(tmp_path: Path) -> tuple[sqlite_utils.Database, list[StorylineDefinition], int]:
    """The demo storyline's seed coverage, stored and processed (sync: file reads)."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    storylines = load_storylines(REPO / "config" / "storylines")
    db = open_database(tmp_path / "real.db")
    fetched = NOW - dt.timedelta(hours=2)
    entries = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        entries.append(ParsedEntry(guid=path.stem, url=f"https://news.example/{path.stem}",
                                   title=text.splitlines()[0][:150], text=text,
                                   published=fetched))
    outcome = ItemStore(db).ingest("https://news.example/feed", entries, fetched)
    process_items(db, storylines, outcome.new, fetched)
    return db, storylines, len(entries)


async def test_real_coverage_digest_posts_once_within_limits(
    real_store: tuple[sqlite_utils.Database, list[StorylineDefinition], int],
) -> None:
    db, storylines, count = real_store
    storyline = storylines[0]
    subscriptions = SubscriptionStore(db, clock=lambda: NOW)
    follow = subscriptions.follow(1, CHANNEL, storyline.id, "09:00", "UTC")
    server = FakeServer()
    poster = Poster(DigestLedger(db, clock=lambda: NOW), subscriptions,
                    LookingDeliverer(server))
    lookups = Lookups(db, storylines)
    first = await send_digest(follow, storyline, lookups, poster, NOW + dt.timedelta(minutes=3))
    again = await send_digest(follow, storyline, lookups, poster, NOW + dt.timedelta(hours=5))
    assert first is not None and first.status == SENT and first.sent_now >= 1
    assert again is not None and again.digest_id == first.digest_id and again.sent_now == 0
    messages = [m for _, m in server.channels[CHANNEL]]
    assert all(violations(m) == [] for m in messages)
    quote_fields = [f for m in messages for e in m.embeds for f in e.fields]
    assert quote_fields and all(f.name for f in quote_fields)
    stories = "\n".join(e.description for m in messages for e in m.embeds
                        if e.title.startswith("Stories"))
    assert stories.count("https://news.example/") == count
