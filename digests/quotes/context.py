"""Who "he", "同氏" and "the company" are, from the sentences around a quotation (pure).

Stand-in speakers resolve only when the surrounding text leaves one candidate: a pronoun needs
exactly one person in the previous sentence (and the clause before the quotation), "the company"
needs exactly one organisation entity in the paragraph, or in the nearest earlier paragraph that
names any. Anything else stays unattributed: a wrong speaker is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from digests.quotes import english
from digests.quotes.japanese import JA_ORGANISATION_RE
from digests.quotes.names import Resolved, SpeakerBook

_NAME_RUN_RE = re.compile(english.NAME)
_KATAKANA_NAME_RE = re.compile(
    r"[ァ-ヴー]+(?:[・･][ァ-ヴー]+)*(?:氏|さん|長官|大統領|社長|CEO|首相|議員|報道官|補佐官)?"
)
# 田中健氏 / 佐藤花子議員: a kanji name is a name only with the title after it.
_KANJI_NAME_RE = re.compile(
    r"[\u3400-\u9fff々]{2,5}(?:氏|さん|議員|社長|会長|長官|首相|大統領|知事|市長|教授|代表)"
)
_ORG_NOUNS = ("company", "firm", "startup", "lab", "corporate", "organization", "organisation",
              "group", "同社")
_GOVERNMENT_NOUNS = ("department", "agency", "ministry", "同省", "同庁")
_SPOKES_RE = re.compile(r"spokes(?:person|man|woman)|representative", re.IGNORECASE)


def people_in(passage: str, book: SpeakerBook) -> set[str]:
    """Distinct people a passage names: person entities, introduced or person-shaped names."""
    people = {r.name for _, r in book.mentions(passage) if r.kind == "person"}
    runs = [m.group(0) for m in _NAME_RUN_RE.finditer(passage)]
    if re.search(r"[ァ-ヴ]", passage):
        runs += [m.group(0) for m in _KATAKANA_NAME_RE.finditer(passage)]
    runs += [m.group(0) for m in _KANJI_NAME_RE.finditer(passage)]
    for run in runs:
        resolved = book.resolve(run)
        if resolved is not None and resolved.kind == "person":
            people.add(resolved.name)
    return people


_POSSESSIVE_END_RE = re.compile(r"[’']s?$")
# "in New York", "at the Grand Hotel": the article may stand between.
_PLACE_BEFORE_RE = re.compile(
    r"\b(?:in|at|from|of|to|near|across|outside|inside|for|on)\s+(?:the\s+)?$"
)


def nobody_else(passage: str, speaker: str | None, book: SpeakerBook) -> bool:
    """No person other than `speaker` is named in the passage (pronouns may refer to them).

    A capitalised run after a preposition ("in New York", "at Georgia Southern") is a place
    or a body, not a person who could have said the words."""
    named = {r.name for _, r in book.mentions(passage) if r.kind == "person"}
    for match in _NAME_RUN_RE.finditer(passage):
        if _PLACE_BEFORE_RE.search(passage[: match.start()]) or _POSSESSIVE_END_RE.search(
            match.group(0)
        ):
            continue  # "in New York", "Clinton's aide": a place, an owner, not a speaker
        resolved = book.resolve(match.group(0))
        if resolved is not None and resolved.kind == "person":
            named.add(resolved.name)
    return named <= {speaker}


def organisations_in(passage: str, book: SpeakerBook, kinds: Sequence[str]) -> list[str]:
    """Organisation entities a passage names, in order of appearance (repeats kept)."""
    return [r.name for _, r in book.mentions(passage) if r.kind in kinds]


def resolve_pronoun(previous: str, head: str, book: SpeakerBook) -> Resolved | None:
    """The one person in the previous sentence and the clause before the quote, if only one."""
    people = people_in(previous, book) | people_in(head, book)
    if len(people) == 1:
        return Resolved(next(iter(people)), "person")
    return None


def resolve_nominal(
    nominal: str, paragraph: str, earlier: Sequence[str], book: SpeakerBook
) -> Resolved | None:
    """"the company" / "a spokesperson for X" / "同社" → the organisation meant, when clear."""
    entity = book.entity(nominal)
    if entity is not None:
        return Resolved(entity.name, entity.kind)
    low = nominal.casefold()
    words = nominal.split()
    if _SPOKES_RE.search(low):
        # "a spokesperson for Anthropic" / "an Anthropic spokesperson": the organisation named.
        named = re.sub(r"(?i)^(?:an?|the)\s+|spokes(?:person|man|woman)|representative|\bfor\b",
                       " ", nominal)
        resolved = book.resolve(named) if named.strip() else None
        if resolved is not None and resolved.kind != "unknown":
            return resolved
        if len(words) <= 2:
            return None
    for start in range(1, len(words)):
        found = book.entity(" ".join(words[start:-1])) if start < len(words) - 1 else None
        if found is not None:
            return Resolved(found.name, found.kind)
    if any(noun in low for noun in _ORG_NOUNS):
        kinds: tuple[str, ...] = ("organization",)
    elif any(noun in low for noun in _GOVERNMENT_NOUNS):
        kinds = ("government", "organization")
    else:
        return None
    for passage in (paragraph, *reversed(earlier)):
        seen = set(organisations_in(passage, book, kinds)) or _shaped(passage, kinds)
        if seen:
            return Resolved(seen.pop(), kinds[0]) if len(seen) == 1 else None
    return None


# Names that say they are a company or a public body, for texts whose storyline lists none.
_COMPANY_SHAPED_RE = re.compile(
    r"\b(?:[A-Z][\w&’'\-]*\s+){1,4}(?:Inc|Corp|Corporation|Co|Company|Lines|Group|Airlines|"
    r"Bank|Motors|Holdings|Ltd|LLC|Labs|Technologies|Systems|Partners|Industries|Energy|"
    r"Ferries|Railways?|Media|Pharmaceuticals)\b"
)
_BODY_SHAPED_RE = re.compile(
    r"\b(?:[A-Z][\w&’'\-]*\s+){0,3}(?:Department|Ministry|Agency|Commission|Bureau|Office)"
    r"(?:\s+of(?:\s+the)?(?:\s+[A-Z][\w\-]*)+)?"
)


def _shaped(passage: str, kinds: Sequence[str]) -> set[str]:
    """Organisation-shaped names ("Tidewater Lines", "Department of Transport") in a passage,
    without a sentence-opening word in front."""
    pattern = _COMPANY_SHAPED_RE if kinds[0] == "organization" else _BODY_SHAPED_RE
    found = {m.group(0) for m in JA_ORGANISATION_RE.finditer(passage)
             if m.group(0).endswith(("省", "庁")) == (kinds[0] != "organization")}
    for match in pattern.finditer(passage):
        words = match.group(0).split()
        while len(words) > 1 and words[0].casefold() in {"the", "a", "an", "in", "at", "but",
                                                          "and", "on", "for", "from"}:
            words = words[1:]
        found.add(" ".join(words))
    return found
