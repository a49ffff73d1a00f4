"""One timeline entry per development: news leads dated by publication, what is not news, and
retellings merged — for storylines of several kinds (a disaster, a war, a trial, a launch).

Every text here is our own short example; none is taken from a corpus.
"""

from __future__ import annotations

import datetime as dt

import pytest

from digests.config import parse_storyline
from digests.models import ExtractedEvent, ParsedEntry, SourceRef
from digests.pipeline import process_items
from digests.reading.lookups import Lookups
from digests.store import ItemStore, open_database
from digests.timeline import extract_events, merge_events
from digests.timeline.chrome import is_chrome_line, without_comments
from digests.timeline.voice import in_first_person, reports_news

MORNING = dt.datetime(2027, 3, 9, 7, 30, tzinfo=dt.UTC)  # a Tuesday
DAY = MORNING.date()


def inferred(text: str, title: str = "", published: dt.datetime = MORNING) -> list[str]:
    """Descriptions of the events dated by publication."""
    return [e.text for e in extract_events(text, published, title=title) if e.inferred]


@pytest.mark.parametrize(
    ("title", "text", "key"),
    [
        # a disaster
        ("Quake flattens homes in coastal province",
         "A magnitude 6.8 earthquake struck the coastal province, collapsing hundreds of homes."
         "\nRescue teams searched the rubble through the night.", "earthquake"),
        # a war
        ("Rebels retake oil port",
         "Rebels retake the oil port of Sarna after heavy airstrikes.\nThe government denied "
         "losing the town.", "Sarna"),
        # a trial
        ("Jury convicts former mayor",
         "A jury found the former mayor of Easton guilty of fraud after two days of "
         "deliberation.", "guilty"),
        # a product launch
        ("Orbit unveils its first folding phone",
         "ORBIT CITY (Wire) - Orbit unveiled its first folding phone at a packed event.",
         "Orbit unveiled"),
        # Japanese news
        ("新型ロケット打ち上げ成功",
         "宇宙機関は新型ロケットの打ち上げに成功したと発表した。", "打ち上げ"),
        ("停戦合意", "【ジュネーブ=共同】両国の政府は停戦に合意し、前線での砲撃が止んだ。", "停戦"),
        ("Jury convicts mayor", "(Wire) — A jury convicted the former mayor of fraud.", "jury"),
    ],
)
def test_a_news_lead_without_a_date_is_dated_by_publication(
    title: str, text: str, key: str
) -> None:
    [event] = [e for e in extract_events(text, MORNING, title=title) if e.inferred]
    assert event.date == DAY and key in event.text
    # The wire dateline is not the news.
    assert not event.text.startswith(("ORBIT CITY", "【", "(Wire)"))


@pytest.mark.parametrize(
    "text",
    [
        "The flood barrier failed on Sunday, and the river poured into the old town.",
        "Rebels shelled the airport yesterday, witnesses said.",
        "Almost two months ago the company promised a folding phone.",  # counted back, roughly
        "裁判所は8日、元市長に有罪判決を言い渡した。",
    ],
)
def test_a_lead_that_names_a_date_keeps_it(text: str) -> None:
    assert inferred(text, "A headline") == []


def test_a_quoted_today_in_the_lead_leaves_it_to_the_publication_day() -> None:
    text = "“We closed the bridge today,” the harbour master said after divers found a crack."
    assert [e.date for e in extract_events(text, MORNING) if e.inferred] == [DAY]


def test_one_development_per_item_even_when_the_body_is_long() -> None:
    text = (
        "Floodwaters breached the levee protecting the eastern suburbs.\n"
        "Thousands of residents left their homes.\n"
        "Officials opened three shelters and closed the main bridge."
    )
    assert len(inferred(text, "Levee breached")) == 1


def test_an_item_stating_an_event_on_its_own_day_needs_no_stand_in() -> None:
    text = (
        "The defence rested its case in the Easton fraud trial.\n"
        "On Tuesday the judge told jurors to return for closing arguments."
    )
    events = extract_events(text, MORNING, title="Defence rests")
    assert [(e.date, e.inferred) for e in events] == [(DAY, False)]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Opinion: The ceasefire is a fiction",
         "Both armies agreed to stop shelling the border towns."),
        ("Analysis | Why the launch fell flat", "Orbit sold fewer phones than it hoped."),
        ("Will the jury believe the mayor?", "The former mayor took the stand in his defence."),
        ("What we know about the earthquake", "The quake struck a sparsely populated coast."),
        ("【社説】停戦合意を生かせ", "両国の政府は停戦に合意した。"),
        ("停戦交渉はなぜ行き詰まったのか【解説】", "双方の要求には大きな隔たりがある。"),
    ],
)
def test_opinion_and_analysis_date_no_development(title: str, text: str) -> None:
    assert not reports_news(title, text)
    assert inferred(text, title) == []


