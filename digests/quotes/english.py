"""English attribution clauses around a quotation (pure, no I/O).

Each function looks at one side of a quotation inside its (masked) sentence and returns the
speaker *as written* plus the style that fired; canonicalising the name is `names.py`'s job.
The patterns are deliberately narrow: a clause that does not clearly say who spoke yields
nothing, because an unattributed quote is better than a misattributed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digests.quotes.name_words import ORG_WORDS

_VERBS = (
    r"said|says|say|wrote|writes|write|told|tells|added|adds|argued|argues|noted|notes|"
    r"explained|explains|stated|states|posted|posts|tweeted|tweets|declared|declares|insisted|"
    r"insists|claimed|claims|warned|warns|asked|asks|replied|replies|responded|responds|"
    r"continued|continues|acknowledged|acknowledges|admitted|admits|countered|counters|"
    r"recalled|recalls|observed|observes|mentioned|announced|announces|concluded|contended|"
    r"contends|suggested|suggests|emphasized|emphasised|stressed|stresses|predicted|predicts|"
    r"testified|conceded|concedes|confirmed|confirms|maintained|maintains|remarked|joked|jokes|"
    r"quipped|cautioned|complained|complains|urged|urges|vowed|vows|boasted|promised|recounted|"
    r"elaborated|texted|emailed|blasted|charged|charges|retorted|shot back|pointed out|"
    r"points out|went on|goes on|put it|puts it|agreed|agrees|thundered|fumed|exclaimed|"
    r"answered|reiterated|reiterates|cautions|offered|interjected|wondered|wonders|mused|"
    r"demanded|demands|proclaimed|lamented|laments|asserted|asserts|opined|chided|scoffed|"
    r"mocked|slammed|praised|criticized|criticised|accused|accuses|defended|hinted|speculated|"
    r"echoed|affirmed|assured|bragged|cracked|teased|confided|underscored|repeated|shouted|"
    r"yelled|screamed|cried|whispered|pleaded|pledged|pledges|threatened|insisted|recalled|"
    r"described|describes|called|calls|dubbed|termed|labeled|labelled|branded|characterized|"
    r"began|begins|summed up|sums up|estimated|estimates|found|finds|believes|thinks|reported|"
    r"reports|proposed|proposes|fired back|reads|blogged|sang|sings|recommended|conceded|"
    r"bemoaned|boomed|barked|snapped|blamed|lashed out|hit back|hits back|pushed back|"
    r"chimed in|weighed in|griped|railed|sniped|gushed|raved|marveled|marvelled|groused|"
    r"grumbled|reasoned|ventured|conceded|acknowledged|pressed|objected|protested|"
    r"announced|explained|insisted|scolded|warned|thanked|remembered|remembers|"
    r"(?:is|was)\s+quoted\s+as\s+saying|retaliated|answers|replies|counters|worried|worries|"
    r"questioned|pondered|decried|denounced|dismissed|touted|hailed|derided|ridiculed|"
    r"lambasted|condemned|applauded|welcomed|referred\s+to|likened|concludes|writes|"
    r"indicated|indicates|"
    # The present tense of news that reports as it happens ("Sullivan proclaims the piece a
    # “…”"). Forms that are also common nouns ("remarks", "promises", "labels") stay out: in
    # the words after a verb they would read as a second verb ("said in her remarks that").
    r"mentions|emphasizes|emphasises|testifies|recounts|elaborates|retorts|fumes|exclaims|"
    r"proclaims|opines|chides|scoffs|criticizes|criticises|defends|speculates|affirms|"
    r"assures|brags|teases|confides|underscores|repeats|pleads|threatens|characterizes|"
    r"characterises|scolds|decries|denounces|dismisses|touts|derides|ridicules|lambastes|"
    r"condemns|applauds|likens|recommends|bemoans|gushes|grouses"
)

VERB = rf"(?:{_VERBS})"
# "said Sacks" names the speaker, "told Sacks" / "asked Sacks" names the listener.
_VERB_BEFORE_SPEAKER = rf"(?!told\b|tells\b|asked\b|asks\b|called\b|calls\b|described\b){VERB}"
_PARTICIPLE = (
    r"(?:saying|writing|adding|telling\s+[\w’'\-]+(?:\s+[\w’'\-]+)?|noting|arguing|declaring|"
    r"insisting|warning|explaining|asking|claiming|stating|tweeting|posting|calling|describing|"
    r"condemning|dismissing|urging|accusing|praising|promising|vowing|blasting|criticizing|"
    r"criticising|recalling|quipping|joking|complaining|charging|acknowledging|admitting|"
    r"suggesting|predicting|pledging|lamenting|boasting|conceding|countering|replying|"
    r"remarking|mentioning|observing|announcing|stressing|thanking|recounting|pointing\s+out|"
    r"responding|chiding|offering|insisting|contending|reasoning|adding)"
)
PARTICIPLE_RE = re.compile(rf"\b{_PARTICIPLE}\b")
_PARTICLE = r"(?:de|van|von|der|da|di|du|del|la|le|bin|al|al-|ibn)"
# A day or a month is never the one who speaks ("Priebus later Thursday told …").
_NOT_A_NAME = (
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|June|July|August|September|October|November|December)\b)"
)
_CAP = rf"(?:{_NOT_A_NAME}[A-Z][\w’'\-]*\.?|[A-Z]\.)"
NAME = rf"{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP}){{0,5}}"
PRONOUN = r"(?:[Hh]e|[Ss]he)"
_NOUNS = (
    r"company|firm|startup|lab|corporate|agency|department|administration|government|"
    r"spokesperson|spokesman|spokeswoman|representative|ministry|white house|organization|"
    r"organisation|group|campaign"
)
NOMINAL = rf"(?:[Tt]he|[Aa]n?)\s+(?:[\w’'\-]+\s+){{0,2}}?(?:{_NOUNS})(?:\s+for\s+{NAME})?"
# Nouns that name a person by their position; "official" and "source" are left out because
# they stand for someone unnamed, not for a named person.
ROLE_NOUNS = (
    "nominee|candidate|senator|governor|president|secretary|congressman|congresswoman|"
    "lawmaker|mayor|chairman|chairwoman|minister|premier|chancellor|judge|justice|ambassador|"
    "prosecutor|attorney general|businessman|businesswoman|billionaire|mogul|frontrunner|"
    "front-runner|speaker|leader|founder|adviser|advisor|commissioner|director|chief executive|"
    "executive|host|anchor|pollster|strategist|economist|professor|spokesman|spokeswoman|"
    "representative|general|admiral|sheriff|coach|actor|actress|singer|author|senator-elect|"
    "president-elect|vice president|running mate|manager|chair"
)
# "the Republican nominee", "The Florida senator", "the former secretary of state".
ROLE = rf"(?:[Tt]he)\s+(?:[\w’'.\-]+\s+){{0,3}}?(?:{ROLE_NOUNS})(?:\s+of\s+state)?\b"
SPEAKER = rf"(?P<speaker>{NOMINAL}|{ROLE}|{PRONOUN}|{NAME})"
# "Sam Nunberg, a former aide, said": an appositive between the name and the verb.
_APPOSITIVE = (
    r"(?:\s*\([^()“”\"]{1,30}\))?"  # "Rep. Elijah Cummings (D-Md.)"
    # "Jeffrey Lewis of the Middlebury Institute", "Ana Ruiz at Harvard"
    rf"(?:\s+(?:of|at|from)\s+(?:the\s+)?{NAME}(?:\s+(?:of|for|on)\s+(?:the\s+)?{NAME})?"
    # "Stacy Baker of Columbia, South Carolina says": a town and its state or country.
    rf"(?:,\s+{NAME}(?=,?\s+[a-z]))?)?"
    # A title in quotation marks may sit inside it ("Hemsley, the co-author of “Going Viral,”
    # said"); masked, its comma is blanked, so the closing mark may end the apposition.
    r"(?:,\s+(?:[^;“”\"‘]|[“\"‘]x+[”\"’]){2,160}?(?:,|(?<=x[”\"’]))"
    r"|\s+[—–]\s*[^;—–“”\"‘]{2,160}?\s*[—–])?"
)
# Where they said it, between the name and the verb: "Trump in his announcement speech called".
_WHERE = (
    r"(?:in|on|at|during)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w’'\-]+\s+){0,3}?"
    r"(?:speech|interview|statement|letter|tweet|post|debate|rally|remarks|address|op-ed|email|"
    r"video|news\s+conference|press\s+conference|town\s+hall|hearing|memo|book|essay|column)"
)
_ADVERB = (
    rf"(?:{_WHERE}|at\s+the\s+time|(?:this|last)\s+(?:week|month|year)|"
    r"(?:later|earlier|also|then)\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday)|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"also|later|then|however|again|now|still|even|first|since|simply|previously|once|"
    r"himself|herself|themselves|itself|"
    r"recently|repeatedly|reportedly|had|has|have|would|wrote|has\s+said|had\s+said|has\s+also|"
    r"had\s+also|(?:also\s+)?[a-z]{3,}ly)"
)
# The comma before the verb closes an apposition that began before the name ("Clinton's
# campaign chairman, John Podesta, said").
_SPEAKER_VERB = rf"{SPEAKER}{_APPOSITIVE},?\s+(?:{_ADVERB}\s+){{0,2}}{VERB}\b"
_DESCRIPTOR = r"(?:(?!which\b|that\b|what\b|when\b|while\b|whom?\b)[^\s,;:“”\"‘]+\s+){0,6}?"
_TERMINATOR = r"(?=\s*(?:[,.;:—–()]|$|\s+(?:in|on|at|during|who|when|after|before|to|of|as)\b))"
# The clause before a quotation may open with a short phrase ("In a statement, ") or a
# conjunction; the speaker is then the sentence's subject.
# Two such phrases stand before an apposition ("In a statement, her adviser, Jake Sullivan,").
_LEAD = (
    r"^(?:(?:[^,“”\"‘]{0,100},\s+){1,2}|(?:And|But|So|Then|Later|Still|Meanwhile|Yet|Also)\s+)?"
    r"(?:[Aa]s\s+)?"  # "As Ortiz told the council, “…”"
)
# What follows the verb up to the quotation; earlier (masked) quotations may sit inside it.
_REST = r"(?P<rest>(?:[^“”\"‘]|[“\"‘]x+[”\"’])*)"

_TAIL_NAME_FIRST = re.compile(rf"^\s*[,—–]?\s*{_DESCRIPTOR}{_SPEAKER_VERB}")
_TAIL_VERB_FIRST = re.compile(
    rf"^\s*[,—–]?\s*{_VERB_BEFORE_SPEAKER}\s+{_DESCRIPTOR}{SPEAKER}{_TERMINATOR}"
)
# After a question, "asked Bennett" names who asked, not whom.
_TAIL_ASKED = re.compile(rf"^\s*[,—–]?\s*(?:asked|asks)\s+{_DESCRIPTOR}{SPEAKER}{_TERMINATOR}")
_TAIL_SENTENCE_END = (
    re.compile(rf",\s+{_DESCRIPTOR}{_SPEAKER_VERB}[^“”\"‘,]{{0,60}}[.!?]?\s*$"),
    # "…, said Christine Link, executive director of a civil liberties group in Ohio."
    re.compile(rf",\s+{_VERB_BEFORE_SPEAKER}\s+{_DESCRIPTOR}{SPEAKER}{_TERMINATOR}"
               r"[^“”\"‘]{0,150}[.!?]?\s*$"),
)
_ACCORDING = re.compile(
    rf"\b[Aa]ccording\s+to\s+(?:{_DESCRIPTOR}|(?:a|an|the)\s+(?:[\w’'\-]+\s+){{0,3}}?"
    r"(?:document|statement|filing|report|release|memo|letter|complaint|motion|brief|email|"
    r"transcript)\s+(?:filed|issued|released|written|signed|sent|prepared|published|submitted|drafted|authored)\s+by\s+"
    rf"{_DESCRIPTOR}){SPEAKER}{_TERMINATOR}"
)
# "Sen. Elizabeth Warren (D-Mass.) said": party and state in brackets after the name.
_PARTY = r"(?:\s*\([A-Z][\w.]*-[A-Z][\w.]*\))?"
_HEAD_NEAR = re.compile(
    rf"(?:.*[\s,;(—–]|^)(?<![\w-]){SPEAKER}{_PARTY}\s+(?:{_ADVERB}\s+){{0,2}}{VERB}\b"
    r"(?P<rest>[^“”\"‘]{0,150}?)\s*[:,—–]?\s*$"
)
# "… doesn't surprise pollster Daron Shaw: “…”" — a bare name and a colon before the quote.
_HEAD_NAME_COLON = re.compile(
    rf"(?:^|[-—–]\s+|\b[a-z][\w’'\-]*\s+)(?P<speaker>{_CAP}(?:\s+{_CAP}){{0,2}}):\s*(?P<rest>)$"
)
# News names people after a title used as a modifier: "Republican presidential candidate Donald
# Trump said", "Clinton aide Huma Abedin wrote", "former Gov. Jeb Bush added". Lower-case
# words are limited to such titles, so "Supporters of Trump said" still names no speaker.
_TITLE_WORDS = (
    rf"{ROLE_NOUNS}|former|then|presidential|vice|deputy|assistant|press|campaign|chief|top|"
    r"senior|longtime|fellow|rival|hopeful|aide|supporter|spokesperson|ally|critic|attorney|"
    r"lawyer|counsel|analyst|reporter|correspondent|columnist|editor|commentator|activist|"
    r"official|operative|consultant|staffer|chief of staff|press secretary|rep\.|sen\.|gov\.|"
    r"state|delegate"  # "Minnesota state delegate Mary Lund said"
)
_PRE_WORD = rf"(?:his|her|their|its|[A-Z][\w’'\-]*\.?|(?:{_TITLE_WORDS})(?:[’']s)?)"
_PREMODIFIER = rf"(?:{_PRE_WORD}\s+){{0,6}}?"
_TITLED = rf"{_LEAD}{_PREMODIFIER}"
_HEAD_SUBJECT = re.compile(rf"{_TITLED}{_SPEAKER_VERB}{_REST}$")
# "Clinton has since apologized for what happened: “…”": a named subject, any verb, and a
# colon that hands the sentence over to the quotation. Only names (no pronoun or "the
# company"), and the extraction checks nobody else is named in the clause.
_HEAD_SUBJECT_COLON = re.compile(
    rf"{_TITLED}(?P<speaker>{NAME}){_APPOSITIVE}\s+(?:{_ADVERB}\s+)?[a-z][\w’'\-]*"
    r"(?P<rest>[^“”\"‘:;]{0,120}):\s*$"
)
_HEAD_PARTICIPLE = re.compile(
    rf"{_TITLED}{SPEAKER}{_APPOSITIVE}\s+(?:[^“”\"‘]|[“\"‘]x+[”\"’]){{0,150}}?,?\s+{_PARTICIPLE}\b"
    rf"{_REST}$"
)
# "Carson did not name his rivals but told supporters, “…”": a second verb of the subject.
_HEAD_COORDINATED = re.compile(
    rf"{_TITLED}(?P<speaker>{NAME}){_APPOSITIVE}\s+[^“”\"‘;]{{0,150}}?,?\s+(?:but|and)\s+"
    rf"(?:also\s+|then\s+)?{VERB}\b{_REST}$"
)
# "…, with Trump tweeting that it was a “…”" / "Ryan saying …, and Trump calling it a “…”":
# a named subject of its own participle, the way news strings several reactions together.
_HEAD_ABSOLUTE = re.compile(
    rf"(?:^|[,;—–]\s*|\b(?:with|and)\s+)(?P<speaker>{NAME})\s+{_PARTICIPLE}\b"
    r"(?P<rest>[^“”\"‘]{0,120})$"
)
# "Said Comey, “…”": the verb first, at the start of the sentence.
_HEAD_SAID_NAME = re.compile(
    rf"^\s*(?:(?:And|But|Then)\s+)?Said\s+(?P<speaker>{NAME})(?:,\s+[^“”\"‘]{{0,120}}?)?"
    r"\s*[,:]\s*(?P<rest>)$"
)
# The nouns are matched in lower case only: "Dr. Paul Song “…”" is a person, not a song.
_TITLE_INTRO = re.compile(
    r"\b(?:[Tt]itled|[Ee]ntitled|[Hh]eadlined|[Hh]eadline|[Nn]amed|[Ss]logan|[Hh]ashtag)"
    r"\s*[:,]?\s*$"
    r"|\b(?:book|film|movie|song|op-ed|article|essay|column|paper|show|series|album)\s*$"
)
_COMPLEMENT_RE = re.compile(r"^\s+(?:that|it|he|she|they|we|i|the|a|an|this|these|his|her|its)\b",
                            re.IGNORECASE)
# "X said it was early but added, “…”": a second verb of the same subject is no other speaker.
# "Carr explained it was an investment he concludes has …": "he" is the speaker again.
_OTHER_VERB_RE = re.compile(
    rf"(?<!\band )(?<!\bbut )(?<!\band then )(?<!\bto )(?<!\bhe )(?<!\bshe )\b(?:{_VERBS})\b"
)


@dataclass(frozen=True)
class Clause:
    """A speaker as written, the style that found it, and where the clause ends in the text."""

    speaker: str
    style: str
    end: int = 0


_AUXILIARY_RE = re.compile(
    r"\b(?:did|does|do|would|will|could|should|can|might|may|must|to|not|never|if)\s*"
    r"(?:(?:the|a|an)\s+)?$",
    re.IGNORECASE,
)


# "Supporters of Ortiz said …": a name after a preposition is not the subject that speaks.
_OBJECT_RE = re.compile(
    r"\b(?:of|for|with|from|against|about|like|than|among|between|behind|toward|towards)\s*$",
    re.IGNORECASE,
)

# The rest of a name the pattern started inside ("Lena " before "Ortiz said").
_NAME_END_RE = re.compile(r"(?:[A-Z][\w’'.\-]*\s+)+$")


_QUESTION_OPENERS = frozenset({
    "did", "does", "do", "would", "will", "could", "should", "can", "might", "may", "must",
    "is", "was", "were", "are", "has", "have", "had", "why", "how",
})


def _speaker_ok(speaker: str, before: str = "") -> bool:
    """Not a demonstrative, and not the subject of a question or hypothetical ("did X say")."""
    first = speaker.split()[0].casefold()
    if first in {"this", "that", "these", "those", "it", "which", "what"}:
        return False
    if first in _QUESTION_OPENERS:
        return False  # "Did Sacks really say “…”?" asks; it does not attribute
    run = _NAME_END_RE.search(before)
    if run and run.group(0).split()[0].casefold() in _QUESTION_OPENERS:
        return False  # "Did Ana Kovac really say": the pattern started inside the name
    return not _AUXILIARY_RE.search(_NAME_END_RE.sub("", before)) and not _is_object(before)


def _is_object(before: str) -> bool:
    """The name is the object of a preposition ("a friend of Trump said")."""
    return _OBJECT_RE.search(_NAME_END_RE.sub("", before)) is not None


def tail_clause(tail: str, quote: str) -> Clause | None:
    """`“…,” Sacks wrote` / `“…,” said David Sacks, the adviser` / `“…” the company said`."""
    terminal = quote.rstrip().endswith((".", "!", "?", "…"))
    match = _TAIL_NAME_FIRST.match(tail)
    if (match and _speaker_ok(match.group("speaker"))
            and not _is_object(tail[: match.start("speaker")])):
        after = tail[match.end():]
        # After "…done.”" a new sentence may start with a name and a verb that governs a
        # clause of its own ("The company said it would appeal."): not an attribution.
        if not terminal or not _COMPLEMENT_RE.match(after):
            return Clause(match.group("speaker"), "after", match.end())
    # A lower-case verb right after the closing mark continues the sentence even after "?".
    match = _TAIL_VERB_FIRST.match(tail)
    if match is None and quote.rstrip().endswith("?"):
        match = _TAIL_ASKED.match(tail)
    if (match and _speaker_ok(match.group("speaker"))
            and not _is_object(tail[: match.start("speaker")])):
        return Clause(match.group("speaker"), "said-name", match.end())
    match = _ACCORDING.match(tail.lstrip(" ,"))
    if match:
        return Clause(match.group("speaker"), "according", 0)
    return None


def head_clause(head: str) -> Clause | None:
    """`Sacks said: “…”` / `X told reporters “…”` / `X, the adviser, said the plan was “…”`."""
    return next(iter(head_clauses(head)), None)


def head_clauses(head: str) -> list[Clause]:
    """Every reading of the clause before a quotation, most specific pattern first: when the
    first names no one who resolves ("Republicans were quick to chime in, with Trump
    tweeting …"), a later one may."""
    if _TITLE_INTRO.search(head):
        return []
    found: list[Clause] = []
    # A participle with its own subject right before it ("– Reyes saying") comes first: the
    # sentence's subject is someone else.
    patterns = ((_HEAD_ABSOLUTE, "participle"), (_HEAD_NEAR, "before"),
                (_HEAD_SUBJECT, "reported"), (_HEAD_PARTICIPLE, "participle"),
                (_HEAD_NAME_COLON, "name-colon"), (_HEAD_SUBJECT_COLON, "subject-colon"),
                (_HEAD_SAID_NAME, "said-name"), (_HEAD_COORDINATED, "coordinated"))
    for pattern, style in patterns:
        match = pattern.search(head)
        # "with Trump tweeting": here "with" opens the clause, it does not govern the name.
        before = head[: match.start("speaker")] if match and pattern is not _HEAD_ABSOLUTE else ""
        if (
            match
            and _speaker_ok(match.group("speaker"), before)
            and not _OTHER_VERB_RE.search(match.group("rest"))
        ):
            clause = Clause(_whole_body(head, match), style)
            if clause.speaker not in {c.speaker for c in found}:
                found.append(clause)
    return found


def _whole_body(head: str, match: re.Match[str]) -> str:
    """"the Transport Department said": the pattern that takes the nearest name stops at
    "Department"; a body's last word gets the capitalised words in front of it back."""
    speaker = match.group("speaker")
    if " " in speaker or speaker.casefold() not in ORG_WORDS:
        return speaker
    front = _NAME_END_RE.search(head, 0, match.start("speaker"))
    return f"{front.group(0)}{speaker}" if front else speaker


def sentence_end_clause(tail: str) -> Clause | None:
    """`… “a great deal of weight” and more, DFA spokesman Neil Sroka said.`"""
    for pattern in _TAIL_SENTENCE_END:
        match = pattern.search(tail)
        if (match and _speaker_ok(match.group("speaker"))
                and not _is_object(tail[: match.start("speaker")])):
            return Clause(match.group("speaker"), "sentence-end")
    return None


# "in Delgado’s words", "in Delgado’s view", "in the words of Maria Delgado": the same as
# "according to".
_IN_WORDS = (
    re.compile(rf"\b[Ii]n\s+(?P<speaker>{NAME})[’']s\s+(?:own\s+)?(?:words|view|telling)\b"),
    re.compile(rf"\b[Ii]n\s+the\s+words\s+of\s+(?P<speaker>{NAME}){_TERMINATOR}"),
)


def according_clause(sentence: str) -> Clause | None:
    """`according to X` / `in X's words` anywhere in the quotation's own sentence."""
    for pattern in (_ACCORDING, *_IN_WORDS):
        match = pattern.search(sentence)
        if match:
            return Clause(match.group("speaker"), "according")
    return None


_ISSUED = (
    r"(?:issued|released|posted|published|sent|put\s+out|gave)\s+(?:a|an|the)\s+"
    r"(?:[\w’'\-]+\s+){0,2}?(?:statement|letter|email|memo|message|tweet|post|reply|response)"
)
_INTRO_SENTENCE = re.compile(
    rf"^\s*{_TITLED}(?:the\s+)?{SPEAKER}{_APPOSITIVE}\s+(?:{_ADVERB}\s+)?(?:{VERB}|{_ISSUED})\b"
    r"[^“”\"‘]{0,300}[.:!]\s*$"
)


# "According to Delgado, the plan was finished." then a quotation standing alone.
_INTRO_ACCORDING = re.compile(
    rf"^\s*(?:(?:And|But|So)\s+)?[Aa]ccording\s+to\s+(?P<speaker>{NAME}),"
    r"[^“”\"‘]{0,300}[.:]\s*$"
)


def intro_sentence(previous: str) -> Clause | None:
    """`Bystrom agreed.` / `Lynch announced the lawsuit on Monday.` / `According to Bystrom,
    the plan is dead.` before a quotation that stands alone: the one the sentence gives the
    words to speaks, when the sentence quotes nothing itself."""
    match = _INTRO_SENTENCE.match(previous) or _INTRO_ACCORDING.match(previous)
    if match and _speaker_ok(match.group("speaker")):
        return Clause(match.group("speaker"), "intro")
    return None


def is_title_context(head: str) -> bool:
    """The quotation names a work ("a post titled “…”"), not something said."""
    return bool(_TITLE_INTRO.search(head))


INLINE_COLON = re.compile(
    rf"(?:^|[.;]\s+|,\s+)(?:[\w’'\-]+\s+){{0,6}}?{SPEAKER}\s+(?:{_ADVERB}\s+)?{VERB}\b"
    r"[^.:;“”\"]{0,50}:\s+(?=[A-Z])"
)

# Where someone said it: "in an essay on X:", "with a warning:". Naming the medium is what
# makes an unlisted verb ("laid out his vision …", "set this off …") an attribution.
_MEDIUM = (
    r"(?:essay|post|blog\s+post|statement|letter|thread|tweet|memo|note|warning|interview|op-ed|"
    r"message|email|video|speech|remarks|newsletter|column|reply|response)"
)
_IN_MEDIUM = (
    rf"(?:in|on|with|via)\s+(?:a|an|his|her|their|its|the)\s+(?:[a-z][\w’'\-]*\s+){{0,2}}?"
    rf"{_MEDIUM}(?:\s+on\s+[A-Z][\w]*)?"
)
MEDIUM_COLON = re.compile(
    rf"(?:^|[.;!?]\s+)(?P<speaker>{NAME})\s+(?:[a-z][\w’'\-]*\s+){{1,12}}?{_IN_MEDIUM}"
    r":\s+(?=[A-Z])"
)
# A line that ends "… in an essay on X:" or "… a take by Eliezer:", before a block quote.
MEDIUM_INTRO = re.compile(
    rf"(?:^|[.;!?]\s+)(?P<speaker>{NAME})\s+(?:[a-z][\w’'\-]*\s+){{1,12}}?{_IN_MEDIUM}"
    r"\s*:\s*$"
    rf"|\b(?:take|post|thread|reply|tweet|statement|note|essay|message|response)\s+"
    rf"(?:by|from)\s+(?P<author>{NAME})\s*:\s*$"
)
