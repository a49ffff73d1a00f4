"""Regrouping only around what changed: `merging.join_conflicting` restricted to the pairs
that involve a changed cluster (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence

from digests.timeline.candidates import ContainmentIndex, rarity
from digests.timeline.merging import (
    CONFLICT,
    CONFLICT_WINDOW,
    SAME_DAY,
    Cluster,
    Joins,
    compared_members,
    own_tokens,
)
from digests.timeline.similarity import similarity


def join_touching(everything: Sequence[Cluster], inside: set[int]) -> list[list[Cluster]]:
    """`merging.join_conflicting`'s groups, judging only the pairs with a cluster `inside`
    (by `id`): edges between two clusters outside are not needed to regroup what is inside,
    and they are most of the pairs. Each pair is judged from its inside side, so the index
    finds partners on either side of it in time; the bars and conditions are the same."""
    joins = Joins(len(everything))
    compared = compared_members(everything)

    # One token order per language for every index (it only decides which pairs are
    # offered, never which pass).
    orders = {
        japanese: rarity(own_tokens(m) for _, m in compared if m.features.japanese == japanese)
        for japanese in (True, False)
    }
    wanted = {member.event.inferred for number, member in compared
              if id(everything[number]) in inside}

    def index(bar: float, which: bool | None) -> dict[bool, ContainmentIndex]:
        indexes = {
            japanese: ContainmentIndex(orders[japanese], bar, 3 if japanese else 2)
            for japanese in (True, False)
        }
        for label, (_, member) in enumerate(compared):
            if which is None or member.event.inferred == which:
                indexes[member.features.japanese].add(own_tokens(member), label)
        return indexes

    strict = index(CONFLICT, None)
    # by the inside report's own kind: a stated one looks among reports dated by
    # publication, and the other way round
    loose = {inferred: index(SAME_DAY, not inferred) for inferred in wanted}
    items = [cluster.items() for cluster in everything]
    for number, member in compared:
        if id(everything[number]) not in inside:
            continue
        japanese, tokens = member.features.japanese, own_tokens(member)
        day = everything[number].date
        for label in strict[japanese].candidates(tokens):
            other, partner = compared[label]
            if not 1 <= abs((day - everything[other].date).days) <= CONFLICT_WINDOW:
                continue
            if partner.event.inferred != member.event.inferred or items[other] & items[number]:
                continue
            if not joins.joined(other, number) and (
                similarity(partner.features, member.features) >= CONFLICT
            ):
                joins.join(other, number)
        # a stated report and one dated by publication meet at the same-day bar
        for label in loose[member.event.inferred][japanese].candidates(tokens):
            other, partner = compared[label]
            if not 1 <= abs((day - everything[other].date).days) <= CONFLICT_WINDOW:
                continue
            if not joins.joined(other, number) and (
                similarity(partner.features, member.features) >= SAME_DAY
            ):
                joins.join(other, number)
    return joins.groups(everything)
