"""The bundled demo material is sound: the feed parses, the configs load, the docs keep up.

`make demo` runs offline from these files, and other tests lean on the counts that
`seeds/demo/README.md` promises, so a broken or drifting file should fail here first, with a
message that names the item or key at fault.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from digests.config import Settings, load_settings, load_storylines

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "seeds" / "demo"
FEED = DEMO / "feed.xml"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"


def feed_items() -> list[ET.Element]:
    return ET.parse(FEED).getroot().findall("./channel/item")


def readme_rows() -> list[dict[str, str]]:
    """The per-item table at the end of `seeds/demo/README.md`, keyed by column name."""
    lines = (DEMO / "README.md").read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("| # |"))
    names = [c.strip() for c in lines[header_at].strip("|").split("|")]
    rows = []
    for line in lines[header_at + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append(dict(zip(names, cells, strict=True)))
    return rows


def test_feed_has_30_to_40_complete_items() -> None:
    items = feed_items()
    assert 30 <= len(items) <= 40
    for item in items:
        for tag in ("title", "link", "guid", "pubDate", "description"):
            assert (item.findtext(tag) or "").strip(), f"{item.findtext('title')}: no {tag}"


def test_feed_guids_and_links_are_unique() -> None:
    items = feed_items()
    guids = [item.findtext("guid") for item in items]
    links = [item.findtext("link") for item in items]
    assert len(set(guids)) == len(guids)
    assert len(set(links)) == len(links)


def test_pub_dates_are_rfc822_in_summer_2026_with_true_weekdays() -> None:
    for item in feed_items():
        raw = item.findtext("pubDate") or ""
        when = email.utils.parsedate_to_datetime(raw)
        assert when.tzinfo is not None, raw
        assert dt.date(2026, 6, 1) <= when.date() <= dt.date(2026, 8, 31), raw
        assert raw[:3] == when.strftime("%a"), f"{raw}: wrong weekday"


def test_feed_mixes_english_and_japanese() -> None:
    root = ET.parse(FEED).getroot()
    assert root.findtext("./channel/language") == "en"
    languages = [item.findtext(DC_LANGUAGE) for item in feed_items()]
    assert set(languages) == {"en", "ja"}
    japanese = [
        item.findtext("description") or ""
        for item in feed_items()
        if item.findtext(DC_LANGUAGE) == "ja"
    ]
    assert len(japanese) >= 8
    assert all(re.search(r"[\u3040-\u30ff]", text) for text in japanese)


def test_readme_lists_every_feed_item_with_its_kind() -> None:
    rows = readme_rows()
    listed = {row["guid"].strip("`"): row for row in rows}
    in_feed = {item.findtext("guid"): item for item in feed_items()}
    assert set(listed) == set(in_feed)
    for guid, row in listed.items():
        assert row["lang"] == in_feed[guid].findtext(DC_LANGUAGE), guid
    kinds = [row["kind"] for row in rows]
    assert kinds.count("duplicate") == 1
    assert kinds.count("spun") == 1
    assert kinds.count("negative") >= 8
    assert kinds.count("on-topic") + kinds.count("duplicate") + kinds.count("spun") == 28


def test_duplicate_carries_its_original_under_a_wrapper() -> None:
    by_key = {row["#"]: row["guid"].strip("`") for row in readme_rows()}
    bodies = {item.findtext("guid"): item.findtext("description") or "" for item in feed_items()}
    original = re.findall(r"<p>(.*?)</p>", bodies[by_key["E3"]])
    duplicate = bodies[by_key["D1"]]
    assert original and all(paragraph in duplicate for paragraph in original)
    assert "the corporate mentioned" in bodies[by_key["S1"]]


def test_standalone_article_has_title_and_date_lines() -> None:
    title, date_line, *rest = (DEMO / "article.md").read_text(encoding="utf-8").splitlines()
    assert title.strip() and not title.startswith("#")
    assert date_line == "Date: 2026-07-09"
    assert len(" ".join(rest).split()) > 200


def test_demo_storyline_loads_and_its_seed_globs_resolve() -> None:
    [story] = load_storylines(ROOT / "config" / "storylines")
    assert story.id == "fable"
    assert story.feeds == ()  # the demo is offline
    assert 2 <= len(story.seed_paths) <= 4
    for path in story.seed_paths:
        words = len(path.read_text(encoding="utf-8").split())
        assert 300 <= words <= 800, f"{path.name}: {words} words"
    names = {name for entity in story.entities for name in entity.names}
    for name in ("アンソロピック", "フェイブル", "ミソス", "神話体系", "商務省", "脱獄",
                 "ハワード・ルットニック", "スージー・ワイルズ", "トム・ブラウン"):
        assert name in names
    assert len(story.people) == 11
    assert all(person.role for person in story.people)


def test_example_settings_load_and_state_the_defaults() -> None:
    config = ROOT / "config"
    settings = load_settings(config, env={})
    assert settings == dataclasses.replace(Settings(), storylines_dir=config / "storylines")


def _setting_keys() -> list[str]:
    top = [f.name for f in dataclasses.fields(Settings) if f.name != "http"]
    return top + [f"http.{f.name}" for f in dataclasses.fields(Settings().http)]


@pytest.mark.parametrize("key", _setting_keys())
def test_every_setting_is_in_the_example_and_the_reference(key: str) -> None:
    name = key.rsplit(".", 1)[-1]
    example = (ROOT / "config" / "storyline.toml").read_text(encoding="utf-8")
    assert re.search(rf"^#? ?{name} = ", example, re.MULTILINE), f"{key} not in the example"
    reference = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    env_name = "STORYLINE_" + key.replace(".", "_").upper()
    assert f"`{key}`" in reference and env_name in reference, f"{key} not documented"


def _shingles(text: str, size: int = 8) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_demo_material_copies_no_sentence_from_real_coverage() -> None:
    real: set[str] = set()
    for path in SHARED_SEEDS.glob("*.txt"):
        real |= _shingles(path.read_text(encoding="utf-8"))
    ours = [FEED, DEMO / "article.md", *sorted((ROOT / "seeds" / "fable").glob("*.md"))]
    for path in ours:
        copied = _shingles(path.read_text(encoding="utf-8")) & real
        assert not copied, f"{path.name} repeats real coverage: {sorted(copied)[:3]}"
