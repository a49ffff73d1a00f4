"""`decide_cluster`, the pure decider the pipeline applies: which stored item's story a new
item joins, judged on prints built in memory (no store)."""

from __future__ import annotations

import datetime as dt

from digests.stories import fingerprint
from digests.stories.clustering import ClusterCandidate, ClusterDecision, decide_cluster
from digests.stories.stored import stored_print
from tests.support.story_fixtures import load_fixture


def article(name: str) -> tuple[ClusterCandidate, dt.datetime]:
    meta, text = load_fixture(name)
    published = dt.datetime.fromisoformat(meta["published"])
    print_ = stored_print(fingerprint(meta["title"], text))
    return ClusterCandidate(item_id=name, print_=print_, published=published), published


def test_no_candidates_means_a_story_of_its_own() -> None:
    mine, published = article("article")
    assert decide_cluster(mine.print_, published, []) == ClusterDecision(same_as=None)


def test_an_unrelated_candidate_is_not_joined() -> None:
    mine, published = article("article")
    other, _ = article("unrelated")
    assert decide_cluster(mine.print_, published, [other]).same_as is None


def test_the_copy_among_the_candidates_is_joined() -> None:
    mine, published = article("syndicated")
    original, _ = article("article")
    unrelated, _ = article("unrelated")
    decision = decide_cluster(mine.print_, published, [unrelated, original])
    assert decision.same_as == "article"
    assert 0.0 < decision.similarity <= 1.0


def test_the_most_similar_duplicate_wins_and_the_first_of_equals() -> None:
    mine, published = article("article")
    copies = [article(name)[0] for name in ("syndicated", "spun", "follow-up")]
    alone = {c.item_id: decide_cluster(mine.print_, published, [c]) for c in copies}
    assert alone["follow-up"].same_as is None  # a later article on the storyline, not a copy
    best = max(alone[c].similarity for c in ("syndicated", "spun"))
    decision = decide_cluster(mine.print_, published, copies)
    assert decision.similarity == best
    first = next(c.item_id for c in copies if alone[c.item_id].similarity == best)
    assert decision.same_as == first
