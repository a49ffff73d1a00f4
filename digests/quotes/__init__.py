"""Quotations and who said them: extraction with speaker attribution, and who-said lookup.

Pure logic (no network, disk or clock): the pipeline hands in an item's text and the
storyline's entities; the store pre-selects candidates for "who said …" and this package keeps
the ones that hold the fragment.
"""

from typing import TYPE_CHECKING, Any

from digests.quotes.fragments import best_containing
from digests.quotes.similarity import quote_similarity

if TYPE_CHECKING:
    from digests.quotes.extraction import extract_quotes


def __getattr__(name: str) -> Any:
    """Extraction compiles its attribution patterns on import (a third of a second), which a
    `who-said` lookup never uses: it is imported on first use (issue 14)."""
    if name == "extract_quotes":
        from digests.quotes.extraction import extract_quotes

        return extract_quotes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["best_containing", "extract_quotes", "quote_similarity"]
