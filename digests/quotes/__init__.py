"""Quotations and who said them: extraction with speaker attribution, and who-said lookup.

Pure logic (no network, disk or clock): the pipeline hands in an item's text and the
storyline's entities; the store pre-selects candidates for "who said …" and this package keeps
the ones that hold the fragment.
"""

from digests.quotes.extraction import extract_quotes
from digests.quotes.fragments import best_containing
from digests.quotes.similarity import quote_similarity

__all__ = ["best_containing", "extract_quotes", "quote_similarity"]
