"""`storyline eval` — the engine's figures on a labelled set, or its output on real articles.

Two modes. On a labelled set (`tests/eval` by default) it scores matching, quote attribution
and event dates with the pure scorers in `digests.*.evaluation`, compares each figure with the
project's targets and exits 1 when one is missed, so a script can gate on it. With `--seeds`
there are no labels: it runs the engine over a folder of articles and lists what it decided
and extracted, for a person to judge. Neither mode touches the database: matchers are built
from the definition and its seed files only, so the figures do not depend on what a local
store happened to learn.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from digests.cli.context import CliContext, CliError
from digests.config import Entity, StorylineDefinition, parse_storyline
from digests.config.reading import read_toml
from digests.config.seeds import read_seed_texts
from digests.feeds import parse_article
from digests.feeds.articles import parse_date
from digests.matching import Matcher
from digests.matching import evaluation as matching_eval
from digests.quotes import evaluation as quotes_eval
from digests.quotes import extract_quotes
from digests.service.progress import Progress
from digests.sources import ARTICLE_SUFFIXES
from digests.timeline import evaluation as events_eval
from digests.timeline import extract_events

# The targets of the evaluation issue (matching's, `MATCHING_F1`, lives with its scoring).
QUOTES_PRECISION = 0.95
QUOTES_RECALL = 0.85
EVENTS_F1 = 0.9
TOP_REASONS = 3
LINE = 110

HEADERS = {"f1": "F1", "true_positives": "TP", "false_positives": "FP",
           "false_negatives": "FN"}

T = TypeVar("T")
C = TypeVar("C")

EPILOG = """\
targets: matching F1 >= 0.95 for the richest storyline definition (and no other definition
of the set may beat it), quote attribution precision >= 0.95 and recall >= 0.85, event date
F1 >= 0.9.

exit status: 0 when every target is met (with --seeds: when at least one article was read),
1 when a target is missed or the input is unusable, 2 for configuration errors.
"""


@dataclass(frozen=True)
class Check:
    """One figure held against its target."""

    task: str
    subject: str
    metric: str
    value: float
    target: float

    @property
    def passed(self) -> bool:
        return self.value >= self.target


@dataclass
class Task:
    """One scored task: what the table shows, the checks it feeds, the cases it got wrong."""

    key: str
    title: str
    rows: list[dict[str, Any]]
    checks: list[Check] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
             common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "eval", parents=[common], epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        help="score matching, quote attribution and event dates on a labelled set",
        description="Score the engine on a labelled set (matching.jsonl with storylines/*.toml, "
        "quotes.jsonl with quotes-entities.toml, events.jsonl) and print precision, recall "
        "and F1 against the targets, then the cases it got wrong. With --seeds, run the engine "
        "over a folder of articles instead and list each decision, event and quote. The "
        "database is not used: matchers see only their definition and its seed files.",
    )
    parser.add_argument("--set", dest="set_dir", type=Path, default=Path("tests/eval"),
                        metavar="DIR", help="labelled set folder (default: tests/eval)")
    parser.add_argument(
        "--storyline", dest="storyline_files", type=Path, action="append", metavar="FILE",
        help="storyline definition to match with, instead of the set's storylines/*.toml "
        "(or, with --seeds, the configured storylines); repeatable",
    )
    parser.add_argument("--seeds", type=Path, metavar="DIR",
                        help="run the engine over the articles (.txt, .md, .html) in DIR")
    parser.add_argument(
        "--published", type=_published, metavar="DATE",
        help="with --seeds: publication date for articles that state none (ISO, e.g. "
        "2026-06-15), so relative dates such as 'on Friday' can be placed",
    )
    parser.add_argument("--show-misses", type=int, default=10, metavar="N",
                        help="misses listed per task and storyline (default 10; JSON lists all)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def _published(value: str) -> dt.datetime:
    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r}")
    return parsed


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.seeds is not None:
        return _run_seeds(args, ctx)
    set_dir: Path = args.set_dir
    if not set_dir.is_dir():
        raise CliError(f"{set_dir}: no such evaluation set folder (give one with --set DIR)")
    steps: list[Callable[[], Task]] = []
    if (set_dir / "matching.jsonl").is_file():
        definitions = _storylines(args.storyline_files, set_dir)
        if not definitions:
            raise CliError(f"{set_dir}/matching.jsonl needs a storyline: add "
                           f"{set_dir}/storylines/*.toml or pass --storyline FILE")
        steps.append(lambda: _matching(set_dir / "matching.jsonl", definitions))
    if (set_dir / "quotes.jsonl").is_file():
        steps.append(lambda: _quotes(set_dir))
    if (set_dir / "events.jsonl").is_file():
        steps.append(lambda: _events(set_dir / "events.jsonl"))
    if not steps:
        raise CliError(f"{set_dir}: no matching.jsonl, quotes.jsonl or events.jsonl to score")
    progress = Progress(len(steps), ctx.err, "eval")
    tasks = []
    for step in steps:
        tasks.append(step())
        progress.advance(tasks[-1].key)
    checks = [check for task in tasks for check in task.checks]
    met = all(check.passed for check in checks)
    if args.json:
        ctx.say(json.dumps({
            "set": str(set_dir), "targets_met": met,
            "tasks": {t.key: {"title": t.title, "rows": t.rows, "misses": t.misses}
                      for t in tasks},
            "checks": [{"task": c.task, "subject": c.subject, "metric": c.metric,
                        "value": c.value, "target": c.target, "passed": c.passed}
                       for c in checks],
        }, ensure_ascii=False, indent=2))
    else:
        ctx.say(f"Evaluation set {set_dir}")
        for task in tasks:
            _print_task(ctx, task, args.show_misses)
        missed = sum(not c.passed for c in checks)
        ctx.say()
        ctx.say("All targets met." if met else f"{missed} of {len(checks)} target(s) missed.")
    return 0 if met else 1


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot read ({exc})") from exc


def _parsed(path: Path, parse: Callable[[list[str]], T]) -> T:
    """Parse errors in a labelled file are the user's to fix: one line naming the file."""
    try:
        return parse(_read_lines(path))
    except (ValueError, KeyError, TypeError) as exc:
        raise CliError(f"{path}: not a valid evaluation file ({type(exc).__name__}: {exc})") \
            from exc


