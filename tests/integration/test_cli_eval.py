"""`storyline eval`: figures on the real labelled set, exact figures on a tiny one, seeds.

Figures on `tests/eval` move while extraction and matching improve, so those tests compute
what the command must print with the scorers themselves instead of writing numbers down.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from digests.config import parse_storyline
from digests.config.reading import read_toml
from digests.feeds import parse_article
from digests.matching import Matcher
from digests.matching import evaluation as matching_eval
from digests.quotes import evaluation as quotes_eval
from digests.quotes import extract_quotes
from digests.timeline import evaluation as events_eval
from digests.timeline import extract_events
from tests.support.cli import run_cli

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "tests" / "eval"
SHARED_SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """No configured storylines: every storyline an eval uses comes from its arguments."""
    folder = tmp_path / "config"
    (folder / "storylines").mkdir(parents=True)
    return folder


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def real_scores() -> dict[str, Any]:
    cases = matching_eval.parse_cases(lines(EVAL / "matching.jsonl"))
    matching = {}
    for name in ("fable-minimal", "fable-rich"):
        path = EVAL / "storylines" / f"{name}.toml"
        definition = parse_storyline(read_toml(path), path)
        matching[name] = matching_eval.evaluate(Matcher.from_definition(definition), cases)
    entities = quotes_eval.entities_from_table(read_toml(EVAL / "quotes-entities.toml"))
    quotes = quotes_eval.evaluate(quotes_eval.load_cases(lines(EVAL / "quotes.jsonl")), entities)
    events = events_eval.evaluate(events_eval.parse_cases(lines(EVAL / "events.jsonl")))
    return {"matching": matching, "quotes": quotes, "events": events}


def targets_met(scores: dict[str, Any]) -> bool:
    """The issue's targets, restated here rather than imported from the command."""
    rich, minimal = scores["matching"]["fable-rich"], scores["matching"]["fable-minimal"]
    return (rich.f1 >= 0.95 and rich.f1 >= minimal.f1
            and scores["quotes"].precision >= 0.95 and scores["quotes"].recall >= 0.85
            and scores["events"].f1 >= 0.9)


def row_of(out: str, first_cell: str) -> list[str]:
    """The table row starting with `first_cell` (a storyline name or a precision figure)."""
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row starting with {first_cell!r} in:\n{out}")


def table_after(out: str, heading: str) -> list[str]:
    """The first data row under the table whose title starts with `heading`."""
    rows = out.split(heading, 1)[1].splitlines()
    return rows[2].split()


def test_real_set_prints_the_scorers_figures_and_gates_on_targets(config_dir: Path) -> None:
    scores = real_scores()
    status, out, _ = run_cli("eval", "--config", str(config_dir), "--set", str(EVAL))
    assert status == (0 if targets_met(scores) else 1)
    for name, got in scores["matching"].items():
        cells = row_of(out, name)
        assert [float(c) for c in cells[1:4]] == [
            round(got.precision, 3), round(got.recall, 3), round(got.f1, 3)]
    quotes = table_after(out, "Quote attribution")
    assert [float(c) for c in quotes[:2]] == [
        round(scores["quotes"].precision, 3), round(scores["quotes"].recall, 3)]
    events = table_after(out, "Event dates")
    assert [float(c) for c in events[:3]] == [
        round(scores["events"].precision, 3), round(scores["events"].recall, 3),
        round(scores["events"].f1, 3)]
    assert out.rstrip().endswith("All targets met." if status == 0 else "target(s) missed.")


def test_real_set_json_has_every_figure_and_miss(config_dir: Path) -> None:
    scores = real_scores()
    status, out, _ = run_cli("eval", "--config", str(config_dir), "--set", str(EVAL), "--json")
    report = json.loads(out)
    assert report["targets_met"] is (status == 0) is targets_met(scores)
    assert set(report["tasks"]) == {"matching", "quotes", "events"}
    rows = {row["storyline"]: row for row in report["tasks"]["matching"]["rows"]}
    assert set(rows) == {"fable-minimal", "fable-rich"}
    for name, got in scores["matching"].items():
        assert (rows[name]["precision"], rows[name]["recall"], rows[name]["f1"]) == (
            got.precision, got.recall, got.f1)
        misses = [m for m in report["tasks"]["matching"]["misses"] if m["subject"] == name]
        assert len(misses) == len(got.errors)
    assert rows["fable-rich"]["gated"] and not rows["fable-minimal"]["gated"]
    [quotes] = report["tasks"]["quotes"]["rows"]
    assert (quotes["precision"], quotes["recall"]) == (
        scores["quotes"].precision, scores["quotes"].recall)
    assert len(report["tasks"]["quotes"]["misses"]) == len(scores["quotes"].errors)
    [events] = report["tasks"]["events"]["rows"]
    assert events["f1"] == scores["events"].f1
    assert len(report["tasks"]["events"]["misses"]) == len(scores["events"].errors)
    assert {(c["task"], c["metric"]) for c in report["checks"]} == {
        ("matching", "f1"), ("matching", "f1 not below"), ("quotes", "precision"),
        ("quotes", "recall"), ("events", "f1")}
    assert all(c["passed"] is (c["value"] >= c["target"]) for c in report["checks"])


