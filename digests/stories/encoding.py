"""A fingerprint as SQLite columns and back (pure).

Clustering compares a new item with up to 50 stored candidates; re-deriving each candidate's
fingerprint from its text cost ~4 ms apiece and dominated the engine. Storing it once, when the
item is clustered, turns every later comparison into a row read.
"""

from __future__ import annotations

import json

import numpy as np

from digests.models.fingerprints import EncodedFingerprint
from digests.stories.features import ORDER_MARK
from digests.stories.fingerprint import Fingerprint
from digests.stories.stored import StoredPrint

_SHINGLE_TYPE = "<u8"  # shingles are 64-bit hashes; little-endian so files move across hosts


def encode(fp: Fingerprint) -> EncodedFingerprint:
    """Band keys, shingles, names and length, each sorted so equal prints store equal rows."""
    ordered = np.fromiter(fp.shingles, dtype=np.uint64, count=len(fp.shingles))
    ordered.sort()  # numpy's sort of 64-bit integers: the order `sorted` gives, in C
    shingles = ordered.astype(_SHINGLE_TYPE).tobytes()
    names = json.dumps(sorted(fp.names), ensure_ascii=False)
    return EncodedFingerprint(shingles=shingles, names=names, length=fp.length,
                              band_keys=json.dumps(list(fp.band_keys)))


def decode(encoded: EncodedFingerprint) -> Fingerprint:
    """The fingerprint `encode` stored; band keys keep their order (it is part of equality)."""
    if encoded.band_keys is None:
        raise ValueError("a fingerprint read for comparison has no band keys to decode")
    return Fingerprint(
        band_keys=tuple(json.loads(encoded.band_keys)),
        shingles=frozenset(np.frombuffer(encoded.shingles, dtype=_SHINGLE_TYPE).tolist()),
        names=frozenset(json.loads(encoded.names)),
        length=int(encoded.length),
    )


def decode_for_comparison(encoded: EncodedFingerprint) -> StoredPrint:
    """What comparing needs of a stored fingerprint: the shingle bytes as they are (stored
    sorted), the names split once; no Python set of shingles is built."""
    all_names = frozenset(json.loads(encoded.names))
    pairs = frozenset(name for name in all_names if ORDER_MARK in name)
    return StoredPrint(
        shingles=np.frombuffer(encoded.shingles, dtype=_SHINGLE_TYPE).astype(
            np.uint64, copy=False),
        single_names=all_names - pairs,
        name_pairs=pairs,
        length=int(encoded.length),
    )