def _load_storyline(path: Path) -> StorylineDefinition:
    if not path.is_file():
        raise CliError(f"{path}: no such storyline file")
    return parse_storyline(read_toml(path), path)


def _storylines(
    files: Sequence[Path] | None, set_dir: Path
) -> list[tuple[str, StorylineDefinition]]:
    """Labelled by file name: a set's minimal and rich forms usually share one storyline id."""
    paths = list(files) if files else sorted((set_dir / "storylines").glob("*.toml"))
    return [(path.stem, _load_storyline(path)) for path in paths]


def _matcher(definition: StorylineDefinition) -> Matcher:
    return Matcher.from_definition(definition, seed_texts=read_seed_texts(definition))


def _matching(path: Path, definitions: list[tuple[str, StorylineDefinition]]) -> Task:
    cases = _parsed(path, matching_eval.parse_cases)
    numbers = {id(case): number for number, case in enumerate(cases, start=1)}
    positives = sum(case.match for case in cases)
    task = Task("matching", f"Matching ({path}, {len(cases)} cases: {positives} belong, "
                f"{len(cases) - positives} do not)", rows=[])
    richest = matching_eval.richest([definition for _, definition in definitions])
    scores_by_name: dict[str, float] = {}
    for index, (name, definition) in enumerate(definitions):
        scores = matching_eval.evaluate(_matcher(definition), cases)
        false_neg = sum(error.case.match for error in scores.errors)
        false_pos = len(scores.errors) - false_neg
        gated = index == richest
        task.rows.append({
            "storyline": name, "file": definition.source, "precision": scores.precision,
            "recall": scores.recall, "f1": scores.f1, "true_positives": positives - false_neg,
            "false_positives": false_pos, "false_negatives": false_neg, "gated": gated,
        })
        scores_by_name[name] = scores.f1
        if gated:
            task.checks.append(Check("matching", name, "f1", scores.f1,
                                     matching_eval.MATCHING_F1))
        for error in scores.errors:
            case, decision = error.case, error.decision
            expected, got = ("match", "no match") if case.match else ("no match", "match")
            task.misses.append({
                "case": numbers[id(case)], "subject": name, "expected": expected, "got": got,
                "score": round(decision.score, 4), "title": case.title, "note": case.note,
                "reasons": list(decision.reasons),
                "detail": f"expected {expected}, got {got} (score {decision.score:.2f}): "
                          f"{case.title!r}" + (f" [{case.note}]" if case.note else ""),
            })
    best = definitions[richest][0]
    for name, f1 in scores_by_name.items():
        if name != best:
            # The issue: the minimal file must work, and richer definitions must do better.
            task.checks.append(Check("matching", f"{best} vs {name}", "f1 not below",
                                     scores_by_name[best], f1))
    return task


