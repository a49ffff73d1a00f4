"""The digest's quote section: people before organisations, each speaker once with their
quotes under the name and role, fragments left out; rendered for Discord and Markdown."""

from __future__ import annotations

import dataclasses

from digests.config.storylines import Entity
from digests.digest.building import DigestLimits, build_digest
from digests.digest.discord_render import render_messages
from digests.digest.markdown_render import render_markdown
from digests.digest.quote_section import is_readable
from tests.unit.test_digest_building import END, START, STORYLINE, inputs, quote

MOON = dataclasses.replace(STORYLINE, entities=(
    *STORYLINE.entities,
    Entity(name="Cal Reyes", kind="person", role="mission surgeon"),
))


def test_people_come_before_organisations() -> None:
    data = inputs(quotes=[
        quote("Orbital Freight Inc", "Our cargo schedule for the base is unchanged this year.",
              "a"),
        quote("Mina Soto", "The base will need twice the water we planned for it.", "b"),
    ])
    digest = build_digest(STORYLINE, data, START, END)
    assert [q.speaker for q in digest.quotes] == ["Mina Soto", "Orbital Freight Inc"]


def test_each_speaker_once_with_their_quotes_under_the_name() -> None:
    data = inputs(quotes=[
        quote("Ben Ode", "The numbers do not add up yet, not even close.", "a"),
        quote("Mina Soto", "The base will need twice the water we planned for it.", "b"),
        quote("Ben Ode", "We will publish the full budget before the vote next week.", "c"),
    ])
    digest = build_digest(STORYLINE, data, START, END)
    assert [q.speaker for q in digest.quotes] == ["Ben Ode", "Ben Ode", "Mina Soto"]
    text = render_markdown(digest)
    assert text.count("**Ben Ode**") == 1
    [message] = render_messages(digest)
    fields = [f for e in message.embeds for f in e.fields]
    assert [f.name for f in fields] == ["Ben Ode", "Mina Soto"]
    assert "numbers do not add up" in fields[0].value and "full budget" in fields[0].value


def test_one_speaker_does_not_fill_the_section() -> None:
    data = inputs(quotes=[quote("Ben Ode", f"Budget line number {i} is still being argued "
                                "over.", f"i{i}") for i in range(6)]
                  + [quote("Mina Soto", "The base will need twice the water we planned.", "m")])
    digest = build_digest(STORYLINE, data, START, END, DigestLimits(quotes=5))
    assert [q.speaker for q in digest.quotes].count("Ben Ode") == 3
    assert "Mina Soto" in {q.speaker for q in digest.quotes}
    assert digest.more_quotes == 3


def test_fragments_under_a_few_words_are_left_out() -> None:
    data = inputs(quotes=[quote("Mina Soto", "a serious gap", "a"),
                          quote("Ben Ode", "「水が足りない」", "b"),
                          quote("Ben Ode", "基地の水は計画の二倍が必要になると考えている", "c")])
    digest = build_digest(STORYLINE, data, START, END)
    assert [q.quote for q in digest.quotes] == ["基地の水は計画の二倍が必要になると考えている"]
    assert not is_readable("We are going back.") and is_readable("We are going back for good.")


def test_the_role_is_shown_when_the_storyline_names_it() -> None:
    data = inputs(quotes=[quote("Cal Reyes", "Nobody walks outside until the new suits pass "
                                "their tests.", "a")])
    digest = build_digest(MOON, data, START, END)
    assert "**Cal Reyes** (mission surgeon)" in render_markdown(digest)
    [message] = render_messages(digest)
    assert message.embeds[-1].fields[0].name == "Cal Reyes (mission surgeon)"
