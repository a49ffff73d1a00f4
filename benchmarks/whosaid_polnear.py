"""`storyline who-said` measured on PolNeAR: the speaker of real quotes, or "no quote found".

Usage: .venv/bin/python benchmarks/whosaid_polnear.py [CORPUS_DIR] [--db PATH] [--reuse]
       [--sample N] [--errors N]

What a new user would do, through the real `storyline` command (in-process, same code):
every article of CORPUS_DIR (default ../shared/corpora/polnear-train beside the repository)
becomes one item of one local RSS file, one storyline about the 2016 US election is defined
the way a user would (id, name, a sentence, a few keywords), `storyline ingest FEED` stores and
processes them, then `storyline who-said FRAGMENT --json` is asked:

- *present* fragments: eight words from the middle of direct quotations (12+ words inside
  quotation marks) of relations whose Source names someone (`quotes_polnear.read_relations`,
  and a capitalised run that is not only a modifier: "Tom Fitton" or "CNN", not "a Democratic
  strategist"), a deterministic sample of N (default 150). The top answer is right when its
  speaker's last word appears in the Source span, as in `quotes_polnear.py`.
- *absent* fragments, which no article holds (checked after normalising): eight consecutive
  words of the news updates in ../shared/corpora/storylines-dev (other years, other stories),
  and splices of the first four words of one present fragment with the last four of another
  (the same vocabulary, words nobody said in that order).

Figures: top-1 (the first answer names the right speaker, over all present fragments, and
over those from articles the storyline matched: quotes are stored for matched items only),
precision of answers (right over answers that name a speaker), unanswered, and the share of
absent fragments answered "no quote found". Corpus text is read at run time and written only
to a temporary directory; nothing of it is copied into the project.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from digests.cli.main import main as storyline
from digests.quotes.spans import clean_quote, find_spans

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quotes_polnear import names_someone, read_relations, speaker_right

_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
_STORYLINE = """\
id = "election"
name = "2016 US presidential election"
description = "The race for the White House in 2016: the primaries, the candidates, \
the campaigns and the general election."
keywords = ["election", "presidential", "campaign", "Trump", "Clinton", "Sanders", "primary"]
"""
_SETTINGS = 'database = "storyline.db"\nquiet_day = "skip"\n'
_DATE_RE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Probe:
    fragment: str
    source: str  # the annotated Source span; empty for an absent fragment
    article: str


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _articles(corpus: Path) -> dict[str, Path]:
    chosen: dict[str, Path] = {}
    for ann in sorted((corpus / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    return {stem: ann for stem, ann in chosen.items()
            if (corpus / "text" / f"{stem}.txt").is_file()}


def write_feed(corpus: Path, stems: list[str], path: Path) -> None:
    """One RSS item per article: the first line is the title, each paragraph a <p>."""
    items = []
    for stem in stems:
        text = (corpus / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>"
                             for p in body.split("\n") if p.strip())
        day = _DATE_RE.search(stem)
        published = f"{day.group(1)}T12:00:00Z" if day else "2016-06-01T12:00:00Z"
        items.append(
            f"<entry><id>urn:polnear:{html.escape(stem)}</id>"
            f"<title>{html.escape(title.strip())}</title>"
            f'<link href="https://news.invalid/{html.escape(stem)}"/>'
            f"<updated>{published}</updated>"
            f'<content type="html">{html.escape(paragraphs)}</content></entry>'
        )
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>PolNeAR</title>'
        "<id>urn:polnear</id><updated>2016-12-31T00:00:00Z</updated>"
        + "".join(items) + "</feed>",
        encoding="utf-8",
    )


def present_probes(corpus: Path, articles: dict[str, Path], sample: int) -> list[Probe]:
    """Eight words from the middle of long direct quotations whose source is named."""
    candidates: list[Probe] = []
    for stem, ann in sorted(articles.items()):
        seen: set[str] = set()
        for relation in read_relations(ann):
            if not names_someone(relation.source):
                continue
            for span in find_spans(relation.content):
                words = _WORD.findall(clean_quote(span.text))
                if len(words) < 12 or not span.closed:
                    continue
                middle = len(words) // 2
                fragment = " ".join(words[middle - 4 : middle + 4]).strip(",.;:!?—–\"“”‘’'")
                if _key(fragment) and _key(fragment) not in seen:
                    seen.add(_key(fragment))
                    candidates.append(Probe(fragment, relation.source, stem))
    random.Random(2016).shuffle(candidates)
    return candidates[:sample]


def absent_probes(present: list[Probe], haystack: str, count: int) -> list[Probe]:
    """Fragments in no article: other news prose, and splices of two present fragments."""
    rng = random.Random(9)
    probes: list[Probe] = []
    updates = _CORPORA / "storylines-dev"
    prose: list[str] = []
    for tsv in sorted(updates.glob("*.tsv")):
        with tsv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                prose.extend(p for p in (row.get("Update") or "").split("\\n") if p.strip())
    rng.shuffle(prose)
    for paragraph in prose:
        words = _WORD.findall(paragraph)
        if len(words) < 10:
            continue
        start = rng.randrange(0, len(words) - 8)
        fragment = " ".join(words[start : start + 8]).strip(",.;:!?\"“”")
        if _key(fragment) not in haystack:
            probes.append(Probe(fragment, "", "storylines-dev"))
        if len(probes) >= count // 2:
            break
    shuffled = present[:]
    rng.shuffle(shuffled)
    for first, second in zip(present, shuffled, strict=True):
        if first.article == second.article:
            continue
        fragment = " ".join(first.fragment.split()[:4] + second.fragment.split()[4:])
        if _key(fragment) not in haystack:
            probes.append(Probe(fragment, "", "splice"))
        if len(probes) >= count:
            break
    return probes


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = storyline(list(argv), out=out, err=err, env={})
    return status, out.getvalue(), err.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=_CORPORA / "polnear-train")
    parser.add_argument("--db", type=Path, help="store file (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="ask an already ingested --db instead of ingesting again")
    parser.add_argument("--sample", type=int, default=150, help="present fragments asked")
    parser.add_argument("--errors", type=int, default=0, help="print this many misses")
    args = parser.parse_args()
    if not (args.corpus / "text").is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    articles = _articles(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="whosaid-"))
    config = work / "config"
    (config / "storylines").mkdir(parents=True)
    (config / "storyline.toml").write_text(_SETTINGS, encoding="utf-8")
    (config / "storylines" / "election.toml").write_text(_STORYLINE, encoding="utf-8")
    db = args.db or work / "storyline.db"
    common = ("--config", str(config), "--db", str(db))
    if not args.reuse:
        feed = work / "polnear.xml"
        write_feed(args.corpus, sorted(articles), feed)
        started = time.perf_counter()
        status, out, err = _cli("ingest", str(feed), *common)
        if status != 0:
            print(err, file=sys.stderr)
            return 1
        print(out.strip())
        print(f"ingest + engine: {time.perf_counter() - started:.0f} s")
    haystack = " ".join(
        _key((args.corpus / "text" / f"{stem}.txt").read_text(encoding="utf-8"))
        for stem in articles
    )
    present = present_probes(args.corpus, articles, args.sample)
    absent = absent_probes(present, haystack, len(present))
    matched = _matched_articles(common)
    in_matched = [p for p in present if p.article in matched]
    right = answered = unattributed = 0
    right_matched = 0
    misses: list[str] = []
    started = time.perf_counter()
    for probe in present:
        hits = _ask(probe.fragment, common)
        if not hits:
            misses.append(f"silent  {probe.fragment!r} (source {probe.source!r}, {probe.article})")
            continue
        speaker = hits[0]["speaker"]
        if not speaker:
            unattributed += 1
            misses.append(f"no name {probe.fragment!r} → {hits[0]['quote'][:80]!r} "
                          f"(source {probe.source!r}, {probe.article})")
            continue
        answered += 1
        if speaker_right(speaker, probe.source):
            right += 1
            right_matched += probe.article in matched
        else:
            misses.append(f"WRONG   {probe.fragment!r} → {speaker!r}: {hits[0]['quote'][:80]!r}"
                          f" (source {probe.source!r}, {probe.article})")
    silent = {"storylines-dev": 0, "splice": 0}
    asked = {"storylines-dev": 0, "splice": 0}
    for probe in absent:
        asked[probe.article] += 1
        hits = _ask(probe.fragment, common)
        if not hits:
            silent[probe.article] += 1
        else:
            misses.append(f"ABSENT  {probe.fragment!r} → {hits[0]['quote'][:80]!r}")
    elapsed = time.perf_counter() - started
    total_absent = sum(asked.values())
    print(f"present fragments {len(present)}  absent fragments {total_absent} "
          f"({asked['storylines-dev']} other prose, {asked['splice']} splices)  "
          f"{(len(present) + total_absent) / elapsed:.1f} lookups/s")
    print(f"top-1 {right / len(present):.3f}  precision of answers "
          f"{right / answered if answered else 0.0:.3f}  answered {answered}  "
          f"found without a speaker {unattributed}  "
          f"no quote found {len(present) - answered - unattributed}")
    print(f"the storyline matched {len(matched)} of {len(articles)} articles; quotes are "
          f"extracted from matched items only. Over the {len(in_matched)} present fragments "
          f"from matched articles: top-1 {right_matched / max(len(in_matched), 1):.3f}")
    print(f"absent answered 'no quote found' {sum(silent.values()) / total_absent:.3f}  "
          f"(other prose {silent['storylines-dev']}/{asked['storylines-dev']}, "
          f"splices {silent['splice']}/{asked['splice']})")
    top1 = right / len(present)
    answer_precision = right / answered if answered else 0.0
    absent_silent = sum(silent.values()) / total_absent
    for label, value, target in (("top-1", top1, 0.85),
                                 ("precision of answers", answer_precision, 0.95),
                                 ("absent answered 'no quote found'", absent_silent, 0.95)):
        print(f"target {label} >= {target:.2f}: {'met' if value >= target else 'MISSED'}")
    for line in misses[: args.errors]:
        print("  " + line)
    return 0


def _matched_articles(common: tuple[str, ...]) -> set[str]:
    """Articles in the storyline, from `storyline stories --json` (their links end in the stem)."""
    status, out, err = _cli("stories", "--storyline", "election", "--json", *common)
    if status != 0:
        raise SystemExit(f"stories failed: {err}")
    return {item["url"].rsplit("/", 1)[-1] for story in json.loads(out) for item in story["items"]}


def _ask(fragment: str, common: tuple[str, ...]) -> list[dict[str, str]]:
    status, out, err = _cli("who-said", fragment, "--json", "--limit", "3", *common)
    if status != 0:
        raise SystemExit(f"who-said failed: {err}")
    hits: list[dict[str, str]] = json.loads(out)
    return hits


if __name__ == "__main__":
    raise SystemExit(main())
