"""Speaker names as written → canonical names, for one text (pure, no I/O).

Coverage names a speaker many ways: "Commerce Secretary Howard Lutnick", "Lutnick",
"ルットニック長官", "ハワード・ルットニック". A `SpeakerBook` is built once per text from the
storyline's entities plus the full names the text itself introduces, so that a bare surname
resolves to the person the article already named. Unknown names are kept as written, but only
when they look like names; anything doubtful resolves to None (precision before recall).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from digests.models import Entity
from digests.quotes.japanese import JA_ORGANISATION_RE, is_japanese_office
from digests.quotes.name_words import (
    LEADING,
    NOT_NAMES,
    ORG_WORDS,
    PERSON_TITLES,
    PLACE_WORDS,
    ROLE_ENDINGS,
    TITLES,
)
from digests.text import holds_japanese_script

_JA_TITLES = re.compile(
    r"(?:氏|さん|長官|大統領|副大統領|社長|会長|最高経営責任者|CEO|首相|議員|報道官|補佐官"
    r"|顧問|代表|教授|長|次官|委員長|知事|市長|大臣|創業者|幹部|担当者)+$"
)
# Kinds of entity that can speak: a topic, a place or a product named before a colon is a
# heading or a timeline line, not a speaker.
SPEAKING_KINDS = frozenset({"person", "organization", "government", "unknown"})
# `ハワード・ルットニック商務長官`: a katakana name, then a kanji qualifier of the title.
_JA_QUALIFIED_RE = re.compile(r"^(?P<name>[ァ-ヴー]+(?:[・･][ァ-ヴー]+)*)[\u3400-\u9fff々]{1,8}$")
_SPLIT_RE = re.compile(r"[\s・･=＝]+")
_STRIP_RE = re.compile(r"^[\s\"'“”‘’「」『』(),.:;—–-]+|[\s\"'“”‘’「」『』(),.:;—–-]+$")
_POSSESSIVE_RE = re.compile(r"[’']s$")
# One capitalised word, not a plural ("Democrats") and not a shouted heading.
_SURNAME_SHAPE_RE = re.compile(r"[A-Z][a-z][a-z’'\-]*(?<![^s]s)")


def key(name: str) -> str:
    """Comparison form of a name: NFKC, case-folded, single spaces, no middle dots."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(t for t in _SPLIT_RE.split(text) if t)


