"""End to end: `storyline poll` of a feed that carries only teasers reads the linked articles,
so `who-said` and `timeline` find the quotes and dates that only the articles hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.article_pages import STRIKE_PARAGRAPHS, article_page
from tests.support.cli import run_cli
from tests.support.feed_server import Route, serve

HTML = {"content-type": "text/html; charset=utf-8"}
STORYLINE = """id = "rail"
name = "Rail strike"
description = "The Northwind Rail drivers' strike."
keywords = ["Northwind Rail", "rail strike", "Halvik"]
feeds = ["{feed}"]

[[entities]]
name = "Maren Okafor"
aliases = ["Okafor"]
kind = "person"
"""
UNRELATED = [
    "The city library extended its opening hours on weekdays after a survey of readers found "
    "that most visitors came after work.",
    '"People asked for evenings and we listened," said Ilse Varga, the head librarian, who '
    "added that the change would cost nothing extra because staff rotas were reorganised.",
    "A new reading room for students will open on the second floor in the spring.",
]


def teaser_feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title><link>{base}/</link>
<item><title>Northwind Rail drivers strike after talks collapse</title>
<link>{base}/news/rail-strike</link><guid>rail-1</guid>
<pubDate>Wed, 04 Mar 2026 08:30:00 GMT</pubDate>
<description>Drivers at Northwind Rail walked out on Monday after talks…</description></item>
<item><title>Library opens later on weekdays</title>
<link>{base}/news/library</link><guid>lib-1</guid>
<pubDate>Wed, 04 Mar 2026 09:00:00 GMT</pubDate>
<description>The city library will stay open later. Read more</description></item>
</channel></rss>""".encode()


@pytest.mark.parametrize("command", ["poll", "ingest"])
def test_a_teaser_feed_fills_who_said_and_the_timeline_from_the_articles(
    tmp_path: Path, command: str
) -> None:
    config = tmp_path / "config"
    (config / "storylines").mkdir(parents=True)
    db = str(tmp_path / "s.db")
    with serve() as server:
        base = server.url("")
        (config / "storyline.toml").write_text(
            '[http]\nallow_private_hosts = ["127.0.0.1"]\n', encoding="utf-8")
        feed = server.route("/feed.xml", Route(body=teaser_feed(base),
                                               headers={"content-type": "application/rss+xml"}))
        server.route("/news/rail-strike", Route(body=article_page(
            "Northwind Rail drivers strike after talks collapse", STRIKE_PARAGRAPHS
        ).encode(), headers=HTML))
        server.route("/news/library", Route(body=article_page(
            "Library opens later on weekdays", UNRELATED).encode(), headers=HTML))
        (config / "storylines" / "rail.toml").write_text(STORYLINE.replace("{feed}", feed),
                                                          encoding="utf-8")
        argv = ["poll"] if command == "poll" else ["ingest", feed]
        status, out, err = run_cli("--config", str(config), "--db", db, *argv)
        paths = [r.path for r in server.requests]
    assert status == 0, err
    if command == "poll":
        assert "pages 1 fetched, 0 failed, 0 blocked by robots" in out
    # The library item names no storyline term: its page is not worth a request.
    assert "/news/library" not in paths and paths.count("/news/rail-strike") == 1

    status, out, _ = run_cli("--config", str(config), "--db", db, "who-said",
                             "left us no choice", "--json")
    assert status == 0
    [hit] = json.loads(out)
    assert hit["speaker"] == "Maren Okafor"

    status, out, _ = run_cli("--config", str(config), "--db", db, "timeline",
                             "--storyline", "rail", "--json")
    assert status == 0
    assert "2026-03-12" in [event["date"] for event in json.loads(out)]

    status, out, _ = run_cli("--config", str(config), "--db", db, "feeds")
    assert "article pages: 1 fetched · 0 failed · 0 blocked by robots.txt" in out
    status, out, _ = run_cli("--config", str(config), "--db", db, "items", "--json")
    ids = {item["title"]: item["id"] for item in map(json.loads, out.splitlines())}
    _, explained, _ = run_cli("--config", str(config), "--db", db, "explain",
                              ids["Northwind Rail drivers strike after talks collapse"])
    assert "article page: read (" in explained
    _, explained, _ = run_cli("--config", str(config), "--db", db, "explain",
                              ids["Library opens later on weekdays"])
    assert "article page: not needed: no storyline term" in explained


def test_a_failing_news_site_is_named_in_feeds_and_explain_until_it_answers(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config"
    (config / "storylines").mkdir(parents=True)
    db = str(tmp_path / "s.db")

    def cli(*argv: str) -> str:
        status, out, err = run_cli("--config", str(config), "--db", db, *argv)
        assert status == 0, err
        return out

    with serve() as server:
        base = server.url("")
        (config / "storyline.toml").write_text(
            'full_text_delay_seconds = 0\n[http]\nallow_private_hosts = ["127.0.0.1"]\n',
            encoding="utf-8")
        items = "".join(
            f"<item><title>Northwind Rail strike, day {n}</title>"
            f"<link>{base}/news/day-{n}</link><guid>day-{n}</guid>"
            f"<description>Drivers at Northwind Rail stayed out…</description></item>"
            for n in range(5))
        feed = server.route("/feed.xml", Route(
            body=f'<rss version="2.0"><channel><title>Gazette</title>{items}</channel></rss>'
            .encode(), headers={"content-type": "application/rss+xml"}))
        for n in range(5):
            server.route(f"/news/day-{n}", Route(status=503, body=b"busy"))
        (config / "storylines" / "rail.toml").write_text(STORYLINE.replace("{feed}", feed),
                                                          encoding="utf-8")
        cli("poll")
        asked = [r.path for r in server.requests if r.path.startswith("/news/")]
    assert len(asked) == 3  # then the site is left alone

    listing = cli("feeds")
    assert f"article site {base} failed 3 times in a row, next try" in listing
    assert "HTTP 503" in listing
    [entry] = json.loads(cli("feeds", "--json"))
    [waiting] = entry["pages"]["sites_waiting"]
    assert waiting["site"] == base and waiting["failures"] == 3
    ids = [item["id"] for item in map(json.loads, cli("items", "--json").splitlines())]
    explained = [cli("explain", ident) for ident in ids]
    assert sum("the site failed 3 times in a row" in text for text in explained) == 2
