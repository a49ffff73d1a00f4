"""End to end through `storyline …`: ingest or poll real feeds, then read them back as JSON.

The demo material (seeds/demo) runs with the real config/; a small storyline of our own,
served by the local feed server, checks that nothing depends on the demo storyline. Matching,
quote and timeline extraction are tuned elsewhere, so these tests assert shapes and
invariants (sorting, one event per story, every copy listed as a source), not counts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli
from tests.support.feed_server import FeedServer, Route, conditional, serve

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"
DEMO_FEED = ROOT / "seeds" / "demo" / "feed.xml"
DEMO_ARTICLE = ROOT / "seeds" / "demo" / "article.md"
# The demo's syndicated duplicate (D1) of E3, and the spun copy (S1) of E1; see seeds/demo.
E3_URL = "https://news.example/2026/06/13/sacks-white-house-acted-reluctantly-fable"
D1_HOST = "digest.example"
E1_URL = "https://news.example/2026/06/12/anthropic-disables-fable-5-mythos-5-export-order"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def lookup(db: Path, *argv: str) -> Any:
    status, out, err = run_cli(*argv, "--json", "--config", str(CONFIG), "--db", str(db))
    assert status == 0, err
    return json.loads(out)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo feed and article, ingested once for every read-only test below."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    status, out, err = run_cli("ingest", str(DEMO_FEED), str(DEMO_ARTICLE),
                               "--config", str(CONFIG), "--db", str(db))
    assert status == 0, err
    assert "new: 37" in out and "failed: 0" in out
    return db


@pytest.fixture(scope="module")
def demo_stories(demo_db: Path) -> list[dict[str, Any]]:
    stories: list[dict[str, Any]] = lookup(demo_db, "stories", "--storyline", "fable")
    return stories


@pytest.fixture(scope="module")
def demo_items(demo_db: Path) -> dict[str, dict[str, Any]]:
    """Stored items by URL (a local article file by its file:// URI, as lookups show it)."""
    status, out, _ = run_cli("items", "--json", "--limit", "100", "--config", str(CONFIG),
                             "--db", str(demo_db))
    assert status == 0
    items = [json.loads(line) for line in out.splitlines()]
    return {item["url"] or item["feed"]: item for item in items}


def story_of(stories: list[dict[str, Any]], url: str) -> dict[str, Any]:
    [story] = [s for s in stories if url in {item["url"] for item in s["items"]}]
    return story


# ---------------------------------------------------------------------------------- stories
def test_stories_json_shape_and_newest_first(
    demo_stories: list[dict[str, Any]], demo_items: dict[str, dict[str, Any]]
) -> None:
    assert demo_stories
    for story in demo_stories:
        assert set(story) == {"id", "title", "items"}
        assert isinstance(story["id"], str) and isinstance(story["title"], str)
        assert story["items"]
        for item in story["items"]:
            assert set(item) == {"title", "url", "feed"}
            assert all(isinstance(item[key], str) for key in ("title", "url", "feed"))
    urls = [item["url"] for story in demo_stories for item in story["items"]]
    assert len(urls) == len(set(urls)), "an item belongs to one story only"
    firsts = [min(demo_items[i["url"]]["published"] for i in s["items"]) for s in demo_stories]
    assert firsts == sorted(firsts, reverse=True)


def test_syndicated_duplicate_is_one_story_with_several_items(
    demo_stories: list[dict[str, Any]],
) -> None:
    story = story_of(demo_stories, E3_URL)
    hosts = {item["url"].split("/")[2] for item in story["items"]}
    assert D1_HOST in hosts and len(story["items"]) >= 2
    assert story["items"][0]["url"] == E3_URL  # the original leads, the aggregator copy follows
    assert story["title"] == story["items"][0]["title"]


# --------------------------------------------------------------------------------- timeline
def test_timeline_json_shape_sorted_and_without_duplicates(demo_db: Path) -> None:
    events = lookup(demo_db, "timeline", "--storyline", "fable")
    assert events
    for event in events:
        assert set(event) - {"other_dates", "inferred"} == {"date", "text", "sources"}
        assert ISO_DATE.match(event["date"]) and isinstance(event["text"], str)
        assert event["sources"]
        for source in event["sources"]:
            assert set(source) == {"title", "url"}
        urls = [source["url"] for source in event["sources"]]
        assert len(urls) == len(set(urls))
        for other in event.get("other_dates", []):  # a conflict is flagged, never dropped
            assert ISO_DATE.match(other) and other != event["date"]
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    assert len({(e["date"], e["text"]) for e in events}) == len(events)


def test_timeline_events_carry_every_story_member_and_no_copy_wording(
    demo_db: Path, demo_stories: list[dict[str, Any]]
) -> None:
    events = lookup(demo_db, "timeline", "--storyline", "fable")
    members = {
        item["url"]: {i["url"] for i in story["items"]}
        for story in demo_stories
        for item in story["items"]
    }
    for event in events:
        urls = {source["url"] for source in event["sources"]}
        for url in urls:
            assert members.get(url, {url}) <= urls, (event["text"], url)
    # Both copy stories reach the timeline once, through their leads, with every copy.
    for lead_url in (E1_URL, E3_URL):
        carrying = [e for e in events if lead_url in {s["url"] for s in e["sources"]}]
        assert carrying, lead_url
        story_urls = members[lead_url]
        assert all(story_urls <= {s["url"] for s in e["sources"]} for e in carrying)
    # The spinner's wording ("fashions" for models) never becomes an event of its own.
    assert not any("fashions" in e["text"] for e in events)


def test_timeline_filters(demo_db: Path) -> None:
    everything = lookup(demo_db, "timeline", "--storyline", "fable")
    keys = {(e["date"], e["text"]) for e in everything}
    window = lookup(demo_db, "timeline", "--storyline", "fable",
                    "--since", "2026-06-12", "--until", "2026-06-26")
    assert window and {(e["date"], e["text"]) for e in window} <= keys
    assert all("2026-06-12" <= e["date"] <= "2026-06-26" for e in window)
    assert len(window) == sum("2026-06-12" <= e["date"] <= "2026-06-26" for e in everything)
    about = lookup(demo_db, "timeline", "--storyline", "fable", "--about", "mythos")
    assert about and {(e["date"], e["text"]) for e in about} <= keys
    assert all("mythos" in e["text"].casefold() for e in about)
    assert len(about) < len(everything)
    later = lookup(demo_db, "timeline", "--storyline", "fable", "--since", "2026-07-01")
    assert all(e["date"] >= "2026-07-01" for e in later)


def test_timeline_since_after_until_is_an_error(demo_db: Path) -> None:
    status, out, err = run_cli("timeline", "--storyline", "fable", "--since", "2026-07-01",
                               "--until", "2026-06-01", "--config", str(CONFIG),
                               "--db", str(demo_db))
    assert status == 1 and out == ""
    assert err.strip().splitlines() == ["storyline: error: --since is after --until"]


@pytest.mark.parametrize("command", [
    ["stories", "--storyline", "nope"],
    ["timeline", "--storyline", "nope"],
    ["who-said", "anything at all", "--storyline", "nope"],
    ["quotes", "--person", "Sacks", "--storyline", "nope"],
])
def test_unknown_storyline_is_a_one_line_error(demo_db: Path, command: list[str]) -> None:
    status, out, err = run_cli(*command, "--json", "--config", str(CONFIG),
                               "--db", str(demo_db))
    assert status == 1 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("storyline: error: unknown storyline 'nope'") and "fable" in line


# ------------------------------------------------------------------------------------ quotes
def assert_quote_shape(hit: dict[str, Any]) -> None:
    assert set(hit) == {"speaker", "quote", "date", "source"}
    assert hit["speaker"] is None or isinstance(hit["speaker"], str)
    assert isinstance(hit["quote"], str) and hit["quote"]
    assert hit["date"] is None or ISO_DATE.match(hit["date"])
    assert set(hit["source"]) == {"title", "url"}


def test_who_said_finds_a_curly_reworded_fragment_at_the_story_lead(
    demo_db: Path, demo_stories: list[dict[str, Any]]
) -> None:
    # Sacks wrote: “Fix the jailbreak, show us it's fixed, and Fable goes back to everyone.”
    hits = lookup(demo_db, "who-said", "‘fix the jailbreak, show us it is fixed and Fable "
                  "goes back to everybody’", "--storyline", "fable")
    assert hits
    for hit in hits:
        assert_quote_shape(hit)
    best = hits[0]
    assert best["speaker"] == "David Sacks" and "jailbreak" in best["quote"]
    # Carried by the original and its syndicated copy: reported once, from the lead.
    assert best["source"]["url"] == story_of(demo_stories, E3_URL)["items"][0]["url"]
    assert len({h["quote"] for h in hits}) == len(hits)


def test_who_said_names_the_lead_of_a_spun_copy(
    demo_db: Path, demo_stories: list[dict[str, Any]]
) -> None:
    hits = lookup(demo_db, "who-said", "no way to check the nationality of everyone")
    assert hits
    assert "nationality" in hits[0]["quote"]
    assert hits[0]["source"]["url"] == story_of(demo_stories, E1_URL)["items"][0]["url"]


def test_quotes_by_alias_newest_first_without_copies(
    demo_db: Path, demo_stories: list[dict[str, Any]]
) -> None:
    by_name = lookup(demo_db, "quotes", "--person", "David Sacks")
    assert by_name
    for alias in ("sacks", "デビッド・サックス"):
        assert lookup(demo_db, "quotes", "--person", alias) == by_name
    for hit in by_name:
        assert_quote_shape(hit)
        assert hit["speaker"] == "David Sacks"
    dates = [h["date"] for h in by_name if h["date"]]
    assert dates == sorted(dates, reverse=True)
    assert len({h["quote"] for h in by_name}) == len(by_name)
    copies = {i["url"] for s in demo_stories for i in s["items"][1:]}
    assert not copies & {h["source"]["url"] for h in by_name}


def test_quotes_of_nobody_is_empty(demo_db: Path) -> None:
    assert lookup(demo_db, "quotes", "--person", "Nobody Atall") == []


# ------------------------------------------------------------------------- explain, classify
def test_explain_shows_decision_story_and_extracts(
    demo_db: Path, demo_items: dict[str, dict[str, Any]]
) -> None:
    item = demo_items[E3_URL]
    status, out, _ = run_cli("explain", item["id"], "--config", str(CONFIG),
                             "--db", str(demo_db))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == item["title"]
    assert any(re.match(r"\s+\[fable\] (MATCH|no match) \(score [\d.]+\)", ln) for ln in lines)
    assert any(re.match(r"\s+story s\w+: \d+ source\(s\)", ln) for ln in lines)
    status, out, err = run_cli("explain", "no-such-item", "--config", str(CONFIG),
                               "--db", str(demo_db))
    assert status == 1 and "no item 'no-such-item'" in err


def test_classify_prints_one_decision_per_input_line(tmp_path: Path) -> None:
    lines = [
        {"title": "US lifts export controls on Fable 5",
         "summary": "Commerce said Anthropic's new refusal classifiers closed the jailbreak."},
        {"title": "Council approves riverside bike lanes", "summary": "Work starts in spring."},
        {"title": "Mythos 5 review nearly complete", "text": "Officials expect a decision."},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    status, out, _ = run_cli("classify", "--storyline", "fable", str(source),
                             "--config", str(CONFIG), "--db", str(tmp_path / "c.db"))
    assert status == 0
    decisions = [json.loads(line) for line in out.splitlines()]
    assert len(decisions) == len(lines)
    for decision in decisions:
        assert set(decision) == {"match", "score", "reasons"}
        assert isinstance(decision["match"], bool)
        assert isinstance(decision["score"], int | float)
        assert all(isinstance(reason, str) for reason in decision["reasons"])


def test_classify_missing_file_is_an_error(tmp_path: Path) -> None:
    status, _, err = run_cli("classify", "--storyline", "fable", str(tmp_path / "none.jsonl"),
                             "--config", str(CONFIG), "--db", str(tmp_path / "c.db"))
    assert status == 1 and "no such file" in err


# ------------------------------------------------------ a storyline of our own, polled live
HARBOUR_STORYLINE = """\
id = "harbour"
name = "Harbour bridge closure"
description = "The Kestrel Harbour bridge closes for repairs and the ferries take over."
keywords = ["Kestrel bridge", "harbour bridge", "ferry timetable"]
feeds = ["{feed}"]

[[entities]]
name = "Mara Quill"
aliases = ["Quill"]
kind = "person"
role = "harbour master"
"""

ORIGINAL = """\
<p>The Kestrel bridge over the harbour closed on June 3, 2026 after inspectors found cracked \
bearings under the eastern span, the harbour authority said on Tuesday.</p>
<p>“We will not reopen the Kestrel bridge until every bearing has been replaced,” harbour \
master Mara Quill said at a briefing on the quay.</p>
<p>On June 5, 2026, extra ferries started. The ferry timetable now runs every twenty \
minutes from the old pier to the market steps.</p>
<p>Repairs are expected to take most of the summer. Cyclists may still use the ferries free \
of charge, and the authority will publish weekly updates on the harbour bridge works.</p>"""

COPY_EXTRA = """\
<p>“The ferries are carrying twice their usual load and nobody has missed a shift,” Quill \
said later the same week.</p>"""


def harbour_feed(copy: bool) -> bytes:
    def item(guid: str, title: str, date: str, body: str) -> str:
        return (f"<item><title>{title}</title><link>https://{guid}</link><guid>https://{guid}"
                f"</guid><pubDate>{date}</pubDate><description><![CDATA[{body}]]></description>"
                "</item>")

    items = [item("port.example/kestrel-closed", "Kestrel harbour bridge closes for repairs",
                  "Tue, 09 Jun 2026 08:00:00 +0000", ORIGINAL)]
    if copy:
        items.append(item("wire.example/r/kestrel", "Kestrel harbour bridge closes for repairs",
                          "Thu, 11 Jun 2026 10:00:00 +0000", ORIGINAL + "\n" + COPY_EXTRA))
    items.append(item("port.example/market", "Market hall gets a new roof",
                      "Wed, 10 Jun 2026 09:00:00 +0000",
                      "<p>The market hall roof will be replaced in the autumn.</p>"))
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            "<title>Harbour news</title><link>https://port.example/</link>"
            "<description>Invented local news for tests.</description>"
            + "".join(items) + "</channel></rss>").encode()


@pytest.fixture
def harbour_server() -> Iterator[FeedServer]:
    with serve() as server:
        server.route("/harbour.xml", conditional(harbour_feed(copy=True), etag='"v1"'))
        yield server


@pytest.fixture
def harbour_config(tmp_path: Path, harbour_server: FeedServer) -> Path:
    folder = tmp_path / "config"
    (folder / "storylines").mkdir(parents=True)
    (folder / "storylines" / "harbour.toml").write_text(
        HARBOUR_STORYLINE.format(feed=harbour_server.url("/harbour.xml")), encoding="utf-8"
    )
    return folder


LOCAL = {"STORYLINE_HTTP_ALLOW_PRIVATE_HOSTS": "127.0.0.1"}


def test_poll_stores_items_then_gets_304_and_processes_nothing(
    tmp_path: Path, harbour_config: Path, harbour_server: FeedServer
) -> None:
    db = tmp_path / "h.db"
    common = ("--config", str(harbour_config), "--db", str(db))
    status, out, err = run_cli("poll", *common, env=LOCAL)
    assert status == 0, err
    assert re.search(r"^OK\s+http://127\.0\.0\.1:\d+/harbour\.xml\s+new 3, updated 0", out, re.M)
    assert out.splitlines()[-1] == "1 feeds polled, 0 failed, 3 items processed"
    status, out, _ = run_cli("items", "--json", *common, env=LOCAL)
    assert len(out.splitlines()) == 3

    status, out, err = run_cli("poll", "--all", *common, env=LOCAL)
    assert status == 0, err
    assert re.search(r"^304\s+\S+harbour\.xml\s+not modified", out, re.M)
    assert out.splitlines()[-1] == "1 feeds polled, 0 failed, 0 items processed"
    assert [r.headers.get("if-none-match") for r in harbour_server.requests] == [None, '"v1"']


def test_poll_refuses_local_hosts_unless_allowed(tmp_path: Path, harbour_config: Path) -> None:
    status, out, _ = run_cli("poll", "--config", str(harbour_config), "--db",
                             str(tmp_path / "h.db"))
    assert status == 1
    assert out.startswith("FAILED")
    assert out.splitlines()[-1] == "1 feeds polled, 1 failed, 0 items processed"


def test_lookups_read_stories_through_their_lead_for_any_storyline(
    tmp_path: Path, harbour_config: Path
) -> None:
    db = tmp_path / "h.db"
    common = ("--config", str(harbour_config), "--db", str(db))
    assert run_cli("poll", *common, env=LOCAL)[0] == 0

    def read(*argv: str) -> Any:
        status, out, err = run_cli(*argv, "--json", *common)
        assert status == 0, err
        return json.loads(out)

    stories = read("stories", "--storyline", "harbour")
    [bridge] = [s for s in stories if len(s["items"]) > 1]
    assert [i["url"] for i in bridge["items"]] == [
        "https://port.example/kestrel-closed", "https://wire.example/r/kestrel"]
    assert all(len(s["items"]) == 1 for s in stories if s is not bridge)

    events = read("timeline", "--storyline", "harbour")
    assert events
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)
    bridge_urls = {i["url"] for i in bridge["items"]}
    for event in events:  # one event per fact, each naming the original and its copy
        assert {s["url"] for s in event["sources"]} == bridge_urls
    assert len({(e["date"], e["text"]) for e in events}) == len(events)
    assert "2026-06-03" in {e["date"] for e in events}
    about = read("timeline", "--storyline", "harbour", "--about", "bearings")
    assert [e["date"] for e in about] == ["2026-06-03"]

    # Said in both copies: from the lead. Said only in the copy: kept, from the copy.
    # (A word left out of the fragment: "Kestrel".)
    [common_quote] = read("who-said", "we will not reopen the bridge until every bearing "
                          "has been replaced")[:1]
    assert common_quote["speaker"] == "Mara Quill"
    assert common_quote["source"]["url"] == "https://port.example/kestrel-closed"
    assert common_quote["date"] == "2026-06-09"
    [copy_only] = read("who-said", "“the ferries are carrying twice the usual load”")[:1]
    assert copy_only["speaker"] == "Mara Quill"
    assert copy_only["source"]["url"] == "https://wire.example/r/kestrel"

    said = read("quotes", "--person", "quill", "--storyline", "harbour")
    assert [h["source"]["url"] for h in said] == [
        "https://wire.example/r/kestrel", "https://port.example/kestrel-closed"]
    assert [h["date"] for h in said] == ["2026-06-11", "2026-06-09"]


