"""Speaker attribution of `extract_quotes` measured on PolNeAR (real US political news prose).

Usage: .venv/bin/python benchmarks/quotes_polnear.py [CORPUS_DIR] [--errors N]

CORPUS_DIR defaults to ../shared/corpora/polnear-train beside the repository. The corpus text
is read at run time and never copied into the project.

What counts (following the corpus README):
- A *relation* is evaluable when its Content span holds a quotation mark (a direct or mixed
  quote) and its Source span names someone: it has a capitalised word that is not a pronoun or
  determiner ("He", "The"). Pronoun sources cannot be checked without coreference, so they are
  left out of both figures.
- An extracted quote *matches* a relation when its text (marks, case, punctuation and spaces
  ignored) lies inside the Content span, or its first 40 characters do (for quotes we joined
  across an interruption). When several Contents hold it (a nested attribution: "the Times
  reported that Trump said “…”"), the shortest whose Source agrees with the speaker wins, else
  the shortest.
- A speaker is *right* when its last word (a surname, or the last word of an organisation's
  name) appears as a word in the Source span, a Source ending on a possessive ("Bolton’s"
  in "in Bolton’s view") counting as the name; entities are empty, so no alias help.
- precision = right / extracted quotes with a speaker that match an evaluable relation;
  recall = evaluable relations with at least one matching quote whose speaker is right.
  The *strict* recall lets each listed quote recall at most one relation. Extraction lists
  each quotation once, so the (current) recall also lets a right quote recall the other
  relations whose Content holds that same quotation whole (not a word inside a longer one) and whose
  Source agrees with its speaker (the same words said by the same person twice, or repeated
  by the article).
  A second recall leaves out relations whose quotations are all under four words: those
  `extract_quotes` lists only when a clause names their speaker ("X called it “a disaster”").
- The recall is then split by length, by form (the Content is only the quotation, or the
  quotation sits inside reported speech), by Source (it gives a name, or only a description
  such as "a senior Cruz adviser", which extraction leaves unattributed by design) and by
  where the Source is (the Content's paragraph or another one).
One annotation file per article is used (the first by name) where an article has two.

After the corpus, synthetic pathological inputs are timed at two sizes (a flattened article
of many quotes, a long capitalised run, unclosed marks, colon intros without a medium, a
roundup of thousands of `Name: text` lines): doubling the size should roughly double the time,
so a figure that quadruples points at quadratic work. `--synthetic-only` skips the corpus.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from digests.quotes import extract_quotes
from digests.quotes.spans import clean_quote, find_spans, is_substantial

_DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "polnear-train"
_QUOTE_MARKS = "“”\"«»"
_NOT_NAMES = {"He", "She", "They", "It", "I", "We", "You", "The", "A", "An", "His", "Her",
              "Their", "Its", "This", "That", "These", "Those", "Who", "One", "Some", "Many"}


@dataclass(frozen=True)
class Relation:
    content: str
    source: str
    # Where the attribution sits, for the recall split: the Source in the Content's paragraph.
    near: bool = True


# A capitalised run used as a modifier ("a Democratic strategist", "the Trump campaign")
# describes someone; a run that ends the phrase or a clause ("Tom Fitton", "CNN") names them.
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*)*")
_DESCRIBERS = {"another", "one", "some", "leaders", "members", "officials", "aides"}


def names_someone(source: str) -> bool:
    """The Source span gives a name, not only a description with a capitalised adjective."""
    for match in _CAPITALISED_RUN.finditer(source):
        words = [w for w in match.group(0).split() if w.casefold() not in _DESCRIBERS]
        if not words or words == ["The"]:
            continue
        after = source[match.end():].lstrip()
        if not after[:1].islower() or after.startswith(("who ", "of ", "and ")):
            return True
    return False


def is_whole_quote(content: str) -> bool:
    """The Content is only quoted words; otherwise the quotation sits in reported speech."""
    return bool(re.fullmatch(r"\W*[“\"‘'].*[”\"’'“]\W*", content, re.DOTALL))


def _offsets(field: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", field.split(" ", 1)[1])] if " " in field else []
    return (min(numbers), max(numbers)) if numbers else (-1, -1)


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def read_relations(ann: Path, text: str = "") -> list[Relation]:
    """Relations whose Content quotes someone and whose Source names someone (with `text`,
    the article, each relation also says whether its Source is in the Content's paragraph)."""
    spans: dict[str, str] = {}
    offsets: dict[str, tuple[int, int]] = {}
    events: list[dict[str, str]] = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            spans[parts[0]] = parts[2]
            offsets[parts[0]] = _offsets(parts[1])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    relations = []
    for event in events:
        content = spans.get(event.get("Content", ""), "")
        source = spans.get(event.get("Source", ""), "")
        if not any(mark in content for mark in _QUOTE_MARKS) or not source:
            continue
        names = [w for w in re.findall(r"[A-Z][\w’'\-]+", source) if w not in _NOT_NAMES]
        if names:
            near = True
            if text:
                (c_start, c_end), (s_start, s_end) = (offsets[event["Content"]],
                                                      offsets[event["Source"]])
                low, high = min(c_start, s_start), max(c_end, s_end)
                near = "\n" not in text[low:high]
            relations.append(Relation(content, source, near))
    return relations


def speaker_right(speaker: str, source: str) -> bool:
    last = speaker.split()[-1].casefold()
    words = re.findall(r"[\w’'\-]+", source.casefold())
    # A Source that ends on a possessive ("Bolton’s" in "in Bolton’s view") names that
    # person; one inside a description ("Trump’s running mate") does not.
    if words:
        words[-1] = re.sub(r"[’']s?$", "", words[-1])
    return last in words


def _synthetic(n: int) -> dict[str, str]:
    """Inputs that have made extractors slow: long runs, unclosed marks, many lines."""
    return {
        "flattened article of quotes": " ".join(
            f"Person{i} Name said “this is quote number {i} and it is long enough,” and The "
            f"Long Capitalised Run Of Words went on in an essay on X: Something happened."
            for i in range(n)
        ),
        "capitalised run then colon": " ".join(["Alpha Beta Gamma Delta"] * (12 * n))
        + ": text follows here.",
        "unclosed quotation marks": "“ ‘ " * (10 * n) + "Sacks said “done here now ok",
        "colon intros, no medium": " ".join(
            f"Nadella set out a long view of many things in a long essay on his blog{i}"
            for i in range(3 * n)
        ),
        "roundup of name lines": "\n".join(
            f"Jordan Blake{i % 3}: The bypass is an ordinary prompt number {i}."
            for i in range(8 * n)
        ),
    }


def run_synthetic() -> None:
    """Best of three timings per input, at two sizes."""
    print("synthetic inputs (best of 3):")
    for n in (200, 400):
        for name, text in _synthetic(n).items():
            best = min(_timed(text) for _ in range(3))
            print(f"  n={n:<4} {name:28} {len(text) / 1000:6.0f} kchars {best * 1000:7.0f} ms")


def _timed(text: str) -> float:
    started = time.perf_counter()
    extract_quotes(text)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=_DEFAULT)
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong speakers")
    parser.add_argument("--synthetic-only", action="store_true", help="skip the corpus")
    args = parser.parse_args()
    if args.synthetic_only:
        run_synthetic()
        return 0
    text_dir, ann_dir = args.corpus / "text", args.corpus / "attributions"
    if not text_dir.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    relations_total = recalled = strict_recalled = attributed = right = extracted = 0
    substantial_total = substantial_recalled = 0
    # (group, value) → [relations, recalled], for the split printed under the figures.
    split: dict[tuple[str, str], list[int]] = {}
    errors: list[str] = []
    started = time.perf_counter()
    chars = 0
    for stem, ann in sorted(chosen.items()):
        text_path = text_dir / f"{stem}.txt"
        if not text_path.is_file():
            continue
        text = text_path.read_text(encoding="utf-8")
        chars += len(text)
        relations = read_relations(ann, text)
        keys = [_key(r.content) for r in relations]
        quoted = [{_key(s.text) for s in find_spans(r.content)} for r in relations]
        quotes = extract_quotes(text)
        extracted += len(quotes)
        hit = [False] * len(relations)
        strict_hit = [False] * len(relations)
        for quote in quotes:
            qkey = _key(quote.quote)
            holders = [i for i, k in enumerate(keys) if qkey in k or qkey[:40] in k]
            if not holders or quote.speaker is None:
                continue
            # Nested attributions ("the Times reported that Trump said “…”") put one quote in
            # two relations; the speaker is right when it is either source.
            agreeing = [i for i in holders if speaker_right(quote.speaker, relations[i].source)]
            best = min(agreeing or holders, key=lambda i: len(keys[i]))
            attributed += 1
            if agreeing:
                right += 1
                hit[best] = strict_hit[best] = True
                # The output lists each quotation once: the same quotation (whole, not a
                # word inside a longer one) attributed to the same source in another place
                # of the article is recalled by it too.
                for i in agreeing:
                    hit[i] = hit[i] or qkey in quoted[i]
            elif len(errors) < args.errors:
                errors.append(f"{stem}: {quote.speaker!r} [{quote.style}] vs source "
                              f"{relations[best].source!r}")
        relations_total += len(relations)
        recalled += sum(hit)
        strict_recalled += sum(strict_hit)
        for relation, was_hit in zip(relations, hit, strict=True):
            spans = find_spans(relation.content)
            long_enough = any(is_substantial(clean_quote(s.text)) for s in spans)
            if long_enough:
                substantial_total += 1
                substantial_recalled += was_hit
            for group in (
                ("length", "4+ words" if long_enough else "1-3 words only"),
                ("form", "whole quote" if is_whole_quote(relation.content)
                 else "partial, in reported speech"),
                ("source", "a name" if names_someone(relation.source)
                 else "a description only"),
                ("source is", "in the same paragraph" if relation.near
                 else "in another paragraph"),
            ):
                counts = split.setdefault(group, [0, 0])
                counts[0] += 1
                counts[1] += was_hit
    elapsed = time.perf_counter() - started
    precision = right / attributed if attributed else 0.0
    recall = recalled / relations_total if relations_total else 0.0
    strict = strict_recalled / relations_total if relations_total else 0.0
    print(f"articles {len(chosen)}  quotes extracted {extracted}  evaluable relations "
          f"{relations_total}")
    print(f"attributed & matched {attributed}  right {right}  relations recalled {recalled} "
          f"(strict {strict_recalled})")
    substantial = substantial_recalled / substantial_total if substantial_total else 0.0
    print(f"precision {precision:.3f}  recall {recall:.3f}  strict recall {strict:.3f}  "
          f"({chars / 1000 / elapsed:.0f} kchars/s)")
    print(f"recall over the {substantial_total} relations with a quote of 4+ words: "
          f"{substantial:.3f}")
    for label, figure in (("strict recall (one relation per listed quote)", strict),
                          ("recall (a quote also recalls its repeats)", recall),
                          ("recall of 4+ word quotes", substantial)):
        met = "met" if figure >= 0.80 and precision >= 0.95 else "MISSED"
        print(f"target {label} >= 0.80 at precision >= 0.95: {met}")
    print("recall split (relations recalled / evaluable):")
    for (part, kind), (total, hits) in sorted(split.items()):
        print(f"  {part:10} {kind:30} {hits:5} / {total:5}  {hits / total:.3f}")
    for line in errors:
        print("  wrong:", line)
    run_synthetic()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