def test_an_essay_in_the_first_person_is_not_news() -> None:
    text = (
        "I have covered this war for a year.\nMy editors asked me what changed this week.\n"
        "The front barely moved.\nI think the talks are theatre.\nI doubt they will last."
    )
    assert not reports_news("The long war", text)
    assert inferred(text, "The long war") == []


@pytest.mark.parametrize(
    ("sentence", "first_person"),
    [
        ("I watched the launch from the second row.", True),
        ("In my view the verdict was fair.", True),
        ("私はこの判決に納得していない。", True),
        ("World War I veterans laid wreaths at the memorial.", False),
        ("“I will not resign,” the mayor told reporters.", False),
        ("The company said its phone would ship in May.", False),
    ],
)
def test_first_person_is_the_writer_outside_quotes(sentence: str, first_person: bool) -> None:
    assert in_first_person(sentence) is first_person


def test_a_first_person_aside_is_not_an_event_even_with_a_date() -> None:
    text = (
        "Orbit unveiled its folding phone on Monday at a packed event.\n"
        "I queued outside the hall on Sunday night to get in."
    )
    assert [(e.date.isoformat(), e.inferred) for e in extract_events(text, MORNING)] == [
        ("2027-03-08", False)
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Read today's top stories",
        "Sign up for our morning newsletter",
        "Get the latest headlines delivered to your inbox",
        "Listen to this article",
        "Share this story",
        "Advertisement",
        "5 min read",
        "Related: More coverage of the trial",
        "World Desk 3h ago",
        "関連記事",
        "この記事をシェアする",
        "※この記事は海外記事を機械翻訳したものです。",
    ],
)
def test_site_chrome_and_newsletter_boilerplate_are_not_news(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Readers flooded the helpline after the quake struck the capital.",
        "The newspaper's editor resigned on Monday after the verdict was read.",
        "Share prices of the phone maker fell sharply after the launch was delayed by weeks.",
    ],
)
def test_sentences_of_news_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)


def test_boilerplate_with_a_date_word_yields_nothing() -> None:
    text = (
        "Listen to this article\n"
        "Read today's top stories\n"
        "The jury found the former mayor guilty of fraud after two days of deliberation.\n"
        "Sign up for our newsletter to get today's headlines"
    )
    events = extract_events(text, MORNING, title="Mayor convicted")
    assert [(e.date, e.inferred) for e in events] == [(DAY, True)]
    assert "guilty" in events[0].text


def test_reader_comments_are_cut_off() -> None:
    lines = [
        "Comments (12)",  # a header link above the article is not its end
        "Crews restored power to the last districts after the storm.",
        "Comments",
        "I lost power on Monday and nobody came.",
        "Same here, three days without heat!",
    ]
    assert without_comments(lines) == lines[:2]
    events = extract_events("\n".join(lines), MORNING, title="Power restored")
    assert [(e.date, e.inferred) for e in events] == [(DAY, True)]


def source(item: str) -> SourceRef:
    return SourceRef(item, f"Title {item}", None)


def lead(text: str, day: dt.date = DAY) -> ExtractedEvent:
    return ExtractedEvent(day, text, relative=True, inferred=True)


def test_two_outlets_wordings_of_one_development_are_one_entry() -> None:
    reports = [
        (lead("Rebels retake the oil port of Sarna after heavy Coalition airstrikes."),
         source("a")),
        (lead("Opposition fighters seize Sarna as Coalition jets pound government lines."),
         source("b")),
        (lead("The government in Kavala offers talks to the rebel council."), source("c")),
    ] + [  # the rest of the storyline names the war's usual names, not Sarna
        (lead(f"Jets of the Coalition strike Kavala positions, day {n}.",
              DAY - dt.timedelta(days=n)),
         source(f"x{n}"))
        for n in range(2, 40)
    ]
    today = [event for event in merge_events(reports) if event.date == DAY]
    assert sorted(len(event.sources) for event in today) == [1, 2]
    [both] = [event for event in today if len(event.sources) == 2]
    assert {ref.item_id for ref in both.sources} == {"a", "b"} and both.inferred


