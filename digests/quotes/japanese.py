"""Japanese attribution around 「…」 (pure, no I/O).

Japanese news attributes with the quotative particle と and a verb after the quotation
(「…」と述べた / と語った / としている), and names the speaker as the topic before it
(ルットニック長官は「…」) or right after と (「…」と、同氏は語った). The speaker chunk is
whatever stands between the last delimiter and は/が/も; `names.py` decides whether that chunk is
a name (katakana with a title or a middle dot, kanji with a title, or a known alias).
"""

from __future__ import annotations

import re

from digests.quotes.english import Clause

_VERB = (
    r"(?:述べ|語っ|語り|語る|語った|話し|話す|説明|強調|明らか|指摘|発表|コメント|投稿|書い|書き"
    r"|記し|主張|訴え|反論|批判|表明|答え|回答|明言|警告|付け加え|報告|言う|言っ|言い|つづっ"
    r"|し(?:た|て|ている|ており)|する)"
)
_CHUNK = r"(?P<speaker>[^、。のにでへ\s「」『』（）()：:はがも]{1,24})"
_TOPIC = rf"{_CHUNK}(?:は|が|も)[、,]?"
_TAIL_RE = re.compile(rf"^\s*と[、,]?\s*(?:{_CHUNK}(?:は|が|も)[、,]?)?[^。「」]{{0,30}}?{_VERB}")
_HEAD_TOPIC_RE = re.compile(_TOPIC)
_SAME_PERSON = ("同氏", "同長官", "同CEO", "同大統領", "彼", "彼女")
_SAME_COMPANY = ("同社", "同省", "同庁")


def quote_verb(tail: str) -> Clause | None:
    """`「…」と述べた` (speaker empty) or `「…」と、同氏は語った` (speaker set)."""
    match = _TAIL_RE.match(tail)
    if match is None:
        return None
    return Clause(match.group("speaker") or "", "と述べた", match.end())


def topic_speakers(head: str) -> list[str]:
    """Topic/subject chunks in the text before 「, nearest first."""
    return [m.group("speaker") for m in _HEAD_TOPIC_RE.finditer(head)][::-1]


def is_same_person(chunk: str) -> bool:
    """同氏/彼: the person named just before (resolved like an English pronoun)."""
    return chunk in _SAME_PERSON


def is_same_company(chunk: str) -> bool:
    """同社: the organisation the passage is about (resolved like "the company")."""
    return chunk in _SAME_COMPANY


def topic_right_before(head: str) -> str | None:
    """`名前氏は「…」`: a topic chunk that ends exactly where the quotation opens."""
    match = re.search(rf"{_CHUNK}(?:は|が)[、,]?\s*$", head)
    return match.group("speaker") if match else None


_JA_OFFICE_RE = re.compile(
    r"^(?:米|前|元|現|同|新)?(?:[\u3400-\u9fff]{0,4}(?:務|省|庁|部|局|党|府|院|会|官房|報道|国防|司法)"
    r"(?:長官|大臣|相|報道官|補佐官|次官|委員長|長|官|代表)|[\u3400-\u9fff]{1,3}(?:都|道|府|県)知事)$"
)
# A company or a ministry by its name's ending: katakana + 社 / グループ, kanji + 省 / 庁.
JA_ORGANISATION_RE = re.compile(
    r"[ァ-ヴー・･]{2,}(?:社|グループ|ホールディングス|航空|銀行)|[\u3400-\u9fff]{1,6}(?:省|庁)"
)


def is_japanese_office(chunk: str) -> bool:
    """商務長官 / 国務長官 / 財務相: an office, not a name with a title."""
    return _JA_OFFICE_RE.match(chunk) is not None
