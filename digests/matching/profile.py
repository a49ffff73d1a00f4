"""What a storyline definition says to look for, sorted into subject, angle and context.

Pure, no I/O. A storyline is usually a *subject* (products, organisations, people it is about)
seen from an *angle* (the policy or topic): "export controls on Fable 5", not every article
on Fable 5 and not every article on export controls. So every term gets a role:

- entities marked `core = true` are the backbone: topic-kind core entities are the angle,
  the others the subject. Without core flags, products and named keywords are the subject
  and topic entities and common-noun keywords the angle;
- keywords that spell an entity's name join that entity; the others are classified by how
  they are written: capitals, digits or katakana make a name (subject), lower-case words or
  kanji a topic (angle). "Fable 5" is a name, "export control" and 輸出管理 are topics;
- names ending in a version number also count in their bare form ("Fable" for "Fable 5"),
  but at half weight, because the bare word is often something else (a children's book);
- every other entity, and capitalised names in the description, are context: they
  corroborate but never carry a match alone;
- the description's remaining content words are weak angle evidence ("lifting").
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Literal

from digests.matching.similarity import STOPWORDS, features, stem
from digests.matching.terms import canonical, is_japanese_term, merge_key
from digests.models import Entity, StorylineDefinition

Role = Literal["subject", "angle", "context"]

_VERSIONED_RE = re.compile(r"^(?P<base>.*[^\W\d_].*?)[\s\-]*v?\d+(?:\.\d+)*$")
_KATAKANA_RE = re.compile(r"[\u30a1-\u30fa\u30fc]")
_CAPITALISED_RE = re.compile(r"\b[A-Z][A-Za-z0-9]*(?:[’'][sS])?\b")
_DESC_WORD_RE = re.compile(r"[A-Za-z][A-Za-z\-]+|[\u30a1-\u30fa\u30fc]{3,}|[\u3400-\u9fff]{2,}")
_POSSESSIVE_RE = re.compile(r"[’'][sS]$")
# Particles inside personal names: "Bashar al-Assad", "Osama bin Laden", "Vincent van Gogh".
_NAME_PARTICLES = frozenset(("al", "el", "bin", "ibn", "abu", "van", "von", "der", "de", "da",
                             "di", "du", "la", "le", "dos", "del"))
_NAME_SUFFIXES = (
    "市", "区", "町", "村", "県", "府", "都", "省", "庁", "局", "社", "党", "大学", "銀行",
)


@dataclass(frozen=True)
class Concept:
    """One thing to look for, under all its spellings.

    `weak_names` are derived spellings (bare names without their version) that count at half
    weight; `from_entity` decides whether reasons say `entity …` or `keyword "…"`.
    """

    label: str
    role: Role
    strong: bool
    names: tuple[str, ...]
    weak_names: tuple[str, ...] = ()
    from_entity: bool = False
    kind: str = "topic"
    weight: float = 1.0  # how specific the term is on its own (`keyword_weight`)
    exact_names: tuple[str, ...] = ()  # forms that count only with their capitals


@dataclass(frozen=True)
class StorylineTerms:
    """Everything matching looks for in one storyline, plus what it must not be mistaken for."""

    concepts: tuple[Concept, ...]
    hint_words: tuple[str, ...]  # weak angle hints: description words, parts of angle terms
    negative: tuple[str, ...]
    angle_parts: tuple[str, ...] = ()  # the hint words that are parts of main angle terms

    def known_features(self) -> set[str]:
        """Stems already covered by the definition, so learning does not count them twice."""
        known = set(self.hint_words)
        for concept in self.concepts:
            for name in (*concept.names, *concept.weak_names):
                for word in re.findall(r"[a-z0-9]+", name.lower()):
                    known.add(stem(word))
        return known

    def own_features(self) -> frozenset[str]:
        """Similarity features of every name and topic the definition lists.

        Seed similarity leaves them out: they are scored term by term already, and an article
        that shares only the names with a seed (another launch of the same model) would
        otherwise look like the storyline twice over.
        """
        own: set[str] = set()
        for concept in self.concepts:
            for name in (*concept.names, *concept.weak_names):
                own.update(features(name))
        return frozenset(own)


def looks_like_name(term: str) -> bool:
    """Capitals, digits or katakana mark a name; lower-case words and kanji mark a topic.

    Kanji names are told apart from kanji topics by the suffixes Japanese proper nouns of
    places and institutions end in (川辺市, 商務省); 輸出管理 has none.
    """
    return (
        any(c.isupper() or c.isdigit() for c in term)
        or bool(_KATAKANA_RE.search(term))
        or term.strip().endswith(_NAME_SUFFIXES)
    )


def bare_name(name: str) -> str | None:
    """"Fable 5" → "Fable"; None when the name has no trailing version number."""
    if is_japanese_term(name):
        return None
    match = _VERSIONED_RE.match(name.strip())
    if not match:
        return None
    base = match.group("base").strip()
    return base if len(base) >= 3 else None


def _entity_role(entity: Entity, any_core: bool) -> tuple[Role, bool]:
    if any_core:
        if entity.core:
            return ("angle" if entity.kind == "topic" else "subject"), True
        return ("angle", False) if entity.kind == "topic" else ("context", False)
    if entity.kind == "product":
        return "subject", True
    if entity.kind == "topic":
        return "angle", True
    return "context", False


def build_terms(definition: StorylineDefinition) -> StorylineTerms:
    """Sort the definition's entities, keywords and description into concepts."""
    any_core = any(e.core for e in definition.entities)
    concepts: list[Concept] = []
    claimed: set[str] = set()
    keywords = {merge_key(k): k for k in definition.keywords}
    for entity in definition.entities:
        names = tuple(dict.fromkeys(n.strip() for n in entity.names if n.strip()))
        claimed.update(merge_key(n) for n in names)
        role, strong = _entity_role(entity, any_core)
        concepts.append(Concept(entity.name, role, strong, names, _bare_names(names, claimed),
                                from_entity=True, kind=entity.kind))
    for key, keyword in keywords.items():
        if key in claimed:
            continue
        claimed.add(key)
        if any_core:
            # Beside declared core entities, loose keywords support, sorted by their shape.
            keyword_role: Role = "subject" if looks_like_name(keyword) else "angle"
            concepts.append(Concept(keyword, keyword_role, False, (keyword,),
                                    _bare_names((keyword,), claimed)))
            continue
        # Otherwise keywords are alternatives: any one of them can carry a match, weighed
        # by how specific it is. No category is inferred from how a keyword is written.
        names = (keyword, *_adjective_forms(keyword, claimed))
        surname = _surname(keyword, claimed)
        concepts.append(Concept(keyword, "subject", True, names,
                                _bare_names((keyword,), claimed) + surname,
                                weight=keyword_weight(keyword), exact_names=surname))
    for name in _description_names(definition.description):
        if merge_key(name) not in claimed and not _covered_by_weak(name, concepts):
            claimed.add(merge_key(name))
            concepts.append(Concept(name, "context", False, (name,), kind="description"))
    # Weights are relative to the most specific keyword the user gave: a storyline defined by
    # single names ("Libya", "Gaddafi") or only by common words ("battery recall") has nothing
    # sharper to wait for. (Lifting only all-common definitions to a name's weight instead
    # cost a third of the misses back on a plain election storyline: benchmarks/README.md.)
    top = max((c.weight for c in concepts if not c.from_entity and c.role != "context"),
              default=1.0)
    concepts = [dataclasses.replace(c, weight=min(1.0, c.weight / top)) if not c.from_entity
                and c.role != "context" else c for c in concepts]
    parts = _angle_parts(concepts)
    words = _description_words(definition.description, concepts) + parts
    return StorylineTerms(tuple(concepts), tuple(dict.fromkeys(words)),
                          tuple(definition.negative_keywords), tuple(dict.fromkeys(parts)))