def test_different_developments_at_one_place_on_one_day_stay_apart() -> None:
    reports = [
        (lead("Rebels shell the airport at Sarna with mortars."), source("a")),
        (lead("Hundreds of families flee Sarna by boat."), source("b")),
    ] + [
        (lead(f"Jets of the Coalition strike Kavala positions, day {n}.",
              DAY - dt.timedelta(days=n)), source(f"x{n}"))
        for n in range(2, 40)
    ]
    today = [event for event in merge_events(reports) if event.date == DAY]
    assert len(today) == 2


def test_a_page_in_english_and_japanese_is_one_entry() -> None:
    stated = [
        ExtractedEvent(DAY, "The space agency launched its new rocket on Tuesday."),
        ExtractedEvent(DAY, "宇宙機関は火曜日、新型ロケットを打ち上げた。"),
    ]
    [event] = merge_events([(event, source("bilingual")) for event in stated])
    assert event.text.startswith("The space agency") and not event.inferred


def test_a_stated_date_outranks_a_publication_day() -> None:
    reports = [
        (ExtractedEvent(DAY - dt.timedelta(days=1),
                        "The jury found the former mayor of Easton guilty of fraud on Monday."),
         source("wire")),
        (lead("Jury finds former Easton mayor guilty of fraud."), source("wrapper")),
    ]
    [event] = merge_events(reports)
    assert event.date == DAY - dt.timedelta(days=1) and not event.inferred
    assert event.other_dates == ()  # a later report is not a disagreement
    assert {ref.item_id for ref in event.sources} == {"wire", "wrapper"}


def test_late_reports_keep_the_first_publication_day() -> None:
    reports = [
        (lead("Orbit unveils its first folding phone at a packed event in Lisbon.",
              DAY + dt.timedelta(days=shift)), source(f"s{shift}"))
        for shift in (2, 0, 1)
    ]
    [event] = merge_events(reports)
    assert event.date == DAY and event.inferred and len(event.sources) == 3


def test_a_headline_only_item_is_led_by_its_headline() -> None:
    events = extract_events("", MORNING, title="Floodwaters breach the levee in Easton")
    assert [(e.date, e.text, e.inferred) for e in events] == [
        (DAY, "Floodwaters breach the levee in Easton", True)
    ]
    assert extract_events("", MORNING, title="Is the levee safe?") == []
    # A headline that names a date is not the publication day's development.
    assert extract_events("", MORNING, title="Levee breached on Sunday, officials say") == []


def test_an_items_lead_joins_the_same_development_it_dates_further_down() -> None:
    sunday = DAY - dt.timedelta(days=2)
    reports = [
        (lead("Floodwaters breached the levee protecting the eastern suburbs of Easton."),
         source("a")),
        (ExtractedEvent(sunday, "Floodwaters breached the levee protecting the eastern "
                                "suburbs of Easton late on Sunday."), source("a")),
    ]
    [event] = merge_events(reports)
    assert event.date == sunday and not event.inferred


LEVEE = parse_storyline(
    {"id": "levee", "name": "Easton flood", "description": "Floods in the town of Easton.",
     "keywords": ["Easton", "levee", "flood"]},
    "test",
)


def test_a_wrapper_and_its_original_are_one_entry_through_the_engine() -> None:
    """An aggregator re-posts a news item a day later: the store's timeline has one entry,
    dated by the original's publication, with both as sources."""
    original = ParsedEntry(
        guid="o", url="https://news.example/levee", title="Floodwaters breach the Easton levee",
        text="Floodwaters breached the levee protecting the eastern suburbs of Easton, forcing "
             "thousands of residents from their homes.\nEngineers said the barrier had been "
             "weakened by a week of heavy rain.",
        published=MORNING,
    )
    wrapper = ParsedEntry(
        guid="w", url="https://digest.example/r/levee",
        title="[Flood Watch] Floodwaters breach the Easton levee",
        text="Floodwaters breached the levee protecting the eastern suburbs of Easton, forcing "
             "thousands of residents from their homes.\nRead the full story at the source.\n"
             "Sign up for our daily newsletter.",
        published=MORNING + dt.timedelta(days=1),
    )
    db = open_database(None)
    ids = ItemStore(db).ingest("http://f", [original, wrapper], MORNING).new
    process_items(db, [LEVEE], ids, MORNING + dt.timedelta(days=1))
    [entry] = Lookups(db, [LEVEE]).timeline("levee")
    assert entry.date == DAY and entry.inferred
    assert {ref.url for ref in entry.sources} == {original.url, wrapper.url}
