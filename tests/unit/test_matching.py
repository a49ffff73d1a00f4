"""Storyline matching: what counts for an item, what counts against it, and why.

Most tests use a made-up storyline (a drone recall) so that nothing here leans on the demo;
the last ones run the labelled eval set, the demo feed and the real coverage beside the repo.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from digests.config import load_storylines
from digests.config.reading import read_toml
from digests.config.storylines import Entity, StorylineDefinition, parse_storyline
from digests.feeds.articles import parse_article
from digests.feeds.feed_adapter import parse_feed
from digests.matching import EvalCase, Matcher, evaluate, parse_cases
from digests.matching.matcher import NO_SUBJECT_CAP
from digests.models import MatchDecision

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "eval"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"

DESCRIPTION = (
    "Vantor's recall of its Kestrel 3 delivery drones after battery fires, the aviation "
    "inquiry that followed, and the return of the fleet."
)


def minimal(**changes: Any) -> StorylineDefinition:
    """The four required keys only: a name, a topic phrase and a kanji topic."""
    base = StorylineDefinition(
        id="kestrel",
        name="Kestrel 3 recall",
        description=DESCRIPTION,
        keywords=("Kestrel 3", "battery recall", "回収"),
    )
    return dataclasses.replace(base, **changes)


def rich(**changes: Any) -> StorylineDefinition:
    entities = (
        Entity("Kestrel 3", ("Kestrel", "ケストレル"), kind="product", core=True),
        Entity("battery recall", ("drone recall", "バッテリー回収", "回収"), core=True),
        Entity("Vantor", ("ヴァンター",), kind="organization"),
        Entity("Mara Ilves", ("Ilves", "マーラ・イルベス"), kind="person"),
    )
    fields: dict[str, Any] = {
        "entities": entities,
        "negative_keywords": ("Kestrel 4", "falconry", "鷹匠"),
    }
    return minimal(**(fields | changes))


def decide(definition: StorylineDefinition, title: str, text: str = "") -> MatchDecision:
    return Matcher.from_definition(definition).decide(title, text)


def reasons_of(decision: MatchDecision) -> str:
    return " | ".join(decision.reasons)


# ── Names and topics, in both languages ──────────────────────────────────────────────────────


def test_minimal_definition_matches_name_with_topic_and_says_which() -> None:
    decision = decide(
        minimal(),
        "Vantor starts battery recall of Kestrel 3 drones",
        "Every Kestrel 3 in service is grounded while the battery recall runs.",
    )
    assert decision.match
    assert decision.storyline_id == "kestrel"
    assert 'keyword "Kestrel 3" ×2' in decision.reasons
    assert 'keyword "battery recall" ×2' in decision.reasons


def test_keywords_are_alternatives_a_specific_name_in_the_title_is_enough() -> None:
    decision = decide(minimal(), "Kestrel 3 gets a longer range",
                      "A firmware update lets the Kestrel 3 fly further between charges.")
    assert decision.match
    assert "no angle term" not in reasons_of(decision)


def test_a_common_word_keyword_alone_needs_corroboration() -> None:
    decision = decide(minimal(), "Scooter maker announces battery recall",
                      "A battery recall covers forty thousand scooters.")
    assert not decision.match
    assert 'keyword "battery recall" ×2' in decision.reasons


def test_a_name_mentioned_once_past_the_lead_is_a_mention_not_the_subject() -> None:
    body = ("Skyhawk drones now carry parcels across the bay. " * 12
            + "Skyhawk says its drones fly further than the Kestrel 3.")
    decision = decide(minimal(), "Skyhawk extends its parcel routes", body)
    assert not decision.match
    assert 'keyword "Kestrel 3" (only past the lead)' in decision.reasons


@pytest.mark.parametrize(
    ("keywords", "title"),
    [
        (("Libya", "Benghazi"), "Libyan rebels hold the coast road"),
        (("Yemen",), "Yemeni protesters fill the capital's squares"),
        (("Ukraine",), "Ukrainian troops retake the airport"),
        (("Syria",), "Thousands of Syrians march on the capital"),
    ],
)
def test_a_place_keyword_also_finds_its_adjective(keywords: tuple[str, ...], title: str) -> None:
    definition = minimal(keywords=keywords, description="An uprising and the war after it.")
    decision = decide(definition, title, title + " Fighting went on overnight.")
    assert decision.match, decision.reasons


def test_keyword_weight_follows_how_specific_the_term_looks() -> None:
    from digests.matching.profile import keyword_weight

    assert keyword_weight("Flight 370") == keyword_weight("Conrad Murray") == 1.0
    assert keyword_weight("Gaddafi") == keyword_weight("ケストレル") == 0.8
    assert keyword_weight("export control") == keyword_weight("輸出管理") == 0.6
    assert keyword_weight("earthquake") == 0.5


def test_japanese_running_text_needs_no_spaces() -> None:
    decision = decide(minimal(), "ヴァンター、Kestrel 3を自主回収",
                      "発火の恐れがあるため全機を回収する。")
    assert decision.match
    assert 'keyword "回収" ×2' in decision.reasons


@pytest.mark.parametrize(
    "title",
    ["ＫＥＳＴＲＥＬ　３ battery recall", "KESTREL 3 BATTERY RECALL", "kestrel-3 battery-recall",
     "Kestrel3 battery recalls"],
)
def test_case_width_and_separators_do_not_decide(title: str) -> None:
    plain = decide(minimal(), "Kestrel 3 battery recall")
    variant = decide(minimal(), title)
    assert variant.match == plain.match is True
    assert any(r.startswith('keyword "Kestrel 3"') for r in variant.reasons)


@pytest.mark.parametrize("title", ["Kestrel 30 battery recall", "Kestrel 3.5 battery recall"])
def test_a_longer_version_number_is_another_name(title: str) -> None:
    decision = decide(minimal(), title)
    # Only the bare name is seen, at half weight; the full "Kestrel 3" is not.
    [subject] = [r for r in decision.reasons if r.startswith('keyword "Kestrel 3"')]
    assert subject == 'keyword "Kestrel 3" (only as "Kestrel", half weight)'


def test_katakana_alias_and_half_width_katakana_are_found() -> None:
    for title in ("ケストレルのバッテリー回収が始まる", "ｹｽﾄﾚﾙのバッテリー回収が始まる"):
        decision = decide(rich(), title)
        assert decision.match, title
        assert "entity Kestrel 3 (alias ケストレル)" in decision.reasons


def test_katakana_alias_does_not_match_inside_a_longer_katakana_word() -> None:
    definition = rich(entities=(Entity("Kite 2", ("カイト",), kind="product", core=True),
                                Entity("recall", ("回収",), core=True)))
    decision = decide(definition, "カイトサーフィン用品を回収")
    assert not any(r.startswith("entity Kite 2") for r in decision.reasons)
    assert not decision.match


def test_alias_is_named_in_the_reason() -> None:
    decision = decide(rich(), "Kestrel drones grounded", "Vantor began a drone recall on Monday.")
    assert decision.match
    assert "entity Kestrel 3 (alias Kestrel)" in decision.reasons
    assert "entity battery recall (alias drone recall)" in decision.reasons
    assert "context: Vantor" in decision.reasons


def test_bare_name_of_a_versioned_keyword_counts_at_half_weight() -> None:
    decision = decide(minimal(), "Kestrel battery recall widens")
    assert 'keyword "Kestrel 3" (only as "Kestrel", half weight)' in decision.reasons
    assert decision.score < decide(minimal(), "Kestrel 3 battery recall widens").score


def test_description_words_are_named_as_a_reader_wrote_them() -> None:
    definition = minimal(description="Kestrel 3 drones lose their airspace access.")
    decision = decide(definition, "Kestrel 3 battery recall", "Airspace access is suspended.")
    [related] = [r for r in decision.reasons if r.startswith("related terms: ")]
    assert related.removeprefix("related terms: ").split(", ") == ["access", "airspace"]


def test_richer_definition_finds_what_the_minimal_one_cannot() -> None:
    title, text = "ケストレル、全機回収へ", "ヴァンターは発火事故を受けてケストレルを回収する。"
    assert not decide(minimal(), title, text).match
    assert decide(rich(), title, text).match


# ── Evidence against ─────────────────────────────────────────────────────────────────────────


def test_negative_term_counts_against_and_is_named() -> None:
    text = "Vantor said the battery recall of the Kestrel 3 fleet is on schedule."
    without = decide(rich(), "Kestrel 3 recall update", text)
    against = decide(rich(), "Kestrel 3 recall update", text + " The Kestrel 4 is unaffected.")
    assert against.score < without.score
    assert 'negative term "Kestrel 4"' in against.reasons
    assert against.match  # a passing mention does not veto an item with both core terms


def test_a_name_inside_a_negative_term_is_not_counted_for_the_storyline() -> None:
    decision = decide(rich(), "Kestrel 4 review", "The Kestrel 4 is quick.")
    assert not any(r.startswith("entity Kestrel 3") for r in decision.reasons)
    assert decision.score == 0.0


def test_negative_term_weighs_more_in_the_title_and_when_repeated() -> None:
    text = "Vantor's battery recall of the Kestrel 3 continues."
    once = decide(rich(), "Vantor news", text + " Kestrel 4 is next.")
    often = decide(rich(), "Kestrel 4 arrives", text + " Kestrel 4 is next. Kestrel 4 ships.")
    assert often.score < once.score
    assert 'negative term "Kestrel 4" ×3 (in title)' in often.reasons


def test_fuzzy_evidence_cannot_outweigh_a_negative_term() -> None:
    seed = (
        "Vantor grounded its Kestrel 3 delivery drones after battery fires. Aviation "
        "inspectors opened an inquiry, the fleet stayed grounded for weeks, and pilots, "
        "couriers and hospitals waited for the return of the fleet."
    )
    matcher = Matcher.from_definition(rich(), seed_texts=[seed])
    look_alike = matcher.decide(
        "Kestrel 4 unveiled for couriers and hospitals",
        "Vantor showed the Kestrel 4, which follows the Kestrel 3. Couriers, hospitals and "
        "pilots saw the Kestrel 4 fleet fly; inspectors and aviation fans watched.",
    )
    assert not look_alike.match
    assert "negative term and no angle term" in reasons_of(look_alike)


# ── Seeds and learned profile ───────────────────────────────────────────────────────────────


SEED = (
    "Fires broke out in the batteries of several delivery drones over warehouses in the "
    "spring. Aviation inspectors grounded the fleet, interviewed couriers and hospitals that "
    "depend on the flights, and asked the maker for cell test records before any return."
)


def test_seed_similarity_is_a_reason_naming_the_seed() -> None:
    definition = rich(seed_paths=(Path("seeds/overview.md"),))
    matcher = Matcher.from_definition(definition, seed_texts=[SEED])
    decision = matcher.decide(
        "Inspectors keep Kestrel 3 fleet grounded",
        "Aviation inspectors said the drones stay grounded until battery cell test records "
        "arrive; couriers and hospitals that depend on the flights are waiting.",
    )
    assert decision.match
    assert any(re.fullmatch(r"similar to seed overview\.md \(0\.\d\d\)", r)
               for r in decision.reasons)
    unseeded = Matcher.from_definition(definition).decide(
        "Inspectors keep Kestrel 3 fleet grounded", "")
    assert not any("similar to seed" in r for r in unseeded.reasons)


def test_seed_similarity_ignores_the_names_the_definition_already_scores() -> None:
    seed = "Kestrel 3 " * 20 + "Vantor ケストレル battery recall"
    matcher = Matcher.from_definition(rich(), seed_texts=[seed])
    decision = matcher.decide("Kestrel 3 and Vantor", "Kestrel 3, ケストレル, battery recall.")
    assert not any("similar to seed" in r for r in decision.reasons)


LEARNED = [
    "Kestrel 3 battery recall: inspectors blame thermal runaway in the cell pack.",
    "Thermal runaway, not pilot error, behind Kestrel 3 fires, inspectors say.",
    "Vantor swaps cell pack suppliers after thermal runaway findings on Kestrel 3.",
]


def test_matched_coverage_teaches_recurring_terms() -> None:
    title = "Kestrel 3 cell pack faulted"
    text = "Inspectors found thermal runaway again; a battery recall follows."
    before = Matcher.from_definition(minimal()).decide(title, text)
    learned = Matcher.from_definition(minimal(), learned_texts=LEARNED).decide(title, text)
    assert learned.score > before.score
    learned_reason = next(r for r in learned.reasons if r.startswith("learned terms: "))
    assert "thermal" in learned_reason and "runaway" in learned_reason


def test_learning_needs_more_than_one_text() -> None:
    matcher = Matcher.from_definition(minimal(), learned_texts=LEARNED[:1])
    decision = matcher.decide("Kestrel 3 cell pack faulted", "Thermal runaway again.")
    assert not any(r.startswith("learned terms") for r in decision.reasons)


def test_learned_terms_never_carry_an_item_without_the_subject() -> None:
    """Drift guard: an item about thermal runaway in phones shares the learned words only."""
    matcher = Matcher.from_definition(rich(), learned_texts=LEARNED * 5)
    decision = matcher.decide(
        "Phone maker blames thermal runaway in cell pack",
        "Inspectors found thermal runaway in the cell pack; a battery recall follows.",
    )
    assert not decision.match
    assert decision.score <= NO_SUBJECT_CAP
    assert not any(r.startswith("learned terms") for r in decision.reasons)


def test_a_storyline_of_topics_only_needs_no_subject() -> None:
    definition = minimal(keywords=("battery recall", "回収"))
    assert decide(definition, "Scooter battery recall widens",
                  "The battery recall now covers every model sold since 2024.").match


def test_threshold_from_the_definition_is_used() -> None:
    title = "Kestrel 3 battery recall"
    assert decide(minimal(), title).match
    assert not decide(minimal(match_threshold=1.01), title).match


# ── The eval set, the demo feed and real coverage ───────────────────────────────────────────


def _eval_definition(name: str) -> StorylineDefinition:
    path = EVAL / "storylines" / name
    return parse_storyline(read_toml(path), path)


def _demo_seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds" / "fable").glob("*.md"))]


@pytest.fixture(scope="module")
def cases() -> list[EvalCase]:
    return parse_cases((EVAL / "matching.jsonl").read_text(encoding="utf-8").splitlines())


def test_eval_rich_definition_reaches_f1_095(cases: list[EvalCase]) -> None:
    definition = _eval_definition("fable-rich.toml")
    for seeds in ([], _demo_seed_texts()):
        scores = evaluate(Matcher.from_definition(definition, seed_texts=seeds), cases)
        assert scores.f1 >= 0.95, scores.summary() + "".join(
            f"\n  {e.kind}: {e.case.title} {list(e.decision.reasons)}" for e in scores.errors)


def test_eval_minimal_definition_stays_above_its_floor(cases: list[EvalCase]) -> None:
    # Measured F1 0.855 on the 137 cases (precision 0.914, recall 0.803). Its keywords are
    # alternatives, so an item whose title names "Fable 5" or "Mythos 5" matches even when it
    # is a game of that name: the minimal file declares no negative terms and no gate. It has
    # no katakana names either, so Japanese items naming only フェイブル/ミソス are out of its
    # reach. The floor is that figure minus a small margin.
    scores = evaluate(Matcher.from_definition(_eval_definition("fable-minimal.toml")), cases)
    assert scores.f1 >= 0.84, scores.summary()
    assert scores.precision >= 0.90, scores.summary()


def test_evaluate_counts_the_positive_class() -> None:
    class SaysYesToFables:
        def decide(self, title: str, text: str) -> MatchDecision:
            return MatchDecision("x", "fable" in title, 1.0, ("fake",))

    lines = [
        '{"title": "fable a", "summary": "", "match": true}',
        '{"title": "fable b", "summary": "", "match": false}',
        "",
        '{"title": "other", "summary": "", "match": true}',
        '{"title": "other", "summary": "", "match": false, "lang": "ja", "note": "n"}',
    ]
    scores = evaluate(SaysYesToFables(), parse_cases(lines))
    assert (scores.precision, scores.recall, scores.f1, scores.cases) == (0.5, 0.5, 0.5, 4)
    assert sorted(e.kind for e in scores.errors) == ["false match", "missed"]


def _demo_kinds() -> dict[str, bool]:
    """guid → on-topic, from the item table in `seeds/demo/README.md`."""
    kinds = {}
    for line in (ROOT / "seeds" / "demo" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 6 and cells[3] in {"on-topic", "negative", "duplicate", "spun"}:
            kinds[cells[4].strip("`")] = cells[3] != "negative"
    return kinds


def test_demo_storyline_matches_exactly_the_on_topic_feed_items() -> None:
    [demo] = load_storylines(ROOT / "config" / "storylines")
    seeds = [p.read_text(encoding="utf-8") for p in demo.seed_paths]
    matcher = Matcher.from_definition(demo, seed_texts=seeds)
    feed = parse_feed((ROOT / "seeds" / "demo" / "feed.xml").read_bytes(), url="demo")
    kinds = _demo_kinds()
    wrong = []
    for entry in feed.entries:
        decision = matcher.decide(entry.title, entry.text)
        if decision.match != kinds[str(entry.guid)]:
            wrong.append(f"{entry.title}: {decision.score} {list(decision.reasons)}")
    assert sum(kinds.values()) == 28
    assert not wrong, "\n".join(wrong)


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_real_coverage_is_matched() -> None:
    [demo] = load_storylines(ROOT / "config" / "storylines")
    matcher = Matcher.from_definition(demo)
    for path in sorted(SHARED_SEEDS.glob("*.txt")):
        entry = parse_article(path.read_text(encoding="utf-8"), name=path.name, published=None)
        decision = matcher.decide(entry.title, entry.text)
        assert decision.match, f"{path.name}: {list(decision.reasons)}"


def test_a_persons_surname_alone_is_weak_and_needs_its_capital() -> None:
    definition = minimal(keywords=("Mara Ilves", "Kestrel 3"))
    alone = decide(definition, "Ilves to testify next week", "Ilves will face the inquiry.")
    assert 'keyword "Mara Ilves" ×2 (only as "Ilves", half weight)' in alone.reasons
    assert not alone.match  # half weight: a surname alone needs corroboration
    lower = decide(definition, "The ilves of the northern forest", "")
    assert not any("Mara Ilves" in r for r in lower.reasons)
    with_name = decide(definition, "Ilves grounds every Kestrel 3", "")
    assert with_name.match


@pytest.mark.parametrize(("keyword", "title"), [
    ("Sanaa", "Protesters fill the squares of Sana'a"),
    ("Sana'a", "Protesters fill the squares of Sanaa"),
    ("al-Qaida", "Al-Qa’ida claims the Aden attack"),
])
def test_apostrophes_inside_transliterated_names_are_optional(keyword: str, title: str) -> None:
    definition = minimal(keywords=(keyword,), description="Protests in the capital.")
    assert decide(definition, title, title).match


def test_a_possessive_still_ends_the_name() -> None:
    definition = minimal(keywords=("Saleh",), description="Protests against the president.")
    decision = decide(definition, "Saleh's rule is questioned", "Saleh's rule is questioned.")
    assert decision.match
    assert 'keyword "Saleh" ×2' in decision.reasons


def test_many_mentions_deep_in_a_long_article_do_not_make_it_about_the_keyword() -> None:
    body = ("Skyhawk drones now carry parcels across the bay. " * 12
            + "Rivals such as the Kestrel 3 were mentioned. " * 6)
    decision = decide(minimal(), "Skyhawk extends its parcel routes", body)
    assert not decision.match
    assert 'keyword "Kestrel 3" ×6 (only past the lead)' in decision.reasons


def test_keyword_weights_are_relative_to_the_most_specific_keyword_given() -> None:
    from digests.matching.profile import build_terms

    def weights(*keywords: str) -> dict[str, float]:
        terms = build_terms(minimal(keywords=keywords))
        return {c.label: c.weight for c in terms.concepts if c.role == "subject"}

    assert weights("Syria", "Bashar al-Assad") == {"Syria": 0.8, "Bashar al-Assad": 1.0}
    assert weights("Syria", "Homs") == {"Syria": 1.0, "Homs": 1.0}  # nothing sharper given
    assert weights("battery recall", "recall")["battery recall"] == 1.0


def test_each_further_keyword_corroborates_wherever_it_appears() -> None:
    definition = minimal(keywords=("Kestrel 3", "Vantor", "Ilves", "drone inquiry"))
    body = ("Parcel routes across the bay grew again this spring. " * 10
            + "Vantor, Ilves and the drone inquiry were all mentioned, as was the Kestrel 3.")
    two = decide(minimal(keywords=("Kestrel 3", "Vantor")), "Parcel routes grow", body)
    four = decide(definition, "Parcel routes grow", body)
    assert four.score > two.score
    assert four.match and not two.match


def test_a_surname_after_a_name_particle_counts_at_half_weight() -> None:
    definition = minimal(keywords=("Bashar al-Assad",), description="The war in the east.")
    decision = decide(definition, "Troops loyal to Assad advance", "")
    assert 'keyword "Bashar al-Assad" (only as "Assad", half weight)' in decision.reasons
