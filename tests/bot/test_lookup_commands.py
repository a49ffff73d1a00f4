"""`/timeline`, `/who said`, `/storyline`, `/digest` through the real client and the fake."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.bot.conftest import NOW
from tests.bot.driver import Driver, option, subcommand
from tests.bot.seeding import STORYLINE, Coverage, seed

EPHEMERAL = 64


def first_embed(replies: list[dict[str, Any]]) -> dict[str, Any]:
    embed: dict[str, Any] = next(r for r in replies if r.get("embeds"))["embeds"][0]
    return embed


def many_events(n: int) -> list[Coverage]:
    start = dt.date(2026, 6, 1)
    return [
        Coverage(title=f"Council meeting {i}",
                 events=((start + dt.timedelta(days=i), f"The council met for session {i}"),))
        for i in range(n)
    ]


async def test_timeline_shows_dated_events_with_sources(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, [Coverage(
        title="Council votes on the harbour bridge",
        events=((dt.date(2026, 7, 1), "The council voted to pause the harbour bridge"),),
    )], NOW)
    replies = await driver.command("timeline", option("storyline", "harbour"))
    assert replies[0] == {"kind": "callback", "type": 5}  # deferred first: the 3-second rule
    embed = first_embed(replies)
    assert "2026-07-01" in embed["description"]
    assert "voted to pause" in embed["description"]
    assert "https://news.example.org/harbour/0" in embed["description"]


async def test_timeline_says_when_a_date_is_the_publication_day(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, [
        Coverage(title="Council pauses the harbour bridge",
                 events=((dt.date(2026, 7, 2), "The council paused the harbour bridge"),),
                 inferred=True),
        Coverage(title="Tidewater Lines sues the council",
                 events=((dt.date(2026, 7, 1), "Tidewater Lines sued the council"),)),
    ], NOW)
    description = first_embed(await driver.command("timeline", option("storyline", "harbour")))[
        "description"
    ]
    assert "**2026-07-02** (publication date) — The council paused" in description
    assert "**2026-07-01** — Tidewater Lines sued" in description
    assert description.index("2026-07-01") < description.index("2026-07-02")


async def test_timeline_filters_by_date(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, many_events(5), NOW)
    replies = await driver.command("timeline", option("since", "2026-06-03"),
                                   option("until", "2026-06-04"), option("storyline", "harbour"))
    description = first_embed(replies)["description"]
    assert "2026-06-03" in description and "2026-06-04" in description
    assert "2026-06-02" not in description and "2026-06-05" not in description


async def test_long_timeline_pages_with_buttons(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, many_events(20), NOW)
    replies = await driver.command("timeline", option("storyline", "harbour"))
    sent = next(r for r in replies if r.get("embeds"))
    assert "Page 1 of 3" in sent["embeds"][0]["footer"]["text"]
    labels = [c["label"] for row in sent["components"] for c in row["components"]]
    assert labels == ["Previous", "Next"]
    clicked = await driver.click(sent["message"], "Next")
    edit = clicked[-1]
    assert edit["type"] == 7  # UPDATE_MESSAGE: the same message shows page 2
    assert "Page 2 of 3" in edit["embeds"][0]["footer"]["text"]
    assert "2026-06-09" in edit["embeds"][0]["description"]


async def test_pages_turn_only_for_whoever_asked(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, many_events(20), NOW)
    replies = await driver.command("timeline", option("storyline", "harbour"))
    sent = next(r for r in replies if r.get("embeds"))
    clicked = await driver.click(sent["message"], "Next", user_id=1234)
    assert clicked[-1]["type"] == 4 and clicked[-1]["flags"] == EPHEMERAL


async def test_timeline_bad_date_is_a_short_private_error(driver: Driver) -> None:
    replies = await driver.command("timeline", option("since", "last tuesday"),
                                   option("storyline", "harbour"))
    assert len(replies) == 1
    assert replies[0]["type"] == 4 and replies[0]["flags"] == EPHEMERAL
    assert "2026-07-02" in replies[0]["content"]


async def test_unknown_storyline_is_refused(driver: Driver) -> None:
    replies = await driver.command("timeline", option("storyline", "nope"))
    assert replies[0]["flags"] == EPHEMERAL
    assert "Unknown storyline" in replies[0]["content"]
    assert "harbour" in replies[0]["content"]


async def test_who_said_finds_the_speaker(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, [Coverage(
        title="Okafor answers the shipping firm",
        quotes=(("Mara Okafor", "We will not let one company decide the shape of our harbour"),),
    )], NOW)
    replies = await driver.command(
        "who", subcommand("said", option("text", "decide the shape of our harbour"))
    )
    description = first_embed(replies)["description"]
    assert "Mara Okafor" in description
    assert "2026-07-03" in description
    assert "https://news.example.org/harbour/0" in description


async def test_who_said_says_kindly_when_no_quote_holds_the_text(
    driver: Driver, db: Any
) -> None:
    seed(db, STORYLINE.id, [Coverage(
        title="Okafor answers the shipping firm",
        quotes=(("Mara Okafor", "We will not let one company decide the shape of our harbour"),),
    )], NOW)
    # Shares most words with the stored quote, but nobody said it.
    replies = await driver.command(
        "who", subcommand("said", option("text", "one company will decide the price of fish"))
    )
    description = first_embed(replies)["description"]
    assert "couldn't find a stored quote containing those words" in description
    assert "Mara Okafor" not in description and "shape of our harbour" not in description


async def test_who_said_with_someone_else_as_person_says_whose_words_they_are_not(
    driver: Driver, db: Any
) -> None:
    seed(db, STORYLINE.id, [Coverage(
        title="Okafor answers the shipping firm",
        quotes=(("Mara Okafor", "We will not let one company decide the shape of our harbour"),),
    )], NOW)
    replies = await driver.command("who", subcommand(
        "said", option("text", "decide the shape of our harbour"), option("person", "Tidewater")
    ))
    description = first_embed(replies)["description"]
    assert "none is attributed to Tidewater" in description
    assert "shape of our harbour" not in description


async def test_who_said_flags_sources_that_disagree(driver: Driver, db: Any) -> None:
    words = "The harbour bridge will reopen before the autumn storms"
    seed(db, STORYLINE.id, [
        Coverage(title="Okafor on the bridge", quotes=(("Mara Okafor", words),)),
        Coverage(title="Tidewater on the bridge", quotes=(("Tidewater Lines", words),)),
    ], NOW)
    replies = await driver.command(
        "who", subcommand("said", option("text", "reopen before the autumn storms"))
    )
    description = first_embed(replies)["description"]
    assert "Mara Okafor" in description and "Tidewater Lines" in description
    assert description.count("Sources disagree") == 2


async def test_who_said_by_person(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, [Coverage(
        title="Okafor speaks",
        quotes=(("Mara Okafor", "The bridge stays open"), ("Someone Else", "No comment")),
    )], NOW)
    replies = await driver.command("who", subcommand("said", option("person", "Okafor")))
    embed = first_embed(replies)
    assert "The bridge stays open" in embed["description"]
    assert "No comment" not in embed["description"]


async def test_who_said_needs_text_or_person(driver: Driver) -> None:
    replies = await driver.command("who", subcommand("said"))
    assert replies[0]["flags"] == EPHEMERAL
    assert "`text`" in replies[0]["content"]


async def test_person_autocomplete(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, [Coverage(title="x", quotes=(("Mara Okafor", "Quote here"),))], NOW)
    replies = await driver.command(
        "who", subcommand("said", option("person", "oka", focused=True)), kind=4
    )
    assert replies[0]["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert {"name": "Mara Okafor", "value": "Mara Okafor"} in replies[0]["choices"]


async def test_storyline_autocomplete(driver: Driver) -> None:
    replies = await driver.command("timeline", option("storyline", "orch", focused=True),
                                   kind=4)
    assert [c["value"] for c in replies[0]["choices"]] == ["orchard"]


async def test_storyline_list_and_info(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, many_events(3), NOW)
    listed = first_embed(await driver.command("storyline", subcommand("list")))
    names = [f["name"] for f in listed["fields"]]
    assert names == ["Harbour Bridge Dispute \\(harbour\\)", "Orchard Frost \\(orchard\\)"]
    assert listed["fields"][0]["value"].startswith("3 items · 3 stories · 3 events")
    info = first_embed(await driver.command(
        "storyline", subcommand("info", option("storyline", "harbour"))))
    assert "Mara Okafor" in {f["name"]: f["value"] for f in info["fields"]}["People"]


async def test_storyline_info_needs_a_choice_when_several(driver: Driver) -> None:
    replies = await driver.command("storyline", subcommand("info"))
    assert replies[0]["flags"] == EPHEMERAL
    assert "Several storylines" in replies[0]["content"]


async def test_digest_preview_is_private(driver: Driver, db: Any) -> None:
    seed(db, STORYLINE.id, [Coverage(title="Council votes on the harbour bridge")],
         NOW - dt.timedelta(hours=2))
    replies = await driver.command("digest", option("storyline", "harbour"))
    assert replies[0]["type"] == 5 and replies[0]["flags"] == EPHEMERAL
    followups = [r for r in replies if r["kind"] == "followup"]
    assert followups and all(r["flags"] == EPHEMERAL for r in followups)
    text = " ".join(str(r) for r in followups)
    assert "Council votes on the harbour bridge" in text
