"""Regrouping only around what changed: `merging.join_conflicting` restricted to the pairs
that involve a changed cluster (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence

from digests.timeline.merging import (
    CONFLICT,
    CONFLICT_WINDOW,
    SAME_DAY,
    Cluster,
    Joins,
    compared_members,
    least_shared,
    own_tokens,
    token_orders,
)
from digests.timeline.nearby import NearbyIndex, around
from digests.timeline.similarity import similarity


def join_touching(everything: Sequence[Cluster], inside: set[int]) -> list[list[Cluster]]:
    """`merging.join_conflicting`'s groups, judging only the pairs with a cluster `inside`
    (by `id`): edges between two clusters outside are not needed to regroup what is inside,
    and they are most of the pairs. Each pair is judged from its inside side, so it looks
    for partners on either side of it in time (`nearby`); the bars and conditions are the
    same."""
    joins = Joins(len(everything))
    compared = compared_members(everything)
    orders = token_orders(compared)
    # reports of one kind meet at the stricter bar; a stated report and one dated by
    # publication at the same-day bar
    indexes = {
        (bar, inferred, japanese): NearbyIndex(orders[japanese], bar, least_shared(japanese))
        for bar in (CONFLICT, SAME_DAY) for inferred in (True, False) for japanese in (True, False)
    }
    for label, (number, member) in enumerate(compared):
        japanese, day = member.features.japanese, everything[number].date
        for bar in (CONFLICT, SAME_DAY):
            indexes[(bar, member.event.inferred, japanese)].add(day, own_tokens(member), label)
    items = [cluster.items() for cluster in everything]
    for number, member in compared:
        if id(everything[number]) not in inside:
            continue
        inferred, japanese = member.event.inferred, member.features.japanese
        tokens, days = own_tokens(member), around(everything[number].date, CONFLICT_WINDOW)
        for label in indexes[(CONFLICT, inferred, japanese)].candidates(tokens, days):
            other, partner = compared[label]
            if items[other] & items[number]:
                continue
            if not joins.joined(other, number) and (
                similarity(partner.features, member.features) >= CONFLICT
            ):
                joins.join(other, number)
        for label in indexes[(SAME_DAY, not inferred, japanese)].candidates(tokens, days):
            other, partner = compared[label]
            if not joins.joined(other, number) and (
                similarity(partner.features, member.features) >= SAME_DAY
            ):
                joins.join(other, number)
    return joins.groups(everything)
