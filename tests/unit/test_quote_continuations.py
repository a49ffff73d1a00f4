"""Attribution forms beyond the clause around a quotation: a quotation standing alone as a
sentence continues the speaker just quoted or just introduced; a title makes a lone surname a
person; adverbs, participles and "but added" between subject and quotation. Our own sentences."""

from __future__ import annotations

import pytest

from digests.quotes import extract_quotes
from digests.quotes.names import looks_like_person


def speakers(text: str) -> dict[str, str | None]:
    return {q.quote: q.speaker for q in extract_quotes(text)}


def speaker_of(text: str, contains: str) -> str | None:
    [speaker] = [s for q, s in speakers(text).items() if contains in q]
    return speaker


@pytest.mark.parametrize(
    ("text", "contains", "speaker"),
    [
        # The same paragraph, another sentence in between about the same person.
        ("“We expected more from the council,” said Lena Farrow, a baker in Dunmore. She has "
         "run the shop for a decade. “Nobody warned us about the closure.”",
         "Nobody warned us", "Lena Farrow"),
        # The next paragraph is only a quotation: the last speaker goes on.
        ("“The tide tables were wrong all week,” said harbour pilot Aaron Whitlow, who has "
         "worked the channel since 1998.\n\n“We had to guess every single crossing.”",
         "guess every single crossing", "Aaron Whitlow"),
        # A short sentence introduces the speaker of the quotation after it.
        ("The council met on Tuesday. Mayor Ines Calloway agreed with the ferry crews. “The "
         "river path must stay open to everyone.”", "river path must stay open",
         "Ines Calloway"),
        # A title makes a lone surname a person.
        ("“The ferries will keep running all summer,” Gov. Brandt said.",
         "ferries will keep running", "Brandt"),
        # An adverb between the subject and the verb.
        ("Tomas Reyes flatly said, “We are not selling the harbour land to anyone.”",
         "not selling the harbour land", "Tomas Reyes"),
        # A participle after a long opening phrase.
        ("In a late statement from the capital on Friday evening, Senator Olu Adeyemi issued a "
         "note condemning “an attack on the working families of this town.”",
         "an attack on the working families", "Olu Adeyemi"),
        # A second verb of the same subject.
        ("Rosa Lind said it was too early to count the votes but added, “I think the town "
         "already knows the answer.”", "town already knows", "Rosa Lind"),
        # A named subject and a colon hand the sentence over to the quotation.
        ("Mayor Ines Calloway has since apologised for the delay: “We should have warned the "
         "ferry crews much earlier.”", "warned the ferry crews", "Ines Calloway"),
        # The verb first.
        ("Said Ines Calloway, who chairs the harbour board, “We will not sell the pier.”",
         "not sell the pier", "Ines Calloway"),
        # "went on to say": the second verb belongs to the same speaker.
        ("Pavel Grusin runs the ferry company. Grusin went on to say, “The crews are rested "
         "and the boats are safe.”", "crews are rested", "Pavel Grusin"),
        # A participle later in the sentence of an attributed quotation.
        ("“We are ready,” Lena Farrow said at the quay, adding that the crews were “rested and "
         "ready for the summer season.”", "ready for the summer season", "Lena Farrow"),
        # "according to" a document someone filed.
        ("“The evidence does not support a charge of any kind,” according to a court filing "
         "submitted by county prosecutor Nadia Ferreira.", "does not support a charge",
         "Nadia Ferreira"),
        # An organisation's statement, then the statement itself as a paragraph.
        ("At the mayor's request, Tidewater Lines issued a statement on Friday.\n\n“We regret "
         "the delays and will refund every ticket sold this week.”", "refund every ticket",
         "Tidewater Lines"),
        # A short quotation is not listed, but its speaker goes on to the next one.
        ("“We are neighbours,” Jim Okoro said. “Her brother is fixing my truck this very "
         "week.”", "fixing my truck", "Jim Okoro"),
        # Less common verbs of saying.
        ("“Nobody believed the pier would hold,” remembered Rosa Lind, the old harbour master.",
         "pier would hold", "Rosa Lind"),
        ("“Our method works where every other method fails,” Tomas Reyes is quoted as saying.",
         "every other method fails", "Tomas Reyes"),
        # A second verb of the same subject after "but".
        ("Rosa Lind did not name her rivals, but told the crowd, “Our pier is worth fighting "
         "for this summer.”", "worth fighting", "Rosa Lind"),
        # ... and the subject of the second verb when it has one.
        ("Rosa Lind did not name her rivals, but Pavel Grusin told the crowd, “Our pier is "
         "worth fighting for this summer.”", "worth fighting", "Pavel Grusin"),
        # The role first, the name in commas, then the verb.
        ("The ferry company's chief engineer, Aaron Whitlow, said in a statement: “The hulls "
         "were checked twice this month.”", "hulls were checked", "Aaron Whitlow"),
        # After a question, "asked X" names who asked.
        ("“Why should the harbour pay for a bridge nobody uses?” asked Rosa Lind, who runs "
         "the fish market.", "harbour pay for a bridge", "Rosa Lind"),
        # A possessive before the speaker names an owner, not another speaker.
        ("“The pier is safe for now,” said the mayor's adviser Jake Orlov.\n\n“We will check "
         "it again every single week.”", "check it again", "Jake Orlov"),
        # Japanese: a 「…」 sentence on its own after an attributed one.
        ("ハナ・ミラー市長は「橋は夏まで閉鎖する」と述べた。「安全が何よりも第一だと考えている」",
         "安全が何よりも第一", "ハナ・ミラー"),
    ],
)
def test_continued_and_introduced_speakers(text: str, contains: str, speaker: str) -> None:
    assert speaker_of(text, contains) == speaker


