"""Coverage that names no keyword, found through what a storyline matched lately.

Four made-up storylines of different kinds (a flood, a siege, a trial, a product recall) share
one feed, so the tests also show that learned names stay with their own storyline.
"""

from __future__ import annotations

import datetime as dt

from digests.matching.memory import FeedMemory, lead_terms

DAY = dt.timedelta(days=1)
START = dt.datetime(2031, 3, 1, 12, tzinfo=dt.UTC)


def feed(memory: FeedMemory, day: int, title: str, *matched: str) -> None:
    memory.observe(START + day * DAY, lead_terms(title, ""), matched)


def test_lead_terms_are_names_not_common_words_or_sentence_openers() -> None:
    terms = lead_terms("Rebels shell Port Veran as NATO meets",
                       "Police say the harbour of Port Veran burned. Thousands fled.")
    assert {"port", "veran", "nato"} <= terms
    assert "rebels" not in terms and "police" not in terms and "thousands" not in terms
    assert "harbour" not in terms


def test_a_titles_first_word_is_a_label_unless_the_lead_capitalises_it_too() -> None:
    assert "daily" not in lead_terms("Daily update", "Rebels shell Port Veran.")
    assert "veran" in lead_terms("Veran burns", "Shelling set the port of Veran alight.")
    assert "murray" in lead_terms("Court hears doctor", "Police question Dr. Murray again.")


def test_japanese_names_are_kept_whole() -> None:
    assert "ケストレル" in lead_terms("ケストレル、全機を回収", "")


def test_names_recurring_in_a_storylines_items_carry_a_new_item() -> None:
    memory = FeedMemory(["flood", "trial"])
    feed(memory, 0, "Floodwater reaches Marvale as the Orrin river rises", "flood")
    feed(memory, 1, "Army evacuates the lower town of Marvale; Orrin dikes hold", "flood")
    feed(memory, 2, "Judge Telford opens the Hask fraud trial", "trial")
    recall = memory.recall("flood", START + 3 * DAY,
                           lead_terms("Army boats reach Marvale along the Orrin", ""))
    assert recall.evidence >= 1.0
    assert set(recall.terms) == {"marvale", "orrin"}
    assert "marvale" in recall.reason()
    # The other storyline learned nothing from the flood's names.
    assert memory.recall("trial", START + 3 * DAY,
                         lead_terms("Army boats reach Marvale", "")).evidence == 0.0


def test_a_name_every_storyline_shares_is_never_learned() -> None:
    memory = FeedMemory(["siege", "flood"])
    for day in range(4):
        feed(memory, day, f"Geneva talks on Darrow siege, day {day}", "siege")
        feed(memory, day, f"Geneva donors pledge flood aid, round {day}", "flood")
        feed(memory, day, f"Geneva motor show opens, part {day}")
    recall = memory.recall("siege", START + 5 * DAY, lead_terms("Geneva hosts a summit", ""))
    assert recall.evidence == 0.0
    assert memory.recall("siege", START + 5 * DAY,
                         lead_terms("Shelling resumes in Darrow", "")).terms == ("darrow",)


def test_learned_names_reach_only_as_far_as_the_storylines_pace() -> None:
    memory = FeedMemory(["siege"])
    for day in range(3):
        feed(memory, day, f"Darrow shelled again near Kessa gate ({day})", "siege")
    item = lead_terms("Darrow rebuilds the Kessa gate", "")
    assert memory.recall("siege", START + 20 * DAY, item).evidence > 0
    assert memory.recall("siege", START + 400 * DAY, item).evidence == 0.0


def test_a_slow_storyline_keeps_its_names_across_months() -> None:
    memory = FeedMemory(["trial"])
    for month in range(4):
        feed(memory, 40 * month, f"Session {month} of the Hask trial before Judge Telford", "trial")
    recall = memory.recall("trial", START + 200 * DAY,
                           lead_terms("Date set for the Hask verdict by Judge Telford", ""))
    assert set(recall.terms) >= {"telford", "hask"}