STORYLINE = """\
id = "zebra"
name = "Elm Street crossing"
description = "The town council closes and reopens the Elm Street zebra crossing."
keywords = ["zebra crossing", "Elm Street"]

[[entities]]
name = "Jane Doe"
aliases = ["Doe"]
kind = "person"
"""

ON_TOPIC = [
    ("Council closes Elm Street zebra crossing",
     "The town council closed the Elm Street zebra crossing after complaints. The zebra "
     "crossing on Elm Street stays closed."),
    ("Elm Street zebra crossing reopens",
     "The zebra crossing on Elm Street reopened today, the council said."),
    ("Elm Street zebra crossing gets new lights",
     "New lights went up at the Elm Street zebra crossing this week."),
    ("Why the Elm Street zebra crossing matters",
     "Parents say the zebra crossing on Elm Street is the only safe way to school."),
]
OFF_TOPIC = [
    ("Local bakery wins bread award",
     "A bakery in the old town won a national prize for its sourdough loaf."),
    ("Football club signs new goalkeeper",
     "The club announced the signing of a goalkeeper from a rival team."),
    ("Library extends opening hours", "The library will now open on Sunday afternoons."),
]
QUOTE = ("“This crossing is far too dangerous for our children to use every day,” "
         "said Jane Doe, who chairs the parents' group.")
EVENT_TEXT = "On June 12, 2026, the council closed the zebra crossing on Elm Street."


def write_set(folder: Path, *, flawed: bool) -> Path:
    """Obvious items, so the only errors are the labels a flawed set gets wrong on purpose.

    Flawed: one on-topic item labelled off, one off-topic item labelled on (matching
    precision = recall = 3/4); one quote credited to someone else and one that is not in the
    text (attribution precision 1/2, recall 1/3); one event that never happened (event
    precision 1, recall 1/2).
    """
    (folder / "storylines").mkdir(parents=True)
    (folder / "storylines" / "zebra.toml").write_text(STORYLINE, encoding="utf-8")
    matching = [(title, text, True) for title, text in ON_TOPIC]
    matching += [(title, text, False) for title, text in OFF_TOPIC]
    if flawed:
        matching[3] = (*ON_TOPIC[3], False)
        matching[4] = (*OFF_TOPIC[0], True)
    (folder / "matching.jsonl").write_text("".join(
        json.dumps({"title": t, "summary": s, "match": m, "note": "tiny"}) + "\n"
        for t, s, m in matching), encoding="utf-8")
    quotes = [{"text": QUOTE, "quotes": [{"speaker": "Jane Doe", "contains": "far too"}]}]
    if flawed:
        quotes.append({"text": QUOTE, "quotes": [{"speaker": "John Roe", "contains": "far too"},
                                                 {"speaker": "Jane Doe", "contains": "absent"}]})
    (folder / "quotes.jsonl").write_text(
        "".join(json.dumps(q) + "\n" for q in quotes), encoding="utf-8")
    (folder / "quotes-entities.toml").write_text(
        '[[entities]]\nname = "Jane Doe"\naliases = ["Doe"]\nkind = "person"\n'
        '[[entities]]\nname = "John Roe"\nkind = "person"\n', encoding="utf-8")
    events = [{"date": "2026-06-12", "contains": "closed"}]
    if flawed:
        events.append({"date": "2026-06-13", "contains": "letter"})
    (folder / "events.jsonl").write_text(json.dumps(
        {"text": EVENT_TEXT, "published": "2026-06-15T09:00:00Z", "events": events}) + "\n",
        encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("flawed", "status", "matching", "quotes", "events"),
    [
        (False, 0, ["1.000", "1.000", "1.000"], ["1.000", "1.000"], ["1.000", "1.000", "1.000"]),
        (True, 1, ["0.750", "0.750", "0.750"], ["0.500", "0.333"], ["1.000", "0.500", "0.667"]),
    ],
)
def test_tiny_set_exact_figures(
    tmp_path: Path, config_dir: Path, flawed: bool, status: int,
    matching: list[str], quotes: list[str], events: list[str],
) -> None:
    folder = write_set(tmp_path / "set", flawed=flawed)
    got, out, _ = run_cli("eval", "--config", str(config_dir), "--set", str(folder))
    assert got == status
    assert row_of(out, "zebra")[1:4] == matching
    assert table_after(out, "Quote attribution")[:2] == quotes
    assert table_after(out, "Event dates")[:3] == events
    assert ("MISS" in out) is flawed


def test_tiny_set_misses_name_the_case_and_are_limited(tmp_path: Path, config_dir: Path) -> None:
    folder = write_set(tmp_path / "set", flawed=True)
    _, out, _ = run_cli("eval", "--config", str(config_dir), "--set", str(folder),
                        "--show-misses", "1")
    assert "misses [zebra]: 2:" in out
    assert "case 4: expected no match, got match" in out
    assert "case 5: expected match" not in out and "… 1 more" in out
    _, out, _ = run_cli("eval", "--config", str(config_dir), "--set", str(folder), "--json")
    misses = json.loads(out)["tasks"]["matching"]["misses"]
    assert [(m["case"], m["expected"], m["got"]) for m in misses] == [
        (4, "no match", "match"), (5, "match", "no match")]
    quote_cases = {m["case"] for m in json.loads(out)["tasks"]["quotes"]["misses"]}
    assert quote_cases == {2}