@pytest.mark.parametrize(
    ("text", "contains"),
    [
        # Another person is named between the two quotations: nobody is sure who spoke.
        ("“We expected more from the council,” said Lena Farrow. Pavel Grusin runs the shop "
         "next door. “The closure was announced months ago.”", "announced months ago"),
        # The paragraph before ends on someone else.
        ("“The tide tables were wrong all week,” said Aaron Whitlow. The port is run by "
         "Marta Olsen.\n\n“We had to guess every single crossing.”", "guess every single"),
        # A question about what someone said attributes nothing.
        ("Did Ana Kovac really say “the bridge will never open again to traffic” last week?",
         "bridge will never open"),
        # The clause before the colon names two people: either could be quoted.
        ("Ines Calloway and Pavel Grusin disagree on one point only: “You should have warned "
         "the crews about the closure.”", "warned the crews"),
        # Someone else named before the second verb: either could have said it.
        ("Rosa Lind did not name Pavel Grusin, but told the crowd, “Our pier is worth "
         "fighting for this summer.”", "worth fighting"),
        # A quotation inside a sentence of its own is not a continuation.
        ("“We expected more from the council,” said Lena Farrow. Signs reading “closed until "
         "further notice from the harbour” went up.", "closed until further notice"),
    ],
)
def test_unsure_continuations_stay_unattributed(text: str, contains: str) -> None:
    assert speaker_of(text, contains) is None


def test_places_are_not_people() -> None:
    assert not looks_like_person(["Wall", "Street"])
    assert not looks_like_person(["Kestrel", "Harbour"])
    assert looks_like_person(["Lena", "Farrow"])


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The role before the name, then the role alone.
        ("Harbour Commissioner Dana Whitfield toured the pier on Monday.\n\n“The pier will "
         "reopen in stages over the summer,” the harbour commissioner said.", "Dana Whitfield"),
        # The role in an apposition; its capitalised word must tie too.
        ("Leo Brandt, the Northern senator, spoke first.\n\n“We will not give up on the ferry "
         "bill this year,” the Northern senator said.", "Leo Brandt"),
        # Japanese: the office right after a katakana name, then the office alone.
        ("ハナ・ミラー港湾局長が会見した。港湾局長は「桟橋は夏までに段階的に再開する」と述べた。",
         "ハナ・ミラー"),
    ],
)
def test_roles_resolve_to_the_person_the_text_names(text: str, speaker: str) -> None:
    [found] = [q.speaker for q in extract_quotes(text)]
    assert found == speaker


