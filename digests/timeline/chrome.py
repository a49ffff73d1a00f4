"""What a page says about itself rather than the news: site chrome, newsletter boilerplate and
the reader comments under an article (pure, no I/O).

Feeds and saved pages carry more than the article: "Listen to this post", "Share", "Read
today's top stories", "Sign up for our newsletter", an aggregator's "3h ago" line and a
comment section. None of it reports a development, and some of it carries date words
("today's top stories") that would otherwise become events. A line is chrome by its shape
(short, a call to action or a site label), so the rules hold for any outlet; a comment
section is everything after its heading.
"""

from __future__ import annotations

import re

from digests.text import japanese_script

CHROME_MAX_WORDS = 14  # a call to action is short; a sentence of news that mentions one is not
CHROME_MAX_CJK = 30
PARAGRAPH_WORDS = 8  # a finished sentence this long is article prose, not a page header
PARAGRAPH_CJK = 20

_CALL_TO_ACTION_EN = re.compile(
    r"(?i)^\W*(?:listen\s+to\s+(?:this|the)\b|share\s+(?:this|on)\b|share$|tweet$|email$|"
    r"print$|save$|subscribe\b|sign\s+(?:up|in)\b|log\s+in\b|register\b|"
    r"already\s+a\s+subscriber|become\s+a\s+(?:member|subscriber)|support\s+(?:our|us)\b|"
    r"read\s+(?:more|next|also|the\s+full|today['’]s|this\s+week['’]s|our\b)|"
    r"continue\s+reading|click\s+here|tap\s+here|follow\s+(?:us|@)|join\s+(?:us|our|the\s+"
    r"conversation|the\s+discussion)|get\s+(?:the|our)\s+(?:latest|newsletter|best|top|app)|"
    r"don['’]t\s+miss|want\s+more|thanks\s+for\s+reading|enjoyed\s+this|"
    r"(?:related|recommended|trending|most\s+(?:read|popular)|more\s+from|see\s+also|"
    r"advertisement|sponsored|skip\s+to|jump\s+to|photo|image|video|watch|credit|source)"
    r"\b\s*(?:[:：|]|$)|"
    r"\d+\s*(?:min(?:ute)?s?|mins)\s+read\b|editor['’]s\s+note\b|"
    r"(?:this\s+(?:article|story|post)\s+(?:was\s+)?(?:originally\s+)?"
    r"(?:appeared|published|first\s+appeared))|"
    r"(?:you\s+(?:are|['’]re)\s+reading|you\s+can\s+(?:unsubscribe|opt\s+out))|"
    r".*\b(?:sign\s+up|subscribe|delivered|get|receive)\b.*\b(?:newsletter|inbox|top\s+stories)\b)"
)
# An aggregator's header: a site name and a score or an age ("Hacker News Grade 8 3h ago").
_AGE_LINE = re.compile(
    r"(?i)^[^.!?。]{0,60}\b\d+\s*(?:s|m|h|d|w|mins?|hours?|days?|weeks?)\s+ago\s*$|"
    r"^[^。]{0,40}\d+\s*(?:分|時間|日)前\s*$"
)
_CALL_TO_ACTION_JA = re.compile(
    r"^\W*(?:関連(?:記事|ニュース|リンク)|この記事を(?:シェア|共有|読む)|続きを読む|もっと見る|"
    r"シェア|ツイート|印刷|保存|登録|無料(?:会員)?登録|会員登録|ログイン|購読|広告|PR|"
    r"おすすめ(?:記事)?|人気(?:記事|ランキング)|ランキング|写真|画像|動画|出典|提供|"
    r"ニュースレター|メール(?:マガジン|配信)|フォロー|あわせて読みたい|前の記事|次の記事)"
    # ※ opens an editor's note about the page (a machine translation, a correction).
    r"(?:する|しよう|はこちら|を見る)?(?:[:：|>＞»]|\s|$)|^[※＊*]"
)
_COMMENTS_HEADING = re.compile(
    r"(?i)^\W*(?:\d+\s+)?(?:reader\s+)?(?:comments?|responses?|replies|discussion)"
    r"(?:\s*\(\d+\))?\s*[:：]?\s*$|"
    r"^\W*(?:leave\s+a\s+(?:comment|reply)|no\s+comments\s+yet|join\s+the\s+discussion)\b|"
    r"^\W*(?:コメント|読者の(?:声|コメント)|みんなの(?:反応|コメント)|この記事への(?:反応|コメント))"
    r"(?:[（(]\d+[)）]|一覧|欄)?\s*[:：]?\s*$"
)
_WORD = re.compile(r"\S+")
_FINISHED = re.compile(r"[.!?。！？][\"'”’」』)]*\s*$")


def is_chrome_line(line: str) -> bool:
    """A short line of site chrome or newsletter boilerplate, not a sentence of news."""
    stripped = line.strip()
    if not stripped:
        return False
    cjk = len(japanese_script().findall(stripped))
    if cjk:
        short = cjk <= CHROME_MAX_CJK
        return short and bool(_CALL_TO_ACTION_JA.match(stripped) or _AGE_LINE.match(stripped))
    if len(_WORD.findall(stripped)) > CHROME_MAX_WORDS:
        return False
    return bool(_CALL_TO_ACTION_EN.match(stripped) or _AGE_LINE.match(stripped))


def starts_comments(line: str) -> bool:
    """The heading of a comment section: what follows is readers talking, not the article."""
    return bool(_COMMENTS_HEADING.match(line.strip()))


def without_comments(lines: list[str]) -> list[str]:
    """The article's lines, cut at the comment section's heading (if any).

    Only a heading after some of the article counts: a page's header often links to its
    comments ("Comments" above the headline) before the article begins.
    """
    article = False
    for number, line in enumerate(lines):
        if article and starts_comments(line):
            return lines[:number]
        article = article or _is_paragraph(line)
    return lines


def _is_paragraph(line: str) -> bool:
    if not _FINISHED.search(line):
        return False
    cjk = len(japanese_script().findall(line))
    return cjk >= PARAGRAPH_CJK if cjk else len(_WORD.findall(line)) >= PARAGRAPH_WORDS