_CASE_PREFIX_RE = re.compile(r"^case \d+ \([^)]*\): ")
_BREAKS_RE = re.compile(r"\s*[\r\n]+\s*")


def _per_case_misses(cases: Sequence[C], score: Callable[[C], tuple[str, ...]],
                        ) -> list[dict[str, Any]]:
    """Scoring one case at a time names the case behind each miss; the sums stay the same."""
    return [
        {"case": number, "subject": "", "detail": _CASE_PREFIX_RE.sub("", error)}
        for number, case in enumerate(cases, start=1)
        for error in score(case)
    ]


def _quotes(set_dir: Path) -> Task:
    path = set_dir / "quotes.jsonl"
    cases = _parsed(path, quotes_eval.load_cases)
    entities_file = set_dir / "quotes-entities.toml"
    entities: tuple[Entity, ...] = ()
    if entities_file.is_file():
        entities = quotes_eval.entities_from_table(read_toml(entities_file))
    scores = quotes_eval.evaluate(cases, entities)
    task = Task("quotes", f"Quote attribution ({path}, {len(cases)} cases)", rows=[{
        "precision": scores.precision, "recall": scores.recall,
        "f1": _f1(scores.precision, scores.recall), "right": scores.right,
        "attributed": scores.attributed, "expected": scores.expected,
    }])
    task.checks = [Check("quotes", "", "precision", scores.precision, QUOTES_PRECISION),
                   Check("quotes", "", "recall", scores.recall, QUOTES_RECALL)]
    task.misses = _per_case_misses(cases, lambda c: quotes_eval.evaluate([c], entities).errors)
    return task


def _events(path: Path) -> Task:
    cases = _parsed(path, events_eval.parse_cases)
    scores = events_eval.evaluate(cases)
    task = Task("events", f"Event dates ({path}, {len(cases)} cases)", rows=[{
        "precision": scores.precision, "recall": scores.recall, "f1": scores.f1,
        "correct": scores.correct, "found": scores.found, "expected": scores.expected,
    }])
    task.checks = [Check("events", "", "f1", scores.f1, EVENTS_F1)]
    task.misses = _per_case_misses(cases, lambda c: events_eval.evaluate([c]).errors)
    return task


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _print_task(ctx: CliContext, task: Task, limit: int) -> None:
    ctx.say()
    ctx.say(task.title)
    columns = [key for key in task.rows[0] if key not in {"file", "gated"}]
    headers = [*(HEADERS.get(c, c) for c in columns), "target", "result"]
    table = [headers]
    for row in task.rows:
        subject = str(row.get("storyline", ""))
        checks = [c for c in task.checks if c.subject == subject]
        target = ", ".join(f"{c.metric} >= {c.target:.2f}" for c in checks) or "reference"
        result = ("PASS" if all(c.passed for c in checks) else "MISS") if checks else "-"
        table.append([*(_cell(row[c]) for c in columns), target, result])
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    numeric = [isinstance(task.rows[0][c], int | float) for c in columns] + [False, False]
    for line in table:
        ctx.say("  " + "  ".join(cell.rjust(w) if numeric[i] else cell.ljust(w)
                                 for i, (cell, w) in enumerate(zip(line, widths, strict=True)))
                .rstrip())
    for check in task.checks:
        if " vs " in check.subject:
            verdict = "PASS" if check.passed else "MISS"
            ctx.say(f"  {check.subject}: F1 {check.value:.3f} vs {check.target:.3f} "
                    f"(richer must not do worse)  {verdict}")
    subjects = dict.fromkeys(m["subject"] for m in task.misses)
    for subject in subjects:
        misses = [m for m in task.misses if m["subject"] == subject]
        label = f" [{subject}]" if subject else ""
        shown = misses[:max(limit, 0)]
        ctx.say(f"  misses{label}: {len(misses)}" + (":" if shown else ""))
        for miss in shown:
            ctx.say(_clip(f"    case {miss['case']}: {miss['detail']}"))
            if miss.get("reasons"):
                ctx.say(_clip("      reasons: " + "; ".join(miss["reasons"][:TOP_REASONS])))
        if len(misses) > len(shown):
            ctx.say(f"    … {len(misses) - len(shown)} more (--show-misses N, or --json)")