def test_missing_set_is_a_one_line_error(tmp_path: Path, config_dir: Path) -> None:
    status, out, err = run_cli("eval", "--config", str(config_dir),
                               "--set", str(tmp_path / "nowhere"))
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "nowhere: no such evaluation set folder" in err


def test_set_without_storyline_for_matching_says_what_to_add(
    tmp_path: Path, config_dir: Path
) -> None:
    folder = write_set(tmp_path / "set", flawed=False)
    (folder / "storylines" / "zebra.toml").unlink()
    status, _, err = run_cli("eval", "--config", str(config_dir), "--set", str(folder))
    assert status == 1 and "pass --storyline FILE" in err
    storyline = tmp_path / "zebra.toml"
    status, _, err = run_cli("eval", "--config", str(config_dir), "--set", str(folder),
                             "--storyline", str(storyline))
    assert status == 1 and "zebra.toml: no such storyline file" in err
    storyline.write_text(STORYLINE, encoding="utf-8")
    status, out, _ = run_cli("eval", "--config", str(config_dir), "--set", str(folder),
                             "--storyline", str(storyline))
    assert status == 0 and row_of(out, "zebra")[1:4] == ["1.000", "1.000", "1.000"]


def test_seeds_on_a_tiny_folder(tmp_path: Path, config_dir: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "crossing.txt").write_text(
        f"Council closes Elm Street zebra crossing\nDate: 2026-06-15\n\n{EVENT_TEXT}\n{QUOTE}\n",
        encoding="utf-8")
    (folder / "bakery.md").write_text("# Bakery wins award\n\nA sourdough loaf won a prize.\n",
                                      encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")  # not an article: ignored
    storyline = tmp_path / "zebra.toml"
    storyline.write_text(STORYLINE, encoding="utf-8")
    common = ("eval", "--config", str(config_dir), "--seeds", str(folder),
              "--storyline", str(storyline))
    status, out, _ = run_cli(*common, "--json")
    assert status == 0
    files = {f["file"]: f for f in json.loads(out)["files"]}
    assert set(files) == {"crossing.txt", "bakery.md"}
    crossing = files["crossing.txt"]
    assert [d["match"] for d in crossing["decisions"]] == [True]
    [event] = crossing["events"]
    assert event["date"] == "2026-06-12" and "closed the zebra crossing" in event["text"]
    assert [q["speaker"] for q in crossing["quotes"]] == ["Jane Doe"]
    assert [d["match"] for d in files["bakery.md"]["decisions"]] == [False]
    status, out, _ = run_cli(*common)
    assert status == 0
    assert "[zebra] MATCH, score 1.00" in out and "[zebra] no match" in out
    assert f"2026-06-12  {event['text']}" in out and "Jane Doe: “This crossing" in out
    assert "events: 1" in out and "quotes: 1" in out


def test_seeds_folder_without_articles_is_an_error(tmp_path: Path, config_dir: Path) -> None:
    status, _, err = run_cli("eval", "--config", str(config_dir), "--seeds", str(tmp_path))
    assert status == 1 and "no articles" in err
    status, _, err = run_cli("eval", "--config", str(config_dir),
                             "--seeds", str(tmp_path / "nowhere"))
    assert status == 1 and "no such folder" in err


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(),
                    reason=f"{SHARED_SEEDS} (real coverage shared beside the checkout) is absent")
def test_seeds_on_shared_coverage_reports_what_the_engine_does(config_dir: Path) -> None:
    storyline = EVAL / "storylines" / "fable-rich.toml"
    definition = parse_storyline(tomllib.loads(storyline.read_text(encoding="utf-8")), storyline)
    matcher = Matcher.from_definition(definition)
    status, out, _ = run_cli("eval", "--config", str(config_dir), "--seeds", str(SHARED_SEEDS),
                             "--storyline", str(storyline), "--json")
    assert status == 0
    files = {f["file"]: f for f in json.loads(out)["files"]}
    articles = sorted(p for p in SHARED_SEEDS.iterdir() if p.suffix in {".txt", ".md", ".html"})
    assert sorted(files) == [p.name for p in articles]
    for path in articles:
        entry = parse_article(path.read_text(encoding="utf-8"), name=path.name, published=None)
        decision = matcher.decide(entry.title, entry.text)
        [got] = files[path.name]["decisions"]
        assert (got["match"], got["score"]) == (decision.match, round(decision.score, 4))
        events = extract_events(entry.text, entry.published, title=entry.title)
        assert len(files[path.name]["events"]) == len(events)
        quotes = extract_quotes(entry.text, definition.entities)
        assert [q["speaker"] for q in files[path.name]["quotes"]] == [q.speaker for q in quotes]
