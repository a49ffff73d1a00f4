"""Stable identities for items, so the same article ingested twice is stored once.

Pure functions. Order of preference: the feed's guid, else the canonical URL (tracking
parameters and fragments stripped), else a hash of the normalised content. Two entries whose
guids differ, or whose links differ, are never the same item: many feeds number their guids
("1", "post-12"), so a guid already stored with another link gets an id qualified by the link
(`qualified_item_id`), and the content hash identifies only entries with neither guid nor link
(two podcast episodes may share a title and a boilerplate description).
"""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "vero_", "oly_")
_TRACKING_KEYS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "ref", "ref_src", "cmpid",
     "_hsenc", "_hsmi", "mkt_tok", "sr_share", "spm", "ncid", "ocid", "src", "cid"}
)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (scheme == "http" and parts.port == 80) or (scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS
    ]
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def normalise_for_hash(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: cosmetic re-encodings hash the same."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(title: str, text: str) -> str:
    digest = hashlib.sha256()
    digest.update(normalise_for_hash(title).encode())
    digest.update(b"\x00")
    digest.update(normalise_for_hash(text).encode())
    return digest.hexdigest()


def _short(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def clean_guid(guid: str | None) -> str | None:
    """The guid as compared: stripped, a URL canonicalised like a link; None when blank."""
    if not guid or not guid.strip():
        return None
    value = guid.strip()
    return canonical_url(value) if value.startswith(("http://", "https://")) else value


def links_differ(a: str | None, b: str | None) -> bool:
    """Both entries have a link and they are not the same page (links given canonical)."""
    return a is not None and b is not None and a != b


def qualified_item_id(guid: str, url: str) -> str:
    """The id of an entry whose guid is already stored for another link: guid and link."""
    return "g" + _short(f"{clean_guid(guid)}\x00{canonical_url(url)}")


def item_id(guid: str | None, url: str | None, title: str, text: str) -> str:
    """The primary identity; a guid that is itself a URL is canonicalised like a link."""
    value = clean_guid(guid)
    if value is not None:
        return "g" + _short(value)
    if url and url.strip():
        return "u" + _short(canonical_url(url))
    return "h" + content_hash(title, text)[:24]
