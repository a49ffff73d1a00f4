"""An item's fingerprint: everything near-duplicate detection needs, computed once (pure).

The fingerprint is what the pipeline stores (`band_keys` go into the SQLite `item_bands`
table) and what `same_story` compares; it never needs the item's text again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from digests.stories.cleaning import clean_body
from digests.stories.features import (
    ORDER_MARK,
    name_features,
    name_sequence,
    shingle_hashes,
    stable_hash,
)
from digests.stories.minhash import NAME_BANDS, NAME_ROWS, TEXT_BANDS, TEXT_ROWS, band_keys

# The most-mentioned names are the storyline's own subject ("Anthropic", "Fable"), shared by
# every article on it; leaving them out of the name keys keeps spun-copy candidates to items
# that share the *incidental* names too.
_SUBJECT_NAMES = 3
_MIN_KEY_NAMES = 4  # fewer names than this is no evidence of a copy: no name keys
_MIN_BODY_WORDS = 8  # a body shorter than this (a title-only entry) is shingled with its title


@dataclass(frozen=True)
class Fingerprint:
    """What an item looks like to the duplicate detector.

    `band_keys` holds 30 text band keys (`t<band>:…`) and up to 8 name band keys (`n<band>:…`);
    `names` holds single names and ordered neighbour pairs `a→b` (see `features`).
    """

    band_keys: tuple[str, ...]
    shingles: frozenset[int]
    names: frozenset[str]
    length: int

    # Clustering compares one new print with dozens of stored ones, each kept for the run:
    # splitting names from ordered pairs once per print, not once per comparison, saves
    # about a millisecond per item.
    @property
    def size(self) -> int:
        return len(self.shingles)

    @cached_property
    def single_names(self) -> frozenset[str]:
        return self.names - self.name_pairs

    @cached_property
    def name_pairs(self) -> frozenset[str]:
        return frozenset(name for name in self.names if ORDER_MARK in name)


def _key_names(sequence: list[str]) -> list[str]:
    counts = Counter(sequence)
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    rare = ranked[_SUBJECT_NAMES:]
    return rare if len(rare) >= 2 * _MIN_KEY_NAMES else ranked


def fingerprint(title: str, text: str) -> Fingerprint:
    """Fingerprint an item from its title and body (HTML or plain text, EN and/or JA)."""
    body = clean_body(text, title=title)
    shingled = body if len(body.split()) >= _MIN_BODY_WORDS else f"{title}\n{body}"
    hashes = shingle_hashes(shingled)
    hashed = frozenset(hashes.tolist())
    sequence = name_sequence(title, body)
    key_names = _key_names(sequence)
    keys = band_keys(hashes, label="t", bands=TEXT_BANDS, rows=TEXT_ROWS)
    if len(key_names) >= _MIN_KEY_NAMES:
        name_hashes = (stable_hash(name) for name in key_names)
        keys += band_keys(name_hashes, label="n", bands=NAME_BANDS, rows=NAME_ROWS)
    return Fingerprint(
        band_keys=keys, shingles=hashed, names=name_features(sequence), length=len(body)
    )
