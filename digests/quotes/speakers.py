"""A speaker as written → the canonical speaker, or None (pure).

The clause patterns (`english.py`, `japanese.py`) return whatever stands where a speaker
stands; this decides who that is: a pronoun or 同氏 through the sentences before (`context`),
a role through the name the text gives it (`roles`), "the company" or 同社 through the
organisation the passage names, anything else through the name book (`names`). Topics, places
and products never speak (a product only with an explicit verb).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digests.quotes import english, japanese, roles
from digests.quotes.context import resolve_nominal, resolve_pronoun
from digests.quotes.names import SPEAKING_KINDS, Resolved, SpeakerBook

_PRONOUN_RE = re.compile(r"^(?:he|she)$", re.IGNORECASE)
_NOMINAL_RE = re.compile(rf"^{english.NOMINAL}$")


def resolve_japanese(
    chunk: str,
    paragraph: str,
    earlier: Sequence[str],
    previous: str,
    head: str,
    book: SpeakerBook,
    products: bool = False,
) -> Resolved | None:
    """A Japanese speaker chunk (ルットニック長官, 同氏, 同社, 商務長官) → canonical; an unknown
    kind is not enough for Japanese, which has no capitals to vouch for a name."""
    if japanese.is_same_person(chunk):
        return resolve_pronoun(previous, head, book)
    if japanese.is_same_company(chunk):
        return resolve_nominal(chunk, paragraph, earlier, book)
    if japanese.is_japanese_office(chunk):
        person = roles.resolve_japanese_office(chunk, [paragraph, *reversed(earlier)], book)
        if person is not None:
            return Resolved(person, "person")
    resolved = can_speak(book.resolve(chunk), products)
    return resolved if resolved is not None and resolved.kind != "unknown" else None


def can_speak(resolved: Resolved | None, products: bool = False) -> Resolved | None:
    """Topics and places never speak; a product (a chatbot) only with an explicit verb."""
    if resolved is None or resolved.kind in SPEAKING_KINDS:
        return resolved
    return resolved if products and resolved.kind == "product" else None


def resolve_speaker(
    raw: str,
    paragraph: str,
    earlier: Sequence[str],
    previous: str,
    head: str,
    book: SpeakerBook,
    products: bool = False,
) -> Resolved | None:
    """A speaker as written → canonical, through pronoun, role and "the company" rules."""
    raw = raw.strip().replace("_", ".")  # masking hid the dots of "Gov." and "U.S."
    if _PRONOUN_RE.match(raw):
        return resolve_pronoun(previous, head, book)
    if roles.is_role(raw) and book.entity(raw) is None:
        person = roles.resolve_role(raw, [paragraph, *reversed(earlier)], book)
        return Resolved(person, "person") if person else None
    if _NOMINAL_RE.match(raw) and book.entity(raw) is None:
        return can_speak(resolve_nominal(raw, paragraph, earlier, book))
    return can_speak(book.resolve(raw), products)