def _is_latin_word(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z][\w’'.\-]*", token))


def looks_like_person(tokens: Sequence[str]) -> bool:
    """2–4 capitalised Latin words, none of them a stop word or an organisation word."""
    if not 2 <= len(tokens) <= 4:
        return False
    for token in tokens:
        low = token.casefold()
        if low in NOT_NAMES or low in ORG_WORDS or low in LEADING or low in PLACE_WORDS:
            return False
        if not (token[:1].isupper() or low in {"de", "van", "von", "der", "da", "bin", "al"}):
            return False
    if tokens[-1].casefold() in ROLE_ENDINGS:
        return False
    return all(_is_latin_word(t) for t in tokens)


@dataclass(frozen=True)
class Resolved:
    """A canonical speaker name and what kind of speaker it is ("person", "organization", …)."""

    name: str
    kind: str


class SpeakerBook:
    """Resolves speaker names for one text: entities first, then names the text introduced."""

    def __init__(self, entities: Sequence[Entity], text: str) -> None:
        self.entities = tuple(entities)
        self._text = text
        self._counts: dict[str, int] = {}
        tables = _entity_tables(self.entities)
        self._alias, self._surname, self._mention_patterns = tables
        self._introduced = self._introduced_names(text)
        self._first_names = self._first_name_map(text)
        self._capitalised_midsentence = set(
            m.group(1) for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-z’'\-]+)", text)
        )

    def _first_name_map(self, text: str) -> dict[str, str]:
        """First name → full name, for people named in full in this text, when unambiguous.

        Commentary calls people it has introduced by first name ("a take by Eliezer"); a first
        name shared by two people in the text resolves to nobody.
        """
        full = set(self._introduced.values())
        full.update(e.name for e in self.entities if e.kind == "person" and e.name in text)
        found: dict[str, set[str]] = {}
        for name in full:
            parts = name.split()
            # "HUFFPOLLSTER VIA EMAIL" is a shouted heading, not somebody's full name.
            if len(parts) >= 2 and not any(len(t) > 1 and t.isupper() for t in parts):
                found.setdefault(parts[0].casefold(), set()).add(name)
        # A word that is also someone's surname here ("Trump" in "Trump Tower") is not a first name.
        surnames = self._surnames_seen | set(self._surname)
        return {k: next(iter(v)) for k, v in found.items() if len(v) == 1 and k not in surnames}

    def _introduced_names(self, text: str) -> dict[str, str]:
        """Surname → full name for 2–4-word capitalised names that appear in the text."""
        found: dict[str, set[str]] = {}
        # Up to six words, so titles in front ("Circuit Court Judge David McKeague") still
        # leave the whole name once `_strip_front` has dropped them.
        name_re = r"[A-Z][\w’'\-]+(?:\s+(?:[A-Z]\.\s+)?[A-Z][\w’'\-]+){1,5}"
        for match in re.finditer(name_re, text):
            if match.group(0).startswith("The ") or text.endswith("the ", 0, match.start()):
                # "on the Trump Train", "The Bernie Bus": a name behind an article is a thing's.
                continue
            tokens = self._strip_front(match.group(0).split())
            tokens = [_POSSESSIVE_RE.sub("", t) for t in tokens]
            if looks_like_person(tokens) and key(" ".join(tokens)) not in self._alias:
                found.setdefault(tokens[-1].casefold(), set()).add(" ".join(tokens))
        self._surnames_seen = set(found)
        return {k: next(iter(v)) for k, v in found.items() if len(v) == 1}

    @staticmethod
    def _strip_front(tokens: list[str]) -> list[str]:
        """Drop sentence openers, titles and possessives ("Party’s") in front of the name."""
        last_title = -1
        for i, token in enumerate(tokens[:-1]):
            if token.casefold() in TITLES or _POSSESSIVE_RE.search(token):
                last_title = i
        tokens = tokens[last_title + 1 :]
        while len(tokens) > 1 and tokens[0].casefold() in LEADING:
            tokens = tokens[1:]
        return tokens

    def count(self, name: str) -> int:
        """Whether a name appears verbatim 0, 1 or 2+ times (corroboration for `Name:` lines).

        Capped at two and remembered per name, so a roundup of hundreds of lines does not scan
        the whole text once per line.
        """
        if not name:
            return 0
        if name not in self._counts:
            first = self._text.find(name)
            seen = 0 if first < 0 else 1 + (self._text.find(name, first + 1) >= 0)
            self._counts[name] = seen
        return self._counts[name]

    def entity(self, name: str) -> Entity | None:
        """The entity whose name or alias this is, ignoring width, case and a leading "the"."""
        k = key(name)
        found = self._alias.get(k)
        if found is None and k.startswith("the "):
            found = self._alias.get(k[4:])
        elif found is None:
            found = self._alias.get(f"the {k}")
        return found

    def resolve(self, raw: str) -> Resolved | None:
        """Canonical speaker for a name as written, or None when it does not look like a name."""
        text = _POSSESSIVE_RE.sub("", _STRIP_RE.sub("", raw))
        if not text:
            return None
        direct = self.entity(text)
        if direct is not None:
            return Resolved(direct.name, direct.kind)
        if holds_japanese_script(text):
            return self._resolve_japanese(text)
        tokens = self._strip_front(text.split())
        if len(tokens) >= 3 and tokens[0] in ("The", "the") and tokens[-1].casefold() in ORG_WORDS:
            # "The National Rifle Association", "the State Department": a body by its name.
            tokens = tokens[1:]
        for start in range(len(tokens)):
            found = self.entity(" ".join(tokens[start:]))
            if found is not None:
                return Resolved(found.name, found.kind)
        if len(tokens) > 2 and looks_like_person(tokens[-2:]):
            # "Clark County Sheriff Joe Lombardo": a place or body in front of a person.
            tail = self._person(tokens[-2:])
            if tail is not None and not looks_like_person(tokens):
                return tail
        if not tokens or len(tokens) > 4:
            return None
        if len(tokens) == 1:
            single = self._resolve_single(tokens[0])
            if single is None and self._titled(text.split(), tokens[0]):
                # "Gov. Kasich", "Judge McKeague": a title makes a lone surname a person.
                return Resolved(tokens[0], "person")
            return single
        if looks_like_person(tokens):
            return self._person(tokens)
        if all(t[:1].isupper() for t in tokens) and tokens[0].casefold() not in NOT_NAMES:
            return Resolved(" ".join(tokens), "organization")
        return None

    @staticmethod
    def _titled(written: list[str], name: str) -> bool:
        """A person's title stands right before a capitalised surname-shaped word."""
        if len(written) < 2 or written[-1] != name or not _is_latin_word(name):
            return False
        low = name.casefold()
        if low in NOT_NAMES or low in LEADING or low in TITLES or low in ORG_WORDS:
            return False
        return name[:1].isupper() and written[-2].casefold().rstrip(".") in PERSON_TITLES

    def _person(self, tokens: list[str]) -> Resolved:
        """A full person name: the entity when first name and surname agree, else as written."""
        person = self._surname.get(tokens[-1].casefold())
        entity = self._alias.get(key(person)) if person else None
        if entity is not None and key(entity.name).split()[0] == tokens[0].casefold():
            return Resolved(entity.name, entity.kind)
        return Resolved(" ".join(tokens), "person")

    def _resolve_single(self, token: str) -> Resolved | None:
        low = token.casefold()
        if low in self._surname:
            return Resolved(self._surname[low], "person")
        if low in self._introduced:
            return Resolved(self._introduced[low], "person")
        if low in self._first_names and low not in NOT_NAMES and low not in LEADING:
            return Resolved(self._first_names[low], "person")
        if low in NOT_NAMES or low in LEADING or low in TITLES or low in ORG_WORDS:
            return None
        if not token[:1].isupper():
            return None
        # An unknown single word counts only if the text also capitalises it mid-sentence.
        if token in self._capitalised_midsentence or (token.isupper() and len(token) >= 2):
            return Resolved(token, "unknown")
        return None

    def lone_surname(self, token: str) -> Resolved | None:
        """A word the text names nobody else by, standing as the subject of "said" right after
        a quotation ("“…,” Hale said."): news writes a surname there, and a common noun in
        that place ("Officials said") is also written lower-case somewhere in the text."""
        if not _SURNAME_SHAPE_RE.fullmatch(token):
            return None
        low = token.casefold()
        if low in NOT_NAMES or low in LEADING or low in TITLES or low in ORG_WORDS:
            return None
        if low in PLACE_WORDS or re.search(rf"\b{re.escape(low)}\b", self._text):
            return None
        return Resolved(token, "person")

    def _resolve_japanese(self, text: str) -> Resolved | None:
        if JA_ORGANISATION_RE.fullmatch(text):
            return Resolved(text, "organization")  # タイドウォーター社, 国土交通省
        bare = _JA_TITLES.sub("", text).strip()
        if not bare:
            return None
        qualified = _JA_QUALIFIED_RE.match(bare) if bare != text else None
        if qualified is not None:
            # "商務" in ルットニック商務長官 belongs to the title, not to the name.
            bare = qualified.group("name")
        found = self.entity(bare)
        if found is not None:
            return Resolved(found.name, found.kind)
        parts = key(bare).split()
        if parts and parts[-1] in self._surname:
            return Resolved(self._surname[parts[-1]], "person")
        is_katakana = re.fullmatch(r"[ァ-ヴー・･]+", bare) is not None
        is_kanji_name = re.fullmatch(r"[\u3400-\u9fff々]{2,5}", bare) is not None
        titled = bare != text
        if (is_katakana and len(bare) >= 2 and (titled or "・" in bare)) or (
            is_kanji_name and titled and not is_japanese_office(text)
        ):
            return Resolved(bare, "person")
        return None

    def mentions(self, text: str) -> list[tuple[int, Resolved]]:
        """Entity names (and person surnames) mentioned in a passage, with their offsets."""
        found: list[tuple[int, Resolved]] = []
        folded = unicodedata.normalize("NFKC", text).casefold()
        if len(folded) != len(text):
            folded = text.casefold()
        for first_word, pattern, resolved in self._mention_patterns:
            if first_word in folded:  # the pattern's first word is literal: else no match
                found.extend((m.start(), resolved) for m in pattern.finditer(folded))
        return sorted(found, key=lambda pair: pair[0])


_MentionPattern = tuple[str, re.Pattern[str], Resolved]


@lru_cache(maxsize=64)
def _entity_tables(
    entities: tuple[Entity, ...],
) -> tuple[dict[str, Entity], dict[str, str], tuple[_MentionPattern, ...]]:
    """Alias → entity, unambiguous surname → person, and the patterns `mentions` runs (aliases
    first, then surnames). They depend on the storylines' entities alone, which every text of
    a run shares: built once, not once per text. Callers only read them."""
    alias: dict[str, Entity] = {}
    surnames: dict[str, set[str]] = {}
    for entity in entities:
        for name in entity.names:
            alias.setdefault(key(name), entity)
            if entity.kind == "person":
                parts = key(name).split()
                if len(parts) >= 2:
                    surnames.setdefault(parts[-1], set()).add(entity.name)
    surname = {k: next(iter(v)) for k, v in surnames.items() if len(v) == 1}
    patterns = [(name.split(" ")[0], _word_re(name), Resolved(entity.name, entity.kind))
                for name, entity in alias.items()]
    patterns += [(name.split(" ")[0], _word_re(name), Resolved(person, "person"))
                 for name, person in surname.items()]
    return alias, surname, tuple(patterns)


@lru_cache(maxsize=4096)
def _word_re(alias: str) -> re.Pattern[str]:
    """A whole-word pattern for Latin aliases; CJK aliases match anywhere."""
    escaped = re.escape(alias).replace(r"\ ", r"[\s・]+")
    if re.match(r"[\w]", alias, re.ASCII):
        return re.compile(rf"(?<![\w]){escaped}(?![\w])")
    return re.compile(escaped)