def _clip(text: str, width: int = LINE) -> str:
    """One line per finding: inner line breaks folded, indentation kept, long text cut."""
    text = _BREAKS_RE.sub(" ", text.rstrip())
    return text if len(text) <= width else text[: width - 1] + "…"


def _seed_storylines(args: argparse.Namespace,
                     ctx: CliContext) -> list[tuple[str, StorylineDefinition]]:
    if args.storyline_files:
        return [(path.stem, _load_storyline(path)) for path in args.storyline_files]
    if ctx.storylines:
        return [(d.id, d) for d in ctx.storylines]
    if (args.set_dir / "storylines").is_dir():
        return _storylines(None, args.set_dir)
    raise CliError("no storyline to match against: configure one or pass --storyline FILE")


def _run_seeds(args: argparse.Namespace, ctx: CliContext) -> int:
    folder: Path = args.seeds
    if not folder.is_dir():
        raise CliError(f"{folder}: no such folder of articles")
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    if not files:
        raise CliError(f"{folder}: no articles (.txt, .md, .html) to read")
    definitions = _seed_storylines(args, ctx)
    matchers = [(name, d, _matcher(d)) for name, d in definitions]
    progress = Progress(len(files), ctx.err, "seeds")
    reports = []
    for path in files:
        reports.append(_seed_report(path, matchers, args.published))
        progress.advance(path.name)
    if args.json:
        ctx.say(json.dumps({"seeds": str(folder), "storylines": [n for n, _ in definitions],
                            "files": reports}, ensure_ascii=False, indent=2))
        return 0
    names = ", ".join(f"{name} ({d.source})" for name, d in definitions)
    ctx.say(f"Seeds {folder}: {len(files)} article(s), matched against {names}")
    for report in reports:
        _print_seed(ctx, report)
    return 0


def _seed_report(path: Path, matchers: list[tuple[str, StorylineDefinition, Matcher]],
                 published: dt.datetime | None) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})") from exc
    entry = parse_article(raw, name=path.name, published=None)
    if entry.published is None and published is not None:
        entry = dataclasses.replace(entry, published=published)
    decisions = []
    entities: list[Entity] = []
    for name, definition, matcher in matchers:
        decision = matcher.decide(entry.title, entry.text)
        decisions.append({"storyline": name, "match": decision.match,
                          "score": round(decision.score, 4), "reasons": list(decision.reasons)})
        if decision.match:
            entities.extend(definition.entities)
    # As in the pipeline, speakers resolve against the matched storylines' entities; an
    # unmatched article is still read with every storyline's, so there is something to judge.
    if not entities:
        entities = [e for _, d, _ in matchers for e in d.entities]
    events = extract_events(entry.text, entry.published, title=entry.title)
    quotes = extract_quotes(entry.text, entities)
    return {
        "file": path.name, "title": entry.title,
        "published": entry.published.isoformat() if entry.published else None,
        "language": entry.language, "decisions": decisions,
        "events": [{"date": e.date.isoformat(), "text": e.text} for e in events],
        "quotes": [{"speaker": q.speaker, "quote": q.quote, "style": q.style} for q in quotes],
    }


def _print_seed(ctx: CliContext, report: dict[str, Any]) -> None:
    ctx.say()
    ctx.say(_clip(f"{report['file']}: {report['title']!r} (published "
                  f"{report['published'] or 'unknown'}, language {report['language'] or '?'})"))
    for decision in report["decisions"]:
        verdict = "MATCH" if decision["match"] else "no match"
        ctx.say(f"  [{decision['storyline']}] {verdict}, score {decision['score']:.2f}")
        for reason in decision["reasons"][:TOP_REASONS]:
            ctx.say(_clip(f"      - {reason}"))
    ctx.say(f"  events: {len(report['events'])}")
    for event in report["events"]:
        ctx.say(_clip(f"    {event['date']}  {event['text']}"))
    ctx.say(f"  quotes: {len(report['quotes'])}")
    for quote in report["quotes"]:
        ctx.say(_clip(f"    {quote['speaker'] or '(no speaker)'}: “{quote['quote']}”"))
