"""Feed documents and article files → our `ParsedFeed` / `ParsedEntry` (pure, no I/O).

`feed_adapter` is the only module in the engine that imports feedparser.
"""

from digests.feeds.articles import parse_article
from digests.feeds.feed_adapter import parse_feed

__all__ = ["parse_article", "parse_feed"]
