"""Feed bytes and article files → our types.

Each feed case is a fixture in tests/fixtures/feeds/ plus a `<case>.toml` stating the body
file, the response headers and what must come out: adding a case means adding files.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest

from digests.feeds import parse_article, parse_feed
from digests.models import ParsedEntry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
CASES = sorted(FIXTURES.glob("*.toml"))
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def check_fields(actual: object, expected: dict[str, Any]) -> None:
    """Compare the fields an expectation names; `none = [...]` lists fields that must be None."""
    for name in expected.get("none", []):
        assert getattr(actual, name) is None, name
    for name, want in expected.items():
        if name in {"none", "entries", "entry_count", "problem"}:
            continue
        got = getattr(actual, name)
        if isinstance(got, dt.datetime):
            assert got.tzinfo is not None and got.utcoffset() == dt.timedelta(0)
            got = got.isoformat()
        assert got == want, name


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_feed_fixture(case: Path) -> None:
    spec = tomllib.loads(case.read_text(encoding="utf-8"))
    body = (FIXTURES / spec["fixture"]).read_bytes()
    feed = parse_feed(body, url=spec["url"], headers=spec.get("headers"))
    expect = spec["expect"]
    if "problem" in expect:
        assert feed.problem is not None and expect["problem"] in feed.problem
    elif "problem" not in expect.get("none", []):
        assert feed.problem is None
    if "entry_count" in expect:
        assert len(feed.entries) == expect["entry_count"]
    check_fields(feed, expect)
    for entry, wanted in zip(feed.entries, expect.get("entries", []), strict=False):
        check_fields(entry, wanted)
    assert len(feed.entries) >= len(expect.get("entries", []))


def test_every_fixture_body_has_an_expectation() -> None:
    bodies = {p.name for p in FIXTURES.iterdir() if p.suffix != ".toml"}
    used = {tomllib.loads(c.read_text(encoding="utf-8"))["fixture"] for c in CASES}
    assert bodies == used


def test_body_is_never_taken_for_a_path_or_url() -> None:
    """feedparser opens str/bytes arguments as files or URLs; ours must stay data."""
    for body in (b"/etc/passwd", b"https://example.org/feed.xml"):
        feed = parse_feed(body, url="https://example.org/feed.xml")
        assert feed.entries == ()
        assert feed.problem is not None


JA_TITLE = "フェリーの時刻表が変わります"
PUBLISHED = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))


@pytest.mark.parametrize(
    ("name", "text", "published", "title", "body", "when", "url"),
    [
        ("note.txt", "Ferry times change\n\nThe evening ferry leaves earlier.\n", None,
         "Ferry times change", "The evening ferry leaves earlier.", None, None),
        ("note.txt", "\n\nFerry times change\nLine two.\nLine three.", PUBLISHED,
         "Ferry times change", "Line two.\nLine three.", "2026-07-01T00:00:00+00:00", None),
        ("note.md", "# Ferry *times* change\n\nBody text.", None,
         "Ferry *times* change", "Body text.", None, None),
        ("note.md", "---\ntitle: \"From front matter\"\ndate: 2026-06-30\n"
         "url: https://example.org/a\n---\n# Heading\nBody.", None,
         "From front matter", "# Heading\nBody.", "2026-06-30T00:00:00+00:00",
         "https://example.org/a"),
        ("note.md", "---\ndate: 2026-06-30T10:00:00+02:00\n---\n## Heading ##\nBody.", None,
         "Heading", "Body.", "2026-06-30T08:00:00+00:00", None),
        ("note.md", "---\ndate: 2026-06-30\n---\n## Heading\nBody.", PUBLISHED,
         "Heading", "Body.", "2026-07-01T00:00:00+00:00", None),
        ("note.txt", "Headline\nDate: Wed, 01 Jul 2026 18:00:00 +0900\nBody.", None,
         "Headline", "Body.", "2026-07-01T09:00:00+00:00", None),
        ("note.txt", "Headline\nPublished: July 2, 2026\nBody.", None,
         "Headline", "Body.", "2026-07-02T00:00:00+00:00", None),
        ("note.txt", "Headline\nDate: sometime soon\nBody.", None,
         "Headline", "Date: sometime soon\nBody.", None, None),
        ("note.txt", "Headline\nDate: July 2\nBody.", None,
         "Headline", "Date: July 2\nBody.", None, None),
        ("page.html",
         "<html><head><title>Ferry news</title>"
         '<meta content="2026-07-01T09:30:00Z" property="article:published_time">'
         '<link rel="canonical" href="https://news.example.org/ferry"></head>'
         "<body><h1>Ferry news</h1><p>First paragraph.</p><script>x()</script>"
         "<p>Second &amp; last.</p></body></html>", None,
         "Ferry news", "First paragraph.\nSecond & last.", "2026-07-01T09:30:00+00:00",
         "https://news.example.org/ferry"),
        ("page.htm", "<body><h1>Only <em>a</em> heading</h1><p>Text.</p></body>", None,
         "Only a heading", "Text.", None, None),
        ("page.html", "<p>No title at all.</p>", None, "page", "No title at all.", None, None),
        ("empty.txt", "", None, "empty", "", None, None),
        ("ja.txt", f"{JA_TITLE}\n港湾局は夕方のフェリーを三十分早めると発表しました。", None,
         JA_TITLE, "港湾局は夕方のフェリーを三十分早めると発表しました。", None, None),
    ],
)
def test_parse_article(
    name: str, text: str, published: dt.datetime | None, title: str, body: str,
    when: str | None, url: str | None,
) -> None:
    entry = parse_article(text, name=name, published=published)
    assert (entry.title, entry.text, entry.url) == (title, body, url)
    assert (entry.published.isoformat() if entry.published else None) == when
    assert entry.guid is None


def test_parse_article_language() -> None:
    ja = parse_article(f"{JA_TITLE}\n港湾局は夕方のフェリーを早めると発表しました。",
                       name="a.txt", published=None)
    en = parse_article("Ferry\nThe evening ferry leaves earlier.", name="a.txt", published=None)
    assert (ja.language, en.language) == ("ja", "en")


def test_long_first_line_is_a_paragraph_not_a_title() -> None:
    sentence = "Three days after the launch, the company took the model offline " * 3
    entry = parse_article(f"{sentence}\nMore.", name="a.txt", published=None)
    assert entry.title.endswith("…") and len(entry.title) <= 121
    assert entry.text.startswith(sentence.strip())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seed coverage not beside the repo")
@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
def test_seed_documents_read_as_articles(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    entry: ParsedEntry = parse_article(text, name=seed.name, published=None)
    assert entry.title and len(entry.title) <= 121
    assert entry.language == "en"
    # Nothing of the document is lost but the headline line (when it is one).
    first, _, rest = text.strip().partition("\n")
    assert squash(entry.text) in {squash(text), squash(rest)}
    assert entry.title == first.strip() or squash(first).startswith(squash(entry.title)[:-1])


def squash(text: str) -> str:
    return "".join(text.split())
