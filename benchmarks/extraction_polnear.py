"""Main-text extraction on real news prose: PolNeAR articles (read at run time, never copied)
set in a page with our own site chrome (navigation, cookie banner, related links, reader
comments, footer), extracted by trafilatura and by the project's `html_to_text`.

Prints, for each: the share of the article's paragraphs kept word for word, the share of
pages that leaked any chrome, and pages per second. Asserts nothing.

    .venv/bin/python benchmarks/extraction_polnear.py [CORPUS_DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digests.fulltext.extraction import extract_page  # noqa: E402
from digests.text import html_to_text  # noqa: E402
from tests.support.article_pages import article_page  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "polnear-train"
CHROME = ("Subscribe today", "We use cookies", "Related stories", "Ferry operators",
          "reader42 wrote", "All rights reserved")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score(name: str, extract: Callable[[str], str],
          pages: list[tuple[str, list[str]]]) -> None:
    kept = total = leaked = 0
    start = time.perf_counter()
    outputs = [extract(markup) for markup, _ in pages]
    spent = time.perf_counter() - start
    for output, (_, paragraphs) in zip(outputs, pages, strict=True):
        flat = squash(output)
        kept += sum(squash(p) in flat for p in paragraphs)
        total += len(paragraphs)
        leaked += any(marker in output for marker in CHROME)
    print(f"{name:13} paragraphs kept {kept / total:6.1%} ({kept}/{total}) · pages leaking "
          f"chrome {leaked / len(pages):6.1%} · {len(pages) / spent:6.0f} pages/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    files = sorted((args.corpus / "text").glob("*.txt"))[: args.limit]
    if not files:
        sys.exit(f"no articles under {args.corpus / 'text'} (see its README)")
    pages = []
    for path in files:
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        title, paragraphs = lines[0], [ln for ln in lines[1:] if ln]
        pages.append((article_page(title, paragraphs), paragraphs))
    print(f"{len(pages)} PolNeAR articles set in a page with site chrome")
    extract_page(pages[0][0])  # import cost apart
    score("trafilatura", lambda markup: extract_page(markup).text, pages)
    score("html_to_text", html_to_text, pages)


if __name__ == "__main__":
    main()
