"""A story fingerprint as the store keeps it: columns of text and bytes, meaning left to `stories`.

The store reads and writes these without knowing what a shingle or a band key is;
`stories.encoding` turns a `Fingerprint` into one and back. So the store imports no engine
stage (the `store-persistence-only` contract).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EncodedFingerprint:
    """`band_keys` and `names` are JSON text, `shingles` little-endian 64-bit hashes.

    `band_keys` is None when the row was read only to compare prints, which needs none."""

    shingles: bytes
    names: str
    length: int
    band_keys: str | None = None
