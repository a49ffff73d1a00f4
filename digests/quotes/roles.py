"""Who "the Florida senator" or 商務長官 is: the person the text names in that role (pure).

News names a person once with their role ("Commerce Secretary Howard Lutnick", "Marco Rubio,
the Florida senator", ハワード・ルットニック商務長官) and then uses the role alone. A role resolves
to a person only when the text ties it to exactly one name: the role's noun right before the
name, or after it in an apposition, with every capitalised word of the role ("Florida",
"Republican") in the tie. The nearest passage that ties the role to anyone decides; two
people tied there leave it unattributed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from digests.quotes import english
from digests.quotes.japanese import is_japanese_office
from digests.quotes.names import SpeakerBook

_ROLE_RE = re.compile(rf"^{english.ROLE}$")
_ABBREVIATIONS = {
    "senator": ("sen.", "sen"), "governor": ("gov.", "gov"), "representative": ("rep.", "rep"),
    "congressman": ("rep.", "rep"), "congresswoman": ("rep.", "rep"), "general": ("gen.",),
    "president": ("pres.",), "professor": ("prof.",), "admiral": ("adm.",),
}


def is_role(raw: str) -> bool:
    """`the Republican nominee`: a role standing where a name would."""
    return _ROLE_RE.match(raw.strip()) is not None


@lru_cache(maxsize=256)
def _tie_patterns(head: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    spellings = (head, *_ABBREVIATIONS.get(head, ()))
    heads = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in spellings)
    before = re.compile(
        rf"(?P<prefix>(?:[\w’'.\-]+\s+){{0,4}}?)(?i:{heads})(?!\w)\.?\s+(?P<name>{english.NAME})"
    )
    after = re.compile(
        rf"(?P<name>{english.NAME}),\s+(?:the|a|an)\s+(?P<prefix>[^,.;“”\"]{{0,80}}?)\b(?i:{heads})\b"
    )
    return before, after


def resolve_role(raw: str, passages: Sequence[str], book: SpeakerBook) -> str | None:
    """The one person the nearest passage ties this role to, if exactly one."""
    words = raw.split()[1:]
    lowered = " ".join(words).casefold()
    head = next((noun for noun in english.ROLE_NOUNS.split("|") if lowered.endswith(noun)), "")
    if not head:
        return None
    modifiers = {w.casefold() for w in words if w[:1].isupper() and w.casefold() != head}
    before, after = _tie_patterns(head)
    for passage in passages:
        people: set[str] = set()
        for pattern in (before, after):
            for match in pattern.finditer(passage):
                prefix = {w.strip(".,").casefold() for w in match.group("prefix").split()}
                if not modifiers <= prefix | {head}:
                    continue
                resolved = book.resolve(match.group("name"))
                if resolved is not None and resolved.kind == "person":
                    people.add(resolved.name)
        if people:
            return people.pop() if len(people) == 1 else None
    return None


def resolve_japanese_office(chunk: str, passages: Sequence[str], book: SpeakerBook) -> str | None:
    """`商務長官は「…」`: the one person the text names right before that office."""
    pattern = re.compile(
        rf"(?P<name>[ァ-ヴー]+(?:[・･][ァ-ヴー]+)*|[\u3400-\u9fff]{{2,5}}){re.escape(chunk)}"
    )
    for passage in passages:
        people: set[str] = set()
        for match in pattern.finditer(passage):
            name = match.group("name")
            if is_japanese_office(name + chunk) and not re.match(r"[ァ-ヴ]", name):
                continue  # "米商務" is part of the office, not a name
            resolved = book.resolve(name + "氏")
            if resolved is not None and resolved.kind == "person":
                people.add(resolved.name)
        if people:
            return people.pop() if len(people) == 1 else None
    return None
