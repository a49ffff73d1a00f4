"""Article pages as news sites serve them (site chrome, comments, banners), in our own words.

Shared by the extraction, page-fetching and end-to-end tests and the page benchmark.
"""

from __future__ import annotations

from html import escape

NAV = """<header><nav class="site-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/subscribe">Subscribe today and save forty percent</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
Accept all cookies or manage your preferences in our privacy centre.</div>"""

RELATED = """<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Ferry operators announce winter timetable changes</a></li>
<li><a href="/b">Bakery chain opens its hundredth branch downtown</a></li></ul></aside>"""

COMMENTS = """<section id="comments" class="comments"><h3>Comments (2)</h3>
<div class="comment"><p>reader42 wrote: Honestly the management should resign, this whole
affair was predictable from the start and nobody listened to the warnings.</p></div>
<div class="comment"><p>quietobserver wrote: I drove past the depot this morning and the
gates were locked, which surprised the neighbours a great deal.</p></div></section>"""

FOOTER = """<footer><p>Copyright 2026 The Harbour Gazette. All rights reserved.</p>
<a href="/terms">Terms</a> <a href="/privacy">Privacy</a></footer>"""


def article_page(title: str, paragraphs: list[str], *, published: str = "2026-03-04",
                 author: str = "Dana Whitfield", lang: str = "en") -> str:
    """A full page: navigation, cookie banner, the article, related links, comments."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{escape(title)} | The Harbour Gazette</title>
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{published}T08:30:00Z">
<meta name="author" content="{escape(author)}">
</head><body>{NAV}
<main><article><h1>{escape(title)}</h1>
<p class="byline">By {escape(author)}</p>
{body}
</article>{RELATED}{COMMENTS}</main>{FOOTER}</body></html>"""


STRIKE_PARAGRAPHS = [
    "Drivers at Northwind Rail walked out on Monday after talks over pay and rest breaks "
    "collapsed late on Sunday evening, leaving commuters across the region without trains.",
    '"We did not want to strike, but the company left us no choice," said Maren Okafor, the '
    "union's general secretary, speaking outside the Halvik depot as pickets gathered.",
    "The operator said it had offered a four percent rise over two years and described the "
    "walkout as unnecessary. A spokesperson added that replacement buses would run on the "
    "busiest routes while the dispute continued.",
    "On March 12 the two sides are due to meet again at the offices of the conciliation "
    "service, according to a letter seen by this newspaper. Neither side would say whether "
    "a fresh offer was likely before then.",
    "Passenger groups urged both sides to return to the table quickly, warning that a long "
    "dispute would hit shift workers and students hardest during the exam season.",
]

JAPANESE_PARAGRAPHS = [
    "北風鉄道の運転士らは月曜日、賃金と休憩時間をめぐる交渉が決裂したことを受けてストライキに入った。"
    "地域の通勤客は朝から列車を利用できない状態が続いている。",
    "労働組合の岡田真理書記長は「会社側が歩み寄らない限り、私たちは職場に戻らない」と述べ、"
    "ハルビク車両基地の前で集まった組合員に支持を呼びかけた。",
    "会社側は二年間で四パーセントの賃上げを提示したと説明し、ストライキは不要だと批判した。"
    "広報担当者によると、主要路線では代替バスを運行する予定だという。",
    "双方は三月十二日に調停機関の事務所で改めて協議する予定で、それまでに新たな提案が出るかどうかは"
    "明らかになっていない。利用者団体は早期の解決を求めている。",
]

PAYWALL_STUB = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Subscribe to read | The Harbour Gazette</title></head><body>""" + NAV + """
<main><article><h1>Rail talks: what happens next</h1>
<div class="paywall"><p>This article is for subscribers only.</p>
<p>Subscribe now to keep reading.</p></div></article></main>""" + FOOTER + "</body></html>"