def keyword_weight(term: str) -> float:
    """How much one keyword says on its own, from its shape alone.

    A name with a digit or several capitalised words ("Flight 370", "Conrad Murray") rarely
    means anything else; a single capitalised word is usually a place or a surname that other
    stories also name ("Israel", "Saleh"); lower-case words are common nouns with many uses
    ("earthquake", "export control"), and so are kanji compounds (輸出管理), while katakana
    and kanji with a proper-noun suffix are names (`looks_like_name`).
    """
    text = term.strip()
    if is_japanese_term(text):
        return 0.8 if looks_like_name(text) else 0.6
    words = re.findall(r"[^\W_]+", text)
    if any(c.isdigit() for c in text) or (len(words) > 1 and looks_like_name(text)):
        return 1.0
    if looks_like_name(text):
        return 0.8
    return 0.6 if len(words) > 1 else 0.5


def _adjective_forms(name: str, claimed: set[str]) -> tuple[str, ...]:
    """"Libya" → "Libyan", "Yemen" → "Yemeni", "Ukraine" → "Ukrainian".

    English makes adjectives and demonyms of place names with a handful of endings; an item
    about Libya says "Libyan rebels" as often as "Libya". Only for a single capitalised word of
    four letters or more, whose weight (`keyword_weight`) already asks for corroboration.
    """
    text = name.strip()
    if not re.fullmatch(r"[A-Z][a-z]{3,}", text):
        return ()
    stem_ = text[:-1] if text[-1] in "aeiouy" else text
    people = {text + "n", text + "i", text + "an", text + "ian", stem_ + "ian"}
    # "Syrians", "Yemenis": the people, as often as the adjective.
    forms = people | {f + "s" for f in people} | {stem_ + "ese", stem_ + "ish"}
    return tuple(sorted(f for f in forms if merge_key(f) not in claimed))


