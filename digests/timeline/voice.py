"""Who is speaking: a reporter telling news, or a writer giving a view (pure, no I/O).

A development is reported in the third person. A sentence in the writer's own first person
("I found Fable impressive", "私はこう考える") is an aside, not an event, and a piece written
that way throughout, or labelled as opinion, analysis, a column or a review, argues about the
news rather than reporting it: its publication date dates nobody's development. Quoted words
are someone else's voice, so they never count (a statement quoted in the lead is still news).
"""

from __future__ import annotations

import re

from digests.text import split_sentences
from digests.timeline.layout import quoted_spans

# "I" followed by a contraction or a lower-case word ("I think", "I'm"); "my", "me", "myself".
_I_EN = re.compile(r"\bI(?:['’](?:m|ve|d|ll)\b|\s+[a-z])")
_ME_EN = re.compile(r"(?i)\b(?:my|me|mine|myself)\b")
# The word before an "I": a capitalised name word makes it a numeral ("World War I veterans").
_NAME_BEFORE = re.compile(r"(?:^|[^\w,;:—–-])\s*([A-Z][\w’'-]*)\s+$")
_FIRST_PERSON_JA = re.compile(r"(?:私|僕|わたし|筆者|小生)(?:は|が|の|も|に|を|自身|たち|見)")
_LABEL_EN = re.compile(
    r"(?i)^\W*(?:opinion|analysis|commentary|comment|editorial|column|op-?ed|essay|review|"
    r"perspective|viewpoint|letters?|explainer|my\s+take|the\s+take|guest\s+post)\b\s*[:|—–-]"
    r"|\|\s*(?:opinion|analysis|commentary|editorial|column)\s*$"
    # Pieces that look back over the news rather than report a new turn of it.
    r"|\b(?:round-?up|recap|explainer|explained|lessons\s+(?:from|of)|what\s+we\s+know|"
    r"everything\s+(?:you\s+need\s+to|we)\s+know|the\s+week\s+in|q\s*&\s*a|faq)\b"
    r"|^\W*(?:why|how)\s"  # explaining, not reporting
)
_LABEL_JA = re.compile(
    r"(?:^\W*|[【\[［(（])(?:社説|論説|コラム|解説|論評|視点|寄稿|オピニオン|私見|考察|分析|評論|"
    r"時評|主張|インタビュー|まとめ)[】\]］)）:：]|まとめ|振り返る|を解説|とは[?？]?$|なぜ"
)
OPINION_SHARE = 0.15  # this share of sentences in the writer's own voice makes an essay
OPINION_MINIMUM = 3  # …and at least this many, so one aside does not


def in_first_person(sentence: str) -> bool:
    """The writer speaks for themself outside any quotation ("I think", "in my view")."""
    own = sentence
    for start, end in quoted_spans(sentence):
        own = own[:start] + " " * (end - start) + own[end:]
    if _ME_EN.search(own) or _FIRST_PERSON_JA.search(own):
        return True
    return any(_writer(own, found.start()) for found in _I_EN.finditer(own))


def _writer(text: str, position: int) -> bool:
    """An "I" is the writer unless a name word stands right before it, mid-sentence."""
    before = text[:position]
    name = _NAME_BEFORE.search(before)
    return name is None or not before[: name.start(1)].strip()


def is_labelled_opinion(title: str) -> bool:
    """A headline labelled as a view rather than news ("Opinion: …", "【解説】…")."""
    stripped = title.strip()
    return bool(_LABEL_EN.search(stripped) or _LABEL_JA.search(stripped))


def reports_news(title: str, text: str) -> bool:
    """Whether an item reports developments rather than arguing about them.

    Labelled opinion and analysis are not news; neither is a piece whose sentences speak in
    the writer's own voice often enough to make it an essay, nor one whose headline asks a
    question (analysis asks; news tells).
    """
    if is_labelled_opinion(title) or title.strip().endswith(("?", "？")):
        return False
    sentences = split_sentences(text)
    if not sentences:
        return True
    own = sum(in_first_person(sentence) for sentence in sentences)
    return not (own >= OPINION_MINIMUM and own >= OPINION_SHARE * len(sentences))
