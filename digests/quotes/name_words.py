"""The word lists a capitalised run is judged by before it counts as a name (pure data).

Titles and roles in front of a name, sentence openers that glue onto it, words that never
name a speaker alone, and the endings of organisations, places and role descriptions. English
only: Japanese names are judged by script and title (`japanese.py`, `names.py`).
"""

from __future__ import annotations


def wordset(words: str) -> frozenset[str]:
    """A set of words written as one string, for the word lists below."""
    return frozenset(words.split())


# Words that precede a name as a title or role; the name is what follows the last of them.
TITLES = wordset(
    """president secretary senator sen sen. rep rep. representative gov gov. governor mr mr. mrs
    mrs. ms ms. dr dr. ceo cto cfo coo chairman chairwoman chair director spokesman spokeswoman
    spokesperson minister premier adviser advisor judge justice gen gen. general commissioner
    mayor ambassador professor prof prof. chief officer founder co-founder cofounder executive
    analyst attorney lawyer candidate leader speaker nominee head deputy vice lt. col. sgt.
    researcher economist strategist entrepreneur investor admiral adm. sir lord dame rev.
    pastor czar sheriff coroner pollster historian commander secretary-general superintendent
    chancellor provost dean inspector detective officer sergeant captain lieutenant colonel
    congressman congresswoman councilman councilwoman assemblyman delegate activist organizer
    columnist commentator host anchor correspondent reporter editor author host"""
)
# Words that end the names of places and buildings ("Wall Street", "Trump Tower").
PLACE_WORDS = wordset(
    """street st avenue ave road boulevard square park river lake county city state island
    bay valley hall tower center centre airport station bridge plaza building church school
    college hospital arena stadium beach harbor harbour port coast mountain hill heights"""
)
# Titles that only ever stand before a person's name (not "chief" or "head", which also
# precede organisations).
PERSON_TITLES = wordset(
    """president secretary senator sen rep representative gov governor mr mrs ms dr judge
    justice gen general mayor ambassador professor prof sheriff congressman congresswoman
    chairman chairwoman spokesman spokeswoman speaker pastor rev adm admiral lt col sgt
    commissioner attorney minister premier chancellor coach"""
)
# Sentence openers and calendar words that a capitalised run may drag in front of a name.
LEADING = wordset(
    """but and so then later meanwhile still yet also in on at as for if when while after before
    since though although however instead now today yesterday tonight monday tuesday wednesday
    thursday friday saturday sunday january february march april may june july august september
    october november december earlier separately finally first here there of from with by to
    afaik anyway anyways indeed well yes no ok okay perhaps maybe honestly frankly apparently
    reportedly notably again imo imho tbh fwiw iirc btw sadly fortunately unfortunately
    interestingly ironically clearly obviously similarly likewise besides plus overall thus
    hence therefore otherwise elsewhere next recently currently initially eventually
    ultimately additionally moreover furthermore nevertheless nonetheless regardless even
    only just because once whether where why how what who"""
)
# Capitalised words that start sentences but never name a speaker on their own.
NOT_NAMES = wordset(
    """i we you he she it they this that these those there here who what why how when where
    officials critics analysts experts researchers others many some people sources everyone
    nobody someone one both all each few most several users customers employees insiders
    democrats republicans lawmakers investors observers supporters opponents reports report
    note update timeline summary context background source correction disclosure editor
    related sources question answer q a edit warning caveat status result results conclusion
    example tip why read watch listen photo image video credit tags posted filed topics share
    breaking developing exclusive analysis opinion overview claim fact reality verdict headline
    thread reply replies comments comment response statement the an"""
)
ORG_WORDS = wordset(
    """house department inc inc. corp corp. company co co. university commission committee party
    post times news government administration agency council court senate congress states
    ministry office bureau institute foundation association group campaign network journal
    press media bank fund club league union board poll survey"""
)
# Role words that end a description ("Microsoft CEO"), never a person's name.
ROLE_ENDINGS = wordset(
    """ceo cto cfo coo spokesman spokeswoman spokesperson secretary president adviser advisor
    minister chairman chairwoman founder co-founder cofounder director executive analyst
    researcher economist strategist entrepreneur investor professor commissioner ambassador"""
)