def _surname(name: str, claimed: set[str]) -> tuple[str, ...]:
    """"Conrad Murray" → "Murray", "Bashar al-Assad" → "Assad": at half weight, and only with
    its capital.

    News names a person in full once, then by surname ("Dr. Murray said"). A keyword of two
    to four capitalised words, with the particles of names between them (al-, bin, van, de),
    may be a person; its last word alone is weak evidence, and written in lower case it is an
    ordinary word ("street" of "Wall Street").
    """
    words = re.split(r"[ \-]", name.strip())
    capitalised = [w for w in words if re.fullmatch(r"[A-Z][a-z]+", w)]
    if not 2 <= len(capitalised) <= 4 or len(capitalised) + sum(
        w.lower() in _NAME_PARTICLES for w in words
    ) != len(words) or words[-1] != capitalised[-1]:
        return ()
    last = words[-1]
    return (last,) if len(last) >= 4 and merge_key(last) not in claimed else ()


def _bare_names(names: tuple[str, ...], claimed: set[str]) -> tuple[str, ...]:
    bare = []
    for name in names:
        base = bare_name(name)
        if base and merge_key(base) not in claimed:
            bare.append(base)
    return tuple(dict.fromkeys(bare))


def _covered_by_weak(name: str, concepts: list[Concept]) -> bool:
    key = canonical(name)
    return any(key in {canonical(w) for w in c.weak_names} for c in concepts)


def _description_names(description: str) -> list[str]:
    """Capitalised words of the description that are not sentence openers or dates."""
    names = []
    for match in _CAPITALISED_RE.finditer(description):
        word = _POSSESSIVE_RE.sub("", match.group())
        if word.lower() in STOPWORDS or len(word) < 2:
            continue
        names.append(word)
    for match in re.finditer(r"[\u30a1-\u30fa\u30fc][\u30a1-\u30fa\u30fc・]{2,}", description):
        names.append(match.group())
    return list(dict.fromkeys(names))


def _angle_parts(concepts: list[Concept]) -> tuple[str, ...]:
    """Parts of the main angle terms: "export", "control"; 輸出, 管理 (weak hints).

    Coverage often breaks a topic phrase up ("lifted the controls on exports", 輸出規制 for
    輸出管理); the parts are weak evidence that the angle is there.
    """
    parts: list[str] = []
    for concept in concepts:
        if concept.role != "angle" or not concept.strong:
            continue
        for name in concept.names:
            if is_japanese_term(name):
                kanji = re.fullmatch(r"[\u3400-\u9fff]{4}", name.strip())
                if kanji:
                    parts += [name[:2], name[2:]]
                continue
            words = re.findall(r"[a-z]+", name.lower())
            if len(words) > 1:
                parts += [stem(w) for w in words if len(w) >= 4 and w not in STOPWORDS]
    return tuple(parts)


def _description_words(description: str, concepts: list[Concept]) -> tuple[str, ...]:
    """Lower-case content words of the description (stemmed) not already part of a concept."""
    covered: set[str] = set()
    for concept in concepts:
        for name in (*concept.names, *concept.weak_names):
            covered.update(stem(w) for w in re.findall(r"[a-z0-9]+", name.lower()))
    words = []
    for match in _DESC_WORD_RE.finditer(description):
        word = match.group()
        if word[0].isupper() or (looks_like_name(word) and not is_japanese_term(word)):
            continue
        if is_japanese_term(word):
            words.append(word)
            continue
        lowered = word.lower()
        if lowered in STOPWORDS or len(lowered) < 4 or stem(lowered) in covered:
            continue
        words.append(stem(lowered))
    return tuple(dict.fromkeys(words))