def test_a_rate_limited_feed_is_retried_when_the_server_asks_not_sooner(
    tmp_path: Path, harbour_config: Path, harbour_server: FeedServer
) -> None:
    db = tmp_path / "h.db"
    common = ("--config", str(harbour_config), "--db", str(db))

    def poll_waits(*flags: str) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
        """(before the poll, after it, the feed's next poll) on the wall clock the CLI uses."""
        before = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)  # JSON shows minutes
        status, out, _ = run_cli("poll", *flags, *common, env=LOCAL)
        after = dt.datetime.now(dt.UTC)
        assert status == 1 and "FAILED" in out
        [feed] = json.loads(run_cli("feeds", "--json", *common, env=LOCAL)[1])
        return before, after, dt.datetime.fromisoformat(feed["next_poll"])

    harbour_server.route(
        "/harbour.xml", Route(status=429, body=b"slow down", headers={"retry-after": "7200"})
    )
    before, after, next_poll = poll_waits()
    # Our own backoff after one failure is the 30-minute poll interval; the server asked 2 h.
    assert before + dt.timedelta(hours=2) <= next_poll <= after + dt.timedelta(hours=2)

    # A server asking for a week is heard only up to `max_backoff_minutes` (a day by default).
    harbour_server.route(
        "/harbour.xml", Route(status=503, headers={"retry-after": str(7 * 24 * 3600)})
    )
    before, after, next_poll = poll_waits("--all")
    assert before + dt.timedelta(days=1) <= next_poll <= after + dt.timedelta(days=1)