@pytest.mark.parametrize(
    "text",
    [
        # Two people hold the noun; the capitalised word does not single one out.
        ("Northern nominee Leo Brandt and Southern nominee Ana Kovac spoke.\n\n“We will carry "
         "this state by a wide margin,” the nominee said."),
        # Nobody is named in the role.
        "“The pier will reopen in stages over the summer,” the harbour commissioner said.",
        # An office alone is not a person's name (商務 is not somebody).
        "港湾局長は「桟橋は夏までに段階的に再開する」と述べた。",
    ],
)
def test_roles_nobody_is_named_in_stay_unattributed(text: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [None]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # "the company said in a statement": the one company the text names.
        ("Tidewater Lines raised fares again on Monday.\n\n“We regret the delays and the "
         "queues at the pier,” the company said in a statement.", "Tidewater Lines"),
        # A statement introduced on its own line, then quoted as a paragraph.
        ("Tidewater Lines raised fares again on Monday.\n\nIn a statement, the ferry company "
         "said:\n\nWe regret the delays and will refund every ticket sold this week.",
         "Tidewater Lines"),
        ("The Department of Transport closed the coast road.\n\n“The road stays shut until the "
         "bridge is safe,” the department said.", "Department of Transport"),
        # Japanese: a company or ministry by its name's ending, and 同社 for it.
        ("タイドウォーター社が運賃を上げた。同社は「運賃の値上げを撤回する方針だ」と発表した。",
         "タイドウォーター社"),
        ("国土交通省は「橋の点検を来月までに終える」と発表した。", "国土交通省"),
    ],
)
def test_organisations_speak_through_their_statements(text: str, speaker: str) -> None:
    [found] = [q.speaker for q in extract_quotes(text)]
    assert found == speaker


def test_the_company_stays_unattributed_when_two_companies_are_named() -> None:
    text = ("Tidewater Lines and Harbour Motors Inc both raised fares.\n\n“We regret the "
            "delays and the queues,” the company said.")
    assert [q.speaker for q in extract_quotes(text)] == [None]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # Kanji names with a title: topic before 「…」, after と, or with the listener between.
        ("山田太郎氏は「港の再開は秋になる見通しだ」と語った。", "山田太郎"),
        ("「港の再開は秋になる見通しだ」と、佐藤花子議員は述べた。", "佐藤花子"),
        ("鈴木一郎社長は記者団に「運賃は来月から下げる方針だ」と話した。", "鈴木一郎"),
        # 同氏 and a dropped subject: the one person named just before, in kanji.
        ("田中健氏が会見を開いた。同氏は「港の再開は秋になる見通しだ」と付け加えた。", "田中健"),
        ("田中健氏が会見を開いた。「港の再開は秋になる見通しだ」と述べた。", "田中健"),
        # A governor's office, named once with the person.
        ("小池百合子東京都知事が会見した。東京都知事は「港の再開は秋になる見通しだ」と述べた。",
         "小池百合子"),
    ],
)
def test_japanese_kanji_names_titles_and_offices(text: str, speaker: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize(
    "text",
    [
        "田中健氏と佐藤花子議員が会見を開いた。同氏は「港の再開は秋になる見通しだ」と付け加えた。",
        "東京都知事は「港の再開は秋になる見通しだ」と述べた。",
    ],
)
def test_japanese_unsure_speakers_stay_unattributed(text: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == [None]


@pytest.mark.parametrize(
    "text",
    [
        # A post's author on the line above the post, with a handle.
        "Reactions came in fast.\n\nPriya Raman (@praman):\n\n> The bypass is an ordinary "
        "red-team prompt and nothing more than that.",
        "Reactions came in fast.\n\nPriya Raman (@praman) wrote:\n\n> The bypass is an "
        "ordinary red-team prompt and nothing more than that.",
        "Reactions came in fast.\n\nPriya Raman (@praman.bsky.social) posted on Bluesky:\n\n"
        "The bypass is an ordinary red-team prompt and nothing more than that.",
    ],
)
def test_a_posts_author_above_it_speaks(text: str) -> None:
    assert [q.speaker for q in extract_quotes(text)] == ["Priya Raman"]


def test_a_bare_name_and_handle_line_is_not_an_introduction() -> None:
    # As often a photo credit or the footer of an embedded post as an introduction.
    text = ("The ferries ran late again.\n\nPriya Raman (@praman)\n\nThe council meets on "
            "Thursday to discuss the timetable for the summer.")
    assert extract_quotes(text) == []
