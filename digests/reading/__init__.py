"""The read side: one API over the store that the CLI, the digest builder and the bot share.

It decides what people see — which item speaks for a story (leads and stand-ins), timelines
merged across items and kept per store generation (stored, and remembered per process),
quotes ranked for "who said" and read through their story's lead, people named as the
storyline names them — using the pure engine stages (`timeline`, `quotes`) over rows the
store's tables hold. `digests.store` stays below it: the store never imports this package.
"""

from digests.reading.lookups import Lookups

__all__ = ["Lookups"]
