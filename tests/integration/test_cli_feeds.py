"""`ingest URL` remembers only URLs the fetcher would request; passwords never printed;
`feeds remove` by URL, masked URL or number."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from digests.store import FeedStore, open_database
from tests.support.cli import run_cli
from tests.support.config import demo_config
from tests.support.feed_server import Route, serve

NOW = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
SECRET = "hunter2-not-for-logs"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return demo_config(tmp_path)


def cli(config: Path, db: Path, *argv: str) -> tuple[int, str, str]:
    return run_cli("--config", str(config), "--db", str(db), *argv)


def stored_feeds(config: Path, db: Path) -> list[dict[str, object]]:
    status, out, _ = cli(config, db, "feeds", "--json")
    assert status == 0
    return list(json.loads(out))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://files.example/feed.xml", "only http and https"),
        ("http://10.0.0.7/feed.xml", "private"),
        ("http://2130706433/feed.xml", "loopback"),
        (f"http://reader:{SECRET}@news.example/feed.xml", "user name or password"),
    ],
)
def test_ingest_refuses_urls_the_fetcher_would_refuse_and_stores_none(
    tmp_path: Path, config: Path, url: str, reason: str
) -> None:
    db = tmp_path / "s.db"
    status, out, err = cli(config, db, "ingest", url)
    assert status == 1 and reason in err
    assert SECRET not in out + err
    assert stored_feeds(config, db) == []


def test_a_host_name_that_resolves_to_a_refused_address_is_not_remembered(
    tmp_path: Path, config: Path
) -> None:
    db = tmp_path / "s.db"
    with serve() as server:
        url = server.route("/feed.xml", Route(body=b"<rss/>")).replace("127.0.0.1", "localhost")
        status, _, err = cli(config, db, "ingest", url)
    assert status == 1 and "refusing" in err
    assert stored_feeds(config, db) == []


def test_passwords_in_stored_feeds_are_masked_and_the_feed_can_be_removed(
    tmp_path: Path, config: Path
) -> None:
    db_path = tmp_path / "s.db"
    db = open_database(db_path)
    secret_url = f"https://reader:{SECRET}@news.example/private.xml"
    FeedStore(db).add(secret_url, NOW)  # stored by an older release
    FeedStore(db).add("http://10.9.9.9/feed.xml", NOW)  # refused before any DNS lookup
    db.conn.close()

    for argv in (("feeds",), ("feeds", "--json"), ("poll", "--all")):
        _, out, err = cli(config, db_path, *argv)
        assert SECRET not in out + err, argv
    listing = cli(config, db_path, "feeds")[1]
    assert "https://***@news.example/private.xml" in listing

    status, out, _ = cli(config, db_path, "feeds", "remove",
                         "https://***@news.example/private.xml")
    assert status == 0 and "removed feed" in out and SECRET not in out
    [other] = stored_feeds(config, db_path)
    status, out, _ = cli(config, db_path, "feeds", "remove", str(other["id"]))
    assert status == 0 and "http://10.9.9.9/feed.xml" in out
    assert stored_feeds(config, db_path) == []


def test_removing_an_unknown_or_configured_feed_says_why(tmp_path: Path, config: Path) -> None:
    db = tmp_path / "s.db"
    status, _, err = cli(config, db, "feeds", "remove", "https://nowhere.example/x")
    assert status == 1 and "no feed https://nowhere.example/x" in err
    (config / "storylines" / "listed.toml").write_text(
        'id = "listed"\nname = "Listed"\ndescription = "x"\nkeywords = ["x"]\n'
        'feeds = ["https://listed.example/feed.xml"]\n', encoding="utf-8",
    )
    db_handle = open_database(db)
    FeedStore(db_handle).add("https://listed.example/feed.xml", NOW, storyline_id="listed")
    db_handle.conn.close()
    status, _, err = cli(config, db, "feeds", "remove", "https://listed.example/feed.xml")
    assert status == 1 and "listed in storyline listed" in err
    assert len(stored_feeds(config, db)) == 1


def test_a_body_past_a_declared_content_length_of_zero_is_named_as_such(
    tmp_path: Path, config: Path
) -> None:
    db = tmp_path / "s.db"
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    with serve() as server:
        url = server.route("/feed.xml", Route(body=feed, headers={"Content-Length": "0"},
                                              content_length=False))
        status, out, err = run_cli("--config", str(config), "--db", str(db), "ingest", url,
                                   env={"STORYLINE_HTTP_ALLOW_PRIVATE_HOSTS": "127.0.0.1"})
    assert status == 1, out + err
    assert "the server declared Content-Length: 0" in out + err
