"""Which definition of an evaluation set carries the matching target (`storyline eval`)."""

from __future__ import annotations

import pytest

from digests.matching.evaluation import richest, richness
from digests.models import Entity, StorylineDefinition

MINIMAL = StorylineDefinition(id="bridge", name="Bridge", description="A bridge.",
                              keywords=("harbour bridge",))
RICH = StorylineDefinition(
    id="bridge", name="Bridge", description="A bridge.",
    keywords=("harbour bridge", "bridge vote"), negative_keywords=("dental",),
    entities=(Entity("Ana Kovac", aliases=("Kovac", "Mayor Kovac")),),
)


def test_every_term_alias_and_entity_counts() -> None:
    assert richness(MINIMAL) == 1
    assert richness(RICH) == 2 + 1 + (1 + 2)


def test_the_richest_definition_carries_the_target_whatever_its_place() -> None:
    assert richest([MINIMAL, RICH]) == 1
    assert richest([RICH, MINIMAL]) == 0
    assert richest([MINIMAL, MINIMAL]) == 0  # the first of equals


def test_no_definition_is_an_error() -> None:
    with pytest.raises(ValueError):
        richest([])
