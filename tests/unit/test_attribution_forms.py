"""More ways news names the speaker of a quotation, and their near misses.

Two adverbs before the verb, a town and its state after the name, a quoted title inside an
apposition, the present tense of news written as it happens, and a surname the article uses
only once, right after the quotation. The sentences are our own.
"""

from __future__ import annotations

import pytest

from digests.quotes import extract_quotes


def speakers(text: str) -> dict[str, str | None]:
    return {q.quote: q.speaker for q in extract_quotes(text)}


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        # two adverbs between the name and the verb
        ("Maria Delgado spoke at noon. Delgado has even claimed the levy would “pay for "
         "itself within a decade.”", "pay for itself within a decade.", "Maria Delgado"),
        # a reflexive that stresses who spoke
        ("Lena Ortiz chairs the board. Ortiz herself said on Friday that the plan was "
         "“never meant to close a single school.”", "never meant to close a single school.",
         "Lena Ortiz"),
        # a town and its state after the name
        ("Tom Reyes of Dayton, Ohio says he thinks the council will keep “doing what it "
         "does best.”", "doing what it does best.", "Tom Reyes"),
        # a quoted title inside the apposition
        ("Nina Holt, the author of “Slow Water,” about river towns, said the floods were "
         "“only the beginning of a long decade.”", "only the beginning of a long decade.",
         "Nina Holt"),
        # the same, its comma blanked with the title
        ("Ken Abara, star of the series “Harbour,” thanked the crew for “the best year of "
         "my working life.”", "the best year of my working life.", "Ken Abara"),
        # the present tense
        ("Paula Stein proclaims the report “a careful and honest piece of work.”",
         "a careful and honest piece of work.", "Paula Stein"),
        # a surname the article uses only here, right after the quotation
        ("The mill closed in March. “They took our jobs and gave them to nobody,” Varga "
         "said.", "They took our jobs and gave them to nobody", "Varga"),
        # … and with a weekday after the verb
        ("The mill closed in March. “They took our jobs and gave them to nobody,” Varga "
         "said Tuesday.", "They took our jobs and gave them to nobody", "Varga"),
        # a noun that is also a verb form does not read as a second verb after "said"
        ("Rosa Lindqvist said in her opening remarks that the party stands by its “firm "
         "support” for the treaty.", "firm support", "Rosa Lindqvist"),
        # a surname that is also a noun of titles ("Song") does not make a title context
        ("Alan Baird said on Friday that the remark by Dr. Mei Song “was careless and "
         "unkind.”", "was careless and unkind.", "Alan Baird"),
        # a state office as a title before the name
        ("Ohio state delegate Ruth Okafor said the meeting could be a “failure” if nobody "
         "came.", "failure", "Ruth Okafor"),
        # "and called" after a place with its article between the preposition and the name
        ("Maria Delgado took the stage at the Grand Hotel in Dayton and called the levy "
         "“rotten to the core.”", "rotten to the core.", "Maria Delgado"),
        # "According to X," in the sentence before a quotation that stands alone
        ("Maria Delgado spoke. According to Delgado, the plan was finished. “There is nothing "
         "left to talk about with the council now.”",
         "There is nothing left to talk about with the council now.", "Maria Delgado"),
        # "in X's words" / "in the words of X" / "in X's view"
        ("Maria Delgado spoke. The levy, in Delgado’s words, was “a mistake from the start.”",
         "a mistake from the start.", "Maria Delgado"),
        ("In the words of Maria Delgado, the levy was “a mistake from the start.”",
         "a mistake from the start.", "Maria Delgado"),
        ("Maria Delgado spoke. “The levy was a mistake from the start,” in Delgado’s view.",
         "The levy was a mistake from the start", "Maria Delgado"),
    ],
)
def test_speaker_found(text: str, quote: str, speaker: str) -> None:
    assert speakers(text).get(quote) == speaker


def test_someone_else_in_the_sentence_before_the_coordinated_verb_blocks_it() -> None:
    # "Delgado met Tom Reyes and called …": either of them could be meant.
    text = ("Maria Delgado met Tom Reyes at the Grand Hotel and called the levy “rotten to the "
            "core.”")
    assert speakers(text).get("rotten to the core.") is None


def test_a_view_that_is_not_someones_is_no_attribution() -> None:
    text = "Maria Delgado spoke. In the council’s view, the levy was “a mistake from the start.”"
    assert speakers(text).get("a mistake from the start.") is None


def test_a_work_after_its_noun_is_still_a_title() -> None:
    assert "Night Rivers" not in speakers("Ana Ruiz said her new song “Night Rivers” was done.")


@pytest.mark.parametrize(
    "text",
    [
        # a plural noun after the quotation is a group, not a surname
        "The mill closed. “They took our jobs and gave them to nobody,” Workers said.",
        # a word the text also writes in lower case is a common noun
        "The mill closed and its staff left. “They took our jobs and gave them to "
        "nobody,” Staff said.",
        # a new sentence after the verb: the word may open a clause of its own
        "The mill closed. “They took our jobs and gave them to nobody,” Varga said it was.",
        # the word is not right after the quotation
        "The mill closed. “They took our jobs and gave them to nobody,” a friend of Varga "
        "said.",
    ],
)
def test_no_lone_surname(text: str) -> None:
    assert speakers(text).get("They took our jobs and gave them to nobody") is None
