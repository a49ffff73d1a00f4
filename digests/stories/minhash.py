"""MinHash-LSH band keys: the indexed lookup that finds duplicate candidates (pure).

Two items share a band key when `rows` consecutive MinHash values agree, which happens with
probability J**rows for Jaccard similarity J; with `bands` bands a pair becomes a candidate with
probability 1 - (1 - J**rows)**bands. MinHash estimates *Jaccard*, not containment: an article
of n shingles inside a page with n more shingles of wrapper has containment 1.0 but Jaccard 0.5,
and a bilingual page halves it again. So the text bands use rows=2, bands=30, which makes a
pair at J=0.35 a candidate 98% of the time and one at J=0.5 almost always, while unrelated
pairs (J < 0.03) meet in under 3% of lookups — and `same_story` confirms every candidate with
containment anyway.

The hashing is our own (blake2b-derived seeds, the MurmurHash3 64-bit finaliser) rather than
`datasketch.MinHash`, because band keys are stored in SQLite and must not change when a
library changes its default permutation scheme (datasketch 2.0 did: legacy → affine32).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache

import numpy as np
import numpy.typing as npt

from digests.stories.features import stable_hash

TEXT_BANDS, TEXT_ROWS = 30, 2
NAME_BANDS, NAME_ROWS = 8, 3

_U64 = np.uint64
_MASK = (1 << 64) - 1
Signature = npt.NDArray[np.uint64]


@cache
def _seeds(label: str, count: int) -> Signature:
    return np.array([stable_hash(f"{label}:{index}") for index in range(count)], dtype=_U64)


def _mix(values: Signature) -> Signature:
    """MurmurHash3's 64-bit finaliser: a bijection spreading every input bit (mod 2**64).

    In place (`values` is the caller's scratch matrix): an article's shingles times 60 seeds
    is a matrix of tens of thousands of values, and a new one per step cost more than the
    arithmetic."""
    shifted = values >> _U64(33)
    values ^= shifted
    values *= _U64(0xFF51AFD7ED558CCD)
    np.right_shift(values, _U64(33), out=shifted)
    values ^= shifted
    values *= _U64(0xC4CEB9FE1A85EC53)
    np.right_shift(values, _U64(33), out=shifted)
    values ^= shifted
    return values


def signature(hashes: Iterable[int] | Signature, label: str, count: int) -> Signature | None:
    """`count` MinHash values of a set of 64-bit hashes (an array may repeat values: minima do
    not change); None for an empty set."""
    if isinstance(hashes, np.ndarray):
        values = hashes.astype(_U64, copy=False)
    else:
        values = np.fromiter((value & _MASK for value in hashes), dtype=_U64)
    if values.size == 0:
        return None
    # One row per seed, so each minimum is taken along contiguous memory.
    permuted = _mix(_seeds(label, count)[:, None] ^ values[None, :])
    minima: Signature = permuted.min(axis=1)
    return minima


def band_keys(
    hashes: Iterable[int] | Signature, *, label: str, bands: int, rows: int
) -> tuple[str, ...]:
    """One key per band, `"<label><band>:<digest>"`; no keys for an empty set."""
    values = signature(hashes, label, bands * rows)
    if values is None:
        return ()
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].astype("<u8").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).hexdigest()
        keys.append(f"{label}{band}:{digest}")
    return tuple(keys)
