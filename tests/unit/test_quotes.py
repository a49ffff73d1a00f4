"""Quotes: attribution per style, speaker canonicalisation, precision guards."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from digests.config.storylines import Entity
from digests.models import ExtractedQuote
from digests.quotes import extract_quotes
from digests.quotes.evaluation import QuoteCase, entities_from_table, evaluate, load_cases
from digests.quotes.names import SpeakerBook
from digests.quotes.spans import clean_quote, is_substantial, looks_like_title

EVAL = Path(__file__).resolve().parents[1] / "eval"
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

ENTITIES = (
    Entity("David Sacks", ("デイビッド・サックス",), "person", "White House AI adviser"),
    Entity("Howard Lutnick", ("ハワード・ルットニック",), "person", "Secretary of Commerce"),
    Entity("Scott Bessent", ("スコット・ベッセント",), "person"),
    Entity("Katie Moussouris", (), "person"),
    Entity("Andy Jassy", (), "person"),
    Entity("Dario Amodei", (), "person"),
    Entity("Satya Nadella", (), "person"),
    Entity("Anthropic", ("Anthropic PBC", "アンソロピック"), "organization"),
    Entity("Amazon", (), "organization"),
    Entity("US government", ("the administration", "the White House", "米政府"), "government"),
)


def only(text: str) -> ExtractedQuote:
    [quote] = extract_quotes(text, ENTITIES)
    return quote


@pytest.mark.parametrize(
    ("text", "speaker", "style"),
    [
        ("“We want this resolved within weeks, not months,” Sacks wrote.", "David Sacks", "after"),
        ("“Nobody wants a long fight over this,” said David Sacks, the White House AI adviser.",
         "David Sacks", "said-name"),
        ("Anthropic shut both models down. “We are only doing what the law asks,” the company "
         "said.", "Anthropic", "after"),
        ("Lutnick said: “The directive stays until the fix has been verified.”",
         "Howard Lutnick", "before"),
        ("Secretary Lutnick told reporters “there is no date for lifting the controls yet.”",
         "Howard Lutnick", "before"),
        ("According to Moussouris, “asking a model to fix code is what defenders do daily.”",
         "Katie Moussouris", "according"),
        ("The bypass took one afternoon, according to Jassy, who called it “a serious gap in "
         "the safety layer.”", "Andy Jassy", "according"),
        ("Amodei said the company would “work around the clock until the fix ships” this week.",
         "Dario Amodei", "before"),
        ("Dario Amodei, who leads the company, said on a long call with investors that the "
         "classifiers were “nearly ready for a final review by officials.”", "Dario Amodei",
         "reported"),
        ("Katie Moussouris (security entrepreneur): Fixing code is the job defenders do all day.",
         "Katie Moussouris", "name-role"),
        ("Satya Nadella: Human capital only becomes more valuable as token capital grows.",
         "Satya Nadella", "name-colon"),
        ("Sacks wrote on X:\n> The control goes away once the issue is fixed properly.",
         "David Sacks", "block"),
        ("Anthropic wrote in a blog post: The government has ordered us to suspend all access "
         "today. More follows.", "Anthropic", "block"),
        ("ルットニック長官は記者団に「修正が確認されるまで規制を続ける」と述べた。",
         "Howard Lutnick", "ja-topic"),
        ("「交渉は前向きに進んでいる」と、ハワード・ルットニック氏は語った。",
         "Howard Lutnick", "ja-after"),
        ("アンソロピックは声明で「法的な指示に従いアクセスを停止する」としている。",
         "Anthropic", "ja-topic"),
        ("ハワード・ルットニック（商務長官）：今回の措置は安全保障のために必要だった。",
         "Howard Lutnick", "name-role"),
    ],
)
def test_attribution_styles(text: str, speaker: str, style: str) -> None:
    quote = only(text)
    assert (quote.speaker, quote.style) == (speaker, style)


@pytest.mark.parametrize(
    ("text", "speaker", "style"),
    [
        # A kanji qualifier between a katakana name and its title (商務長官, 財務長官).
        ("ハワード・ルットニック商務長官は「求めた対応は済んだと確認した」と述べた。",
         "Howard Lutnick", "ja-topic"),
        ("「前進はあったが、まだ時間がかかる」とベッセント米財務長官は語った。",
         "Scott Bessent", "ja-after"),
        # A katakana name the storyline does not configure is kept as written.
        ("ラトニック商務長官は「求めた対応は済んだと確認した」と述べた。",
         "ラトニック", "ja-topic"),
        # The role after a comma, in parentheses after markdown emphasis, or before "on X".
        ("Satya Nadella, Microsoft CEO: Human capital only grows in value as token capital grows.",
         "Satya Nadella", "name-role"),
        ("**Satya Nadella** (Microsoft CEO): Human capital only grows in value over time.",
         "Satya Nadella", "name-role"),
        ("Satya Nadella (Microsoft CEO) on X: Human capital only grows in value over time.",
         "Satya Nadella", "name-role"),
        ("Priya Raman on Bluesky: The bypass is a normal red-team prompt and nothing more.",
         "Priya Raman", "name-colon"),
    ],
)
def test_fixed_attribution_patterns(text: str, speaker: str, style: str) -> None:
    quote = only(text)
    assert (quote.speaker, quote.style) == (speaker, style)


@pytest.mark.parametrize(
    ("text", "contains", "speaker"),
    [
        # The verb is not an attribution verb, but naming the medium makes it one.
        ("Software firms push back. Satya Nadella set out his view of the market in a long "
         "essay on X: Every firm will need to build its own store of token capital. Some "
         "readers disagreed.", "Every firm will need", "Satya Nadella"),
        ("Nadella closed the piece with a warning: No industry will accept a future where a "
         "few models take all the value.", "No industry will accept", "Satya Nadella"),
        # A block quote after "a take by <first name>:", the full name given later on.
        ("A reader pointed to an earlier and calmer take by Priya:\nNobody should cheer a "
         "shutdown that nobody can explain in plain words.\nI mostly agree with Priya Raman "
         "here.", "Nobody should cheer", "Priya Raman"),
        # Japanese block intro that ends in 。 rather than a colon.
        ("ルットニック長官は記者会見で次のように述べた。\n「同社は求めた対応を済ませ、我々も確認した」",
         "同社は求めた対応", "Howard Lutnick"),
    ],
)
def test_introduced_by_medium_or_block(text: str, contains: str, speaker: str) -> None:
    [quote] = [q for q in extract_quotes(text, ENTITIES) if contains in q.quote]
    assert quote.speaker == speaker


def test_a_first_name_shared_with_a_surname_is_not_resolved() -> None:
    # "Trump" is a surname in the text, so "Trump Tower" must not lend it a full name.
    book = SpeakerBook(ENTITIES, "Donald Trump and Ivanka Trump met at Trump Tower today.")
    resolved = book.resolve("Trump")
    assert resolved is None or resolved.name == "Trump"


def test_a_name_behind_an_article_does_not_lend_a_first_name() -> None:
    # "the Harlow Express" names a bus tour, not a person called Harlow Express.
    text = ("Fans packed the Harlow Express for the last stop. Harlow told the crowd that "
            "“every town on this road deserves a real hearing.”")
    [quote] = extract_quotes(text)
    assert quote.speaker == "Harlow"


@pytest.mark.parametrize(
    "text",
    [
        # Headings share the `Name: text` shape; without an entity, a role or support they
        # are not speakers.
        "Quick Take: The controls are likely to stay in place for several more weeks.",
        "Big Picture: The controls are likely to stay in place for several more weeks.",
        "Silicon Valley: Developers moved their workloads to other models within a day.",
    ],
)
def test_headings_are_not_speakers(text: str) -> None:
    assert all(q.speaker is None for q in extract_quotes(text, ENTITIES))


def test_a_bare_name_line_needs_support_from_a_roundup_or_the_text() -> None:
    line = "Jordan Blake: The bypass is an ordinary red-team prompt, not an attack."
    assert extract_quotes(line, ENTITIES) == []
    roundup = f"Alex Stamos (security executive): Pulling a model sets a bad precedent.\n{line}"
    introduced = f"Jordan Blake runs a red team in Ohio.\n{line}"
    for text in (roundup, introduced):
        assert extract_quotes(text, ENTITIES)[-1].speaker == "Jordan Blake"


@pytest.mark.parametrize(
    "text",
    [
        "Fable 5: Back online for every customer in the United States this morning.",
        "Export controls: The rules were lifted for one model at a time, not both.",
    ],
)
def test_products_and_topics_do_not_speak_on_lines(text: str) -> None:
    entities = (*ENTITIES, Entity("Fable 5", ("Fable",), "product"),
                Entity("export controls", (), "topic"))
    assert all(q.speaker is None for q in extract_quotes(text, entities))


def test_split_quote_keeps_the_speaker_for_the_second_part() -> None:
    text = "“The fix is narrow,” Moussouris wrote. “Banning the model helps nobody at all.”"
    found = extract_quotes(text, ENTITIES)
    assert [(q.speaker, q.style) for q in found] == [
        ("Katie Moussouris", "after"),
        ("Katie Moussouris", "split"),
    ]


def test_interrupted_quote_is_joined() -> None:
    text = "“If this rule applied everywhere,” Anthropic wrote, “no lab could ship a model.”"
    assert only(text) == ExtractedQuote(
        "If this rule applied everywhere, no lab could ship a model.", "Anthropic", "after"
    )


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Sacks", "David Sacks"),
        ("White House AI adviser David Sacks", "David Sacks"),
        ("Treasury Secretary Scott Bessent", "Scott Bessent"),
        ("ルットニック", "Howard Lutnick"),
        ("ルットニック長官", "Howard Lutnick"),
        ("ハワード・ルットニック氏", "Howard Lutnick"),
        ("the White House", "US government"),
        ("Anthropic PBC", "Anthropic"),
        ("Maya Ortiz", "Maya Ortiz"),
        ("Ortiz", "Maya Ortiz"),  # introduced earlier in the text as a full name
    ],
)
def test_speaker_canonicalisation(raw: str, canonical: str) -> None:
    book = SpeakerBook(ENTITIES, "Maya Ortiz runs a consultancy.")
    resolved = book.resolve(raw)
    assert resolved is not None and resolved.name == canonical


@pytest.mark.parametrize(
    "text",
    [
        # Two people in the previous sentence: "he" could be either.
        "Jassy met Bessent in May. “It was a very direct conversation about risk,” he said.",
        # Two organisations in the paragraph: "the company" could be either.
        "Amazon and Anthropic both fund safety work. “Our view has not changed at all,” the "
        "company said.",
        # A new sentence after a closed quote is not its attribution.
        "Critics called it “a solution in search of a problem for all.” Sacks said it was not.",
        # A question about what someone might say is not a quotation of them.
        "Did the administration say ‘take it down or we will control every export’ at all?",
        # Seen in real coverage: a capitalised "Administration" after "did the".
        "So the question is, did the Administration say ‘pull it or we will restrict every "
        "export of it?’ Or did it just ask for a fix?",
        "Update: Anthropic restored access for customers in the United States today.",
        "June 26: The government lifted the controls on both of the models.",
        "Officials said “the review would take several more weeks to complete.”",
        "ジャシー氏とベッセント長官が会談した。「非常に率直な話し合いだった」と述べた。",
    ],
)
def test_unsure_speakers_stay_none(text: str) -> None:
    assert all(q.speaker is None for q in extract_quotes(text, ENTITIES))


def test_unambiguous_pronoun_resolves() -> None:
    text = "Scott Bessent met the negotiators. “We made real progress today, truly,” he said."
    assert only(text).speaker == "Scott Bessent"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Critics have called the order a “blunt instrument” for weeks.", []),
        ("Stamos shared a post titled “Why the export order misreads jailbreaks” today.", []),
        ("同氏は「脱獄」という言葉を使った。", []),
    ],
)
def test_scare_quotes_and_titles_are_skipped(text: str, kept: list[str]) -> None:
    assert [q.quote for q in extract_quotes(text, ENTITIES)] == kept


@pytest.mark.parametrize(
    ("raw", "cleaned", "substantial", "title"),
    [
        ("“  We   disagree with this,” ", "We disagree with this", True, False),
        ("「規制は続ける」", "規制は続ける", False, False),
        ("The Once And Future Fable", "The Once And Future Fable", True, True),
        ("fix this code", "fix this code", False, False),
    ],
)
def test_cleaning(raw: str, cleaned: str, substantial: bool, title: bool) -> None:
    text = clean_quote(raw)
    assert (text, is_substantial(text), looks_like_title(text)) == (cleaned, substantial, title)


def test_eval_set_meets_targets() -> None:
    entities = entities_from_table(
        tomllib.loads((EVAL / "quotes-entities.toml").read_text(encoding="utf-8"))
    )
    cases = load_cases((EVAL / "quotes.jsonl").read_text(encoding="utf-8").splitlines())
    assert sum(len(c.quotes) for c in cases) >= 40
    scores = evaluate(cases, entities)
    assert scores.precision >= 0.95, scores.errors
    assert scores.recall >= 0.85, scores.errors


def test_evaluate_counts_unlisted_attributions_against_precision() -> None:
    case = QuoteCase("“This is a long enough statement,” Sacks said.", ())
    assert evaluate([case], ENTITIES).precision == 0.0


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not beside the repository")
@pytest.mark.parametrize(
    ("seed", "contains", "speaker"),
    [
        ("wired-rewrite-fable-offline.txt", "The Admin’s hope now is", "David Sacks"),
        ("wired-rewrite-fable-offline.txt", "It is frankly bewildered", "David Sacks"),
        ("wired-rewrite-fable-offline.txt", "We are complying with the government", "Anthropic"),
        ("wired-rewrite-fable-offline.txt", "we believe it would essentially halt", "Anthropic"),
        ("wired-rewrite-fable-offline.txt", "Defenders need to be able to", "Katie Moussouris"),
        ("wired-rewrite-fable-offline.txt", "The Chinese open-weight models", None),
        ("stratechery-safety-superpower.txt", "has issued an export control directive",
         "Anthropic"),
        ("stratechery-safety-superpower.txt", "Every company is going to have to build",
         "Satya Nadella"),
        ("stratechery-safety-superpower.txt", "The last thing any of us want", "Satya Nadella"),
        # A question ("did the Administration say ‘…’?") names no speaker.
        ("zvi-once-and-future-fable.txt", "make this level of exploit impossible", None),
    ],
)
def test_real_coverage(seed: str, contains: str, speaker: str | None) -> None:
    found = extract_quotes((SEEDS / seed).read_text(encoding="utf-8"), ENTITIES)
    [quote] = [q for q in found if contains in q.quote]
    assert quote.speaker == speaker
