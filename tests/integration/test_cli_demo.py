"""`storyline demo`: the README's first command, on the real bundled material and config."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("in_repo")
def test_demo_prints_the_discord_messages_a_follower_would_get(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    status, out, err = run_cli("--db", str(db), "demo")
    assert status == 0, err
    assert db.exists()
    # What the bot would post: console-mode messages with the storyline's digest heading.
    assert out.startswith("─" * 60 + "\n[channel 0 · message 1]\n")
    assert "**Fable/Mythos export controls** — digest for" in out
    for section in ("## Stories", "## Timeline", "## Quotes"):
        assert section in out
    # A story on the storyline is there; the children's book look-alike and local news are not.
    assert "US lifts export controls on Fable 5" in out
    assert "picture-book-a-fable-award" not in out
    assert "bike-lanes" not in out
    # The syndicated copy is one story with two sources, not two stories.
    assert out.count("sacks-white-house-acted-reluctantly-fable") >= 1
    assert "Sacks says White House acted ‘reluctantly’" in out
    assert "· 2 sources" in out
    # Progress and the summary go to stderr, so stdout is only what would be posted.
    assert "demo: stored 37 new, 0 updated, 0 unchanged item(s)" in err
    assert "demo: engine ran over 37 item(s): matched fable" in err
    assert "storyline --db" in err and "timeline --storyline fable" in err


@pytest.mark.usefixtures("in_repo")
def test_demo_twice_stores_nothing_new_and_prints_the_same_digest(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    first = run_cli("--db", db, "demo")
    second = run_cli("--db", db, "demo")
    assert first[0] == second[0] == 0
    assert "demo: stored 0 new, 0 updated, 37 unchanged item(s)" in second[2]
    assert "engine ran over" not in second[2]  # nothing changed, nothing re-processed
    assert second[1] == first[1]  # a preview records no digest, so it is not "already sent"


@pytest.mark.usefixtures("in_repo")
def test_demo_markdown_matches_the_digest_dry_run_format(tmp_path: Path) -> None:
    status, out, err = run_cli("--db", str(tmp_path / "demo.db"), "demo", "--markdown")
    assert status == 0, err
    assert "[channel 0" not in out
    assert out.startswith("# Fable/Mythos export controls — digest for")
    assert "_New between 1970" not in out  # the period starts at the first stored item


def test_demo_finds_its_material_beside_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no ./seeds here
    status, _, err = run_cli("--config", str(CONFIG), "--db", "demo.db", "demo")
    assert status == 0, err
    assert f"from {ROOT / 'seeds' / 'demo'}" in err
    assert (tmp_path / "demo.db").exists()


@pytest.mark.usefixtures("in_repo")
def test_missing_or_empty_material_is_a_one_line_error(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    status, out, err = run_cli("--db", db, "demo", "--material", str(tmp_path / "nope"))
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and "demo material not found" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("not material\n", encoding="utf-8")
    status, _, err = run_cli("--db", db, "demo", "--material", str(empty))
    assert status == 1 and "no feeds or articles to ingest" in err


@pytest.mark.usefixtures("in_repo")
def test_broken_material_names_the_file(tmp_path: Path) -> None:
    material = tmp_path / "material"
    material.mkdir()
    (material / "feed.xml").write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    status, _, err = run_cli("--db", str(tmp_path / "d.db"), "demo", "--material", str(material))
    assert status == 1
    assert "demo material is broken" in err and "feed.xml" in err


def test_run_outside_the_project_says_where_it_looked_and_what_to_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYLINE_CONFIG", raising=False)
    status, out, err = run_cli("--db", str(tmp_path / "d.db"), "demo")
    assert (status, out) == (1, "")
    assert "no storylines configured" in err and str(tmp_path) in err and "--config" in err


@pytest.mark.usefixtures("in_repo")
def test_unknown_storyline_lists_the_known_ones(tmp_path: Path) -> None:
    status, _, err = run_cli("--db", str(tmp_path / "d.db"), "demo", "--storyline", "nope")
    assert status == 1 and "unknown storyline 'nope' (known: fable)" in err


@pytest.mark.usefixtures("in_repo")
def test_without_db_the_demo_never_writes_the_configured_database(tmp_path: Path) -> None:
    """In the image the configured database is the live /data/storyline.db: demo items there
    would reach real digests. Without --db the demo uses demo.db beside it instead."""
    live = tmp_path / "data" / "storyline.db"
    status, _out, err = run_cli("demo", env={"STORYLINE_DATABASE": str(live)})
    assert status == 0, err
    assert f"into {tmp_path / 'data' / 'demo.db'}" in err
    assert (tmp_path / "data" / "demo.db").exists()
    assert not live.exists()
    assert f"storyline --db {tmp_path / 'data' / 'demo.db'} timeline" in err
