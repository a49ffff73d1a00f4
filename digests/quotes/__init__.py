"""Quotations and who said them: extraction with speaker attribution, and fuzzy lookup.

Pure logic (no network, disk or clock): the pipeline hands in an item's text and the
storyline's entities; the store pre-selects candidates for "who said …" and this package ranks
them.
"""

from digests.quotes.extraction import extract_quotes
from digests.quotes.similarity import quote_similarity, rank_quotes

__all__ = ["extract_quotes", "quote_similarity", "rank_quotes"]
