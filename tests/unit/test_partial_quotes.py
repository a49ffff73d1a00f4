"""Short quotations: kept when a clause says who said them, skipped when nobody did.

A partial quotation inside reported speech ("Ortiz called the plan “a disaster”") is the
speaker's own words, as news uses them every day; a scare quote nobody is said to have
spoken, a title or a nickname is not. The sentences are our own.
"""

from __future__ import annotations

import pytest

from digests.config.storylines import Entity
from digests.quotes import extract_quotes
from digests.quotes.spans import find_spans, mask, sentence_bounds

ENTITIES = (Entity("Lena Ortiz", ("リナ・オルティス",), "person", "Mayor of Riverton"),)


def attributed(text: str) -> list[tuple[str, str | None]]:
    return [(q.quote, q.speaker) for q in extract_quotes(text, ENTITIES)]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # X called it "…"
        ("Mayor Lena Ortiz called the budget “a disaster” on Monday.", "a disaster"),
        # a partial quote inside reported speech, single marks
        ("Lena Ortiz said the bridge plan was ‘dead on arrival’ and would not pass.",
         "dead on arrival"),
        # "quoted words," X said
        ("“Pure nonsense,” Lena Ortiz said.", "Pure nonsense"),
        # a curly opening mark closed by a straight one
        ("Lena Ortiz said the vote was “a betrayal\" of the valley.", "a betrayal"),
        # a title used as a modifier before the name
        ("Riverton mayor Lena Ortiz warned that the levy was “not enough” this year.",
         "not enough"),
        # two phrases before an apposition, then the name
        ("In a statement on Friday, the town's mayor, Lena Ortiz, said the deal was “fair” "
         "to all.", "fair"),
        # an adverb between the name and the verb
        ("Lena Ortiz however said the talks were “going nowhere”.", "going nowhere"),
        # a weekday between the name and the verb is when, not who
        ("Lena Ortiz spoke first. Ortiz later Thursday told reporters the levy was “a mistake”.",
         "a mistake"),
        # the attribution after the sentence, with a long apposition
        ("Traffic on the old bridge is “simply not safe any more,” said Lena Ortiz, the mayor "
         "of a river town of forty thousand people in the north of the valley.",
         "simply not safe any more"),
        # a place of work between the name and the verb
        ("“The river will not wait for the budget,” Lena Ortiz of the Riverton Council wrote "
         "in May.", "The river will not wait for the budget"),
        # "As X told …, “…”"
        ("As Lena Ortiz told the council on Monday, “the ferries are too slow for this town.”",
         "the ferries are too slow for this town."),
        # a participle of the same subject
        ("Lena Ortiz declined to name a date, responding that the bridge was “not a promise”.",
         "not a promise"),
        # where it was said, between the name and the verb
        ("Lena Ortiz in her budget speech called the old ferry “a relic”.", "a relic"),
        # "with X saying": a named subject of its own participle
        ("Councillors were quick to react, with Lena Ortiz tweeting that the vote was "
         "“a good day”.", "a good day"),
        # a pronoun subject inside the reported clause is the speaker again, not another one
        ("The levy, Lena Ortiz explained, was two years in the making — a measure she argues "
         "is “the only honest way to pay for it.”", "the only honest way to pay for it."),
        # a long reported clause after the name and the verb, no comma before it
        ("At the council meeting Lena Ortiz said the old ferry that the town has used since "
         "the war across the river was “a relic” of another age.", "a relic"),
        # party and state in brackets, and "last week", between the name and the verb
        ("At the state convention Sen. Lena Ortiz (D-Ore.) last week said the levy was "
         "“a proven failure” in practice.", "a proven failure"),
        # a long opening clause with a verb of its own before the name that speaks
        ("When asked by a reporter on Thursday about the cost of the new bridge over the river, "
         "Lena Ortiz said: “We will find the money somewhere.”",
         "We will find the money somewhere."),
        # Japanese: 〜を「…」と批判した
        ("リナ・オルティス市長は計画を「大失敗」と批判した。", "大失敗"),
    ],
)
def test_short_quotes_with_a_speaker_are_kept(text: str, quote: str) -> None:
    assert (quote, "Lena Ortiz") in attributed(text)


@pytest.mark.parametrize(
    "text",
    [
        "Critics have called the plan a “bridge to nowhere” for years.",  # nobody named
        "The council published a report titled “Roads We Need” in May.",  # a title
        "The so-called “river tax” returns in the autumn.",  # a scare quote
        "Supporters of Lena Ortiz said the plan was “long overdue”.",  # not her words
        "“We will build the bridge next spring,” a longtime friend of Lena Ortiz said.",
        "“We will build the bridge next spring,” said a close ally of Lena Ortiz.",
        "専門家の間では「失敗」という声もある。",  # no speaker, no quoting verb
    ],
)
def test_short_quotes_without_a_speaker_are_skipped(text: str) -> None:
    assert all(len(quote.split()) >= 4 and speaker is None for quote, speaker in attributed(text))


def test_a_sentence_that_ends_on_a_partial_quote_does_not_lend_it_on() -> None:
    text = ("Lena Ortiz called the vote “a betrayal.” Tom Reyes, a councillor, said he would "
            "appeal the ruling.")
    assert attributed(text) == [("a betrayal.", "Lena Ortiz")]


def test_a_quote_that_opens_its_sentence_keeps_the_attribution_after_it() -> None:
    text = "“It is finished.” Lena Ortiz said it twice."
    spans = find_spans(text)
    bounds = sentence_bounds(mask(text, spans), spans)
    assert bounds == [(0, len(text))]


def test_partial_quotes_split_their_sentences() -> None:
    text = "Ortiz called it “a betrayal.” Reyes said nothing."
    spans = find_spans(text)
    bounds = sentence_bounds(mask(text, spans), spans)
    assert [text[a:b].strip() for a, b in bounds] == [
        "Ortiz called it “a betrayal.”", "Reyes said nothing."
    ]


def test_borrowed_speakers_do_not_make_a_short_quote_an_answer() -> None:
    # "Right." only continues the quotation before it; said on its own it says nothing.
    text = "“We will build the bridge next spring,” Lena Ortiz said. “Right.”"
    assert ("Right.", "Lena Ortiz") not in attributed(text)
    assert ("We will build the bridge next spring", "Lena Ortiz") in attributed(text)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("The River Valley Association", "River Valley Association"),
        ("the Transport Department", "Transport Department"),
    ],
)
def test_a_body_named_with_the_speaks_under_its_name(written: str, name: str) -> None:
    text = f"On Monday {written} said the toll was “a fair price” for the new bridge."
    assert attributed(text) == [("a fair price", name)]


def test_each_participle_keeps_its_own_subject() -> None:
    text = ("Lena Ortiz and Tom Reyes spoke after the vote – Reyes saying he was “very glad” "
            "and Ortiz calling it “a fair result.”")
    assert attributed(text) == [("very glad", "Tom Reyes"), ("a fair result.", "Lena Ortiz")]
