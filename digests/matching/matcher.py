"""Deciding whether an item belongs to a storyline, with the reasons a user can read.

Pure, no I/O: seed and learned documents arrive as text. Evidence is counted in points and
the score is points / FULL_POINTS, clamped to [0, 1]:

| evidence | points |
| --- | --- |
| keyword, no core entities (keywords are alternatives) | 2.5 × weight (`keyword_weight`) |
| … only as a surname or bare name | half |
| … named only past the lead / once in the lead, not the title | × 0.6 / × 0.8 |
| subject term (core entity) | 2 (1 if only its bare name, "Fable") |
| angle term (core topic, or a keyword beside core entities) | 2 (1 for supporting terms) |
| a second distinct subject / angle | +1 / +0.5 |
| each further distinct one | +0.3, at most +0.9 |
| repeated mentions in the lead | +0.2 each, at most +1 |
| subject or angle in the title (a title naming nothing: the first sentence) | +0.5 |
| context entities (people, organisations, names in the description) | 0.5 each, at most 1.5 |
| description words ("lifting") | 0.3 each, at most 0.9 |
| similarity to a seed document, leaving out the definition's own terms | up to 1.5 |
| learned terms, only beside a subject | 0.25 each, at most 1 |
| negative keyword | −1.5 each, −0.5 more in the title |
| repeated negative mentions | −0.2 each, at most −1 |

The lead is the title and the first 400 characters. Context counts half beside a keyword the
title does not name.

Seed similarity leaves out the names and topics the definition lists because they are scored
term by term already; with them in, any article naming the storyline's products (another
launch by the same company) would look like a seed.

Names learned from a storyline's recent items are a second look after this one
(`matching.memory`, `memory_step`): they need the order items arrive in, which a single
decision does not have.

With core entities declared, three gates keep look-alikes out however many points they
collect: without any subject term
the score stays at or below 0.2 (export rules on chips, the same officials on tariffs); with a
subject but no angle evidence at all it stays just under the threshold (another model launch
by the same company, a children's book called "A Fable"); and with a negative term present,
only an angle term the definition names can lift it over the threshold, not the fuzzy hints
(description words, seed similarity). Description words hint at the angle only in threes, or
in twos when one is part of a main angle term: alone they are too generic ("model").
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from digests.matching.profile import Concept, StorylineTerms, build_terms
from digests.matching.similarity import (
    MAX_TEXT,
    Profile,
    features,
    learned_terms,
    normalized_features,
    stem,
)
from digests.matching.terms import TermHits, TermSet, canonical, fold_apostrophes
from digests.models import MatchDecision, StorylineDefinition
from digests.text import normalize, split_sentences

_WORD_RE = re.compile(r"[a-z0-9]+")
_SEPARATORS_RE = re.compile(r"[\s\-‐・]+")  # as `terms.canonical` removes them
DEFAULT_THRESHOLD = 0.5
FULL_POINTS = 5.0
NO_SUBJECT_CAP = 0.2
NO_ANGLE_MARGIN = 0.05  # without an angle, the score stays this far under the threshold
SEED_FLOOR, SEED_FULL, SEED_POINTS = 0.05, 0.25, 1.5
LEARNED_EACH, LEARNED_CAP = 0.25, 1.0
HINTS_FOR_ANGLE = 3
NEGATIVE_EACH, NEGATIVE_TITLE = 1.5, 0.5
NEGATIVE_REPEAT, NEGATIVE_REPEAT_CAP = 0.2, 1.0
MAX_CHARS = 50_000  # long pages: the first 50k characters decide
LEAD_CHARS = 400  # the title and about two sentences: where news says what it is about
BODY_ONLY = 0.6
LEAD_ONCE = 0.8
MORE_EACH, MORE_CAP = 0.3, 0.9
FIRST_SENTENCE_CHARS = 300
# A capitalised word past the first, a word with a digit, or kana/kanji: the title names something.
_TITLE_NAME_RE = re.compile(r"(?<=\s)[A-Z0-9]|[0-9]|[\u3040-\u30ff\u3400-\u9fff]")
ALTERNATIVE = 2.5  # a keyword that can match alone: a name in the lead is enough


@dataclass(frozen=True)
class _Seed:
    name: str
    profile: Profile


@dataclass
class _Tally:
    points: float = 0.0
    subject: bool = False
    subject_full: bool = False
    angle: bool = False
    angle_strong: bool = False
    angle_hint: bool = False
    negative: bool = False
    in_title: bool = False


class Matcher:
    """A storyline's compiled profile; `decide` is cheap enough to run on every new item."""

    def __init__(
        self,
        definition: StorylineDefinition,
        terms: StorylineTerms,
        seeds: Sequence[_Seed],
        learned: tuple[str, ...],
    ) -> None:
        self.definition = definition
        self.terms = terms
        self.threshold = (
            definition.match_threshold
            if definition.match_threshold is not None
            else DEFAULT_THRESHOLD
        )
        self._seeds = tuple(seeds)
        self._learned = learned
        concepts = terms.concepts
        self._positive = TermSet(
            [(i, n) for i, c in enumerate(concepts) for n in c.names]
            + [(-1 - i, n) for i, c in enumerate(concepts) for n in c.weak_names],
            exact=[n for c in concepts for n in c.exact_names],
        )
        self._negative = TermSet(enumerate(terms.negative))
        self._own_features = terms.own_features()
        self._angle_parts = frozenset(terms.angle_parts)
        self._ja_words = tuple(w for w in terms.hint_words if not w.isascii())
        self._en_words = frozenset(w for w in terms.hint_words if w.isascii())
        roles = {c.role for c in concepts}
        # A storyline made only of topics (or only of names) has nothing to pair: its terms
        # are the subject and no angle is required.
        self._subject_role = "subject" if "subject" in roles else "angle"
        # An angle is required only when the definition declares one (topic entities, or
        # keywords beside core entities): keywords on their own are alternatives.
        self._needs_angle = "subject" in roles and "angle" in roles

    @classmethod
    def from_definition(
        cls,
        definition: StorylineDefinition,
        seed_texts: Sequence[str] = (),
        learned_texts: Sequence[str] = (),
    ) -> Matcher:
        """Compile the definition once; seeds and confidently matched texts sharpen it."""
        terms = build_terms(definition)
        names = [p.name for p in definition.seed_paths]
        if len(names) != len(seed_texts):
            names = [f"seed #{i + 1}" for i in range(len(seed_texts))]
        own = terms.own_features()
        seeds = [
            _Seed(name, Profile(_without(features(text), own)))
            for name, text in zip(names, seed_texts, strict=True)
            if text.strip()
        ]
        learned = learned_terms(learned_texts, terms.known_features())
        return cls(definition, terms, seeds, learned)

    def decide(self, title: str, text: str) -> MatchDecision:
        """Score one item; the reasons list every piece of evidence that moved the score."""
        original = fold_apostrophes(unicodedata.normalize("NFKC", f"{title}\n{text}"[:MAX_CHARS]))
        normalized = normalize(original)
        headline = title if names_something(title) else f"{title} {_first_sentence(text)}"
        title_key = _SEPARATORS_RE.sub("", fold_apostrophes(normalize(headline)))
        lead_end = len(normalize(title)) + 1 + LEAD_CHARS
        negative = self._negative.find(normalized, original)
        hits = self._positive.find(normalized, original, blocked=negative.spans)
        reasons: list[str] = []
        tally = _Tally()
        self._score_backbone(hits, title_key, lead_end, tally, reasons)
        self._score_context(hits, reasons, tally)
        item_features = (
            _item_features(original, normalized)
            if self._seeds or self._learned or self._en_words else None
        )
        self._score_description(normalized, hits.forms, item_features, reasons, tally)
        self._score_seeds(item_features, reasons, tally)
        self._score_learned(item_features, reasons, tally)
        self._score_negative(negative, title_key, tally, reasons)
        score = max(0.0, min(1.0, tally.points / FULL_POINTS))
        score = self._apply_gates(score, tally, reasons)
        return MatchDecision(
            storyline_id=self.definition.id,
            match=score >= self.threshold,
            score=round(score, 4),
            reasons=tuple(reasons),
        )

    def _score_backbone(
        self, hits: TermHits, title_key: str, lead_end: int, tally: _Tally, reasons: list[str]
    ) -> None:
        subject_points: list[float] = []
        angle_points: list[float] = []
        repeats = 0
        in_title = False
        for index, concept in enumerate(self.terms.concepts):
            role = "subject" if concept.role == self._subject_role else concept.role
            if role == "context":
                continue
            full, weak = hits.counts.get(index, 0), hits.counts.get(-1 - index, 0)
            if not full and not weak:
                continue
            forms = hits.forms.get(index, set()) | hits.forms.get(-1 - index, set())
            titled = any(canonical(f) in title_key for f in forms)
            alternative = concept.strong and (concept.weight < 1.0 or not self._needs_angle)
            base = (ALTERNATIVE if alternative else 2.0 if concept.strong else 1.0)
            points = base * concept.weight if full else base * concept.weight / 2
            first = min(hits.first(index, lead_end), hits.first(-1 - index, lead_end))
            if first >= lead_end:
                points *= BODY_ONLY  # named only further down: a mention, not the subject
            elif alternative and not titled and full + weak == 1:
                points *= LEAD_ONCE  # named once beside another subject: maybe a comparison
            (subject_points if role == "subject" else angle_points).append(points)
            if role == "subject":
                tally.subject = True
                tally.subject_full |= bool(full) and concept.strong
            else:
                tally.angle = True
                tally.angle_strong |= concept.strong
            # Repeats count in the lead: a long article names many things often further down.
            repeats += max(0, hits.before(index, lead_end) + hits.before(-1 - index, lead_end) - 1)
            in_title |= titled
            reasons.append(_describe(concept, full, weak, forms)
                           + (" (only past the lead)" if first >= lead_end else ""))
        for found, second in ((subject_points, 1.0), (angle_points, 0.5)):
            found.sort(reverse=True)
            if found:
                tally.points += found[0] + (second * min(1.0, found[1] / 2) if found[1:] else 0)
                # Each further keyword the item names corroborates a little: an article
                # naming four of the storyline's words is about it, wherever they appear.
                tally.points += min(MORE_CAP, MORE_EACH * len(found[2:]))
        bonus = min(1.0, 0.2 * repeats) + (0.5 if in_title else 0.0)
        tally.points += bonus if (subject_points or angle_points) else 0.0
        tally.in_title = in_title

    def _score_context(self, hits: TermHits, reasons: list[str], tally: _Tally) -> None:
        found = []
        for index, concept in enumerate(self.terms.concepts):
            count = hits.counts.get(index, 0)
            if concept.role == "context" and self._subject_role == "subject" and count:
                found.append(concept.label + _times(count))
        if found:
            # Context corroborates an item about the storyline; beside a keyword the title
            # does not name, it counts half: the same company's other news names it too.
            each = 0.5 if tally.in_title or self._needs_angle else 0.25
            tally.points += min(3 * each, each * len(found))
            reasons.append("context: " + ", ".join(found))

    def _score_description(
        self,
        normalized: str,
        matched: dict[int, set[str]],
        item_features: Counter[str] | None,
        reasons: list[str],
        tally: _Tally,
    ) -> None:
        # A hint inside a term already counted ("export" in "export controls") adds nothing.
        counted = " ".join(form for forms in matched.values() for form in forms)
        present = [w for w in self._ja_words if w in normalized and w not in counted]
        if item_features is not None:
            counted_stems = {stem(w) for w in _WORD_RE.findall(counted)}
            present += sorted(w for w in self._en_words
                              if w in item_features and w not in counted_stems)
        if present:
            tally.points += min(0.9, 0.3 * len(present))
            # Description words are generic ("model", "customer"): two of them only hint at
            # the angle when one is a part of a main angle term ("export" of "export control").
            parts = sum(1 for w in present if w in self._angle_parts)
            tally.angle_hint |= len(present) >= HINTS_FOR_ANGLE or (len(present) >= 2 and parts > 0)
            reasons.append("related terms: " + ", ".join(present))

    def _score_negative(
        self, negative: TermHits, title_key: str, tally: _Tally, reasons: list[str]
    ) -> None:
        """Look-alike markers weigh like the storyline's own terms: more when repeated or in
        the title, because an item that keeps naming "Haiku 5" is about Haiku 5."""
        repeats = 0
        for term_id in sorted(negative.counts):
            count = negative.counts[term_id]
            in_title = any(canonical(f) in title_key for f in negative.forms[term_id])
            repeats += count - 1
            tally.points -= NEGATIVE_EACH + (NEGATIVE_TITLE if in_title else 0.0)
            tally.negative = True
            reasons.append(f'negative term "{self.terms.negative[term_id]}"' + _times(count)
                           + (" (in title)" if in_title else ""))
        tally.points -= min(NEGATIVE_REPEAT_CAP, NEGATIVE_REPEAT * repeats)

    def _score_seeds(
        self, item_features: Counter[str] | None, reasons: list[str], tally: _Tally
    ) -> None:
        if not self._seeds or item_features is None:
            return
        profile = Profile(_without(item_features, self._own_features))
        best_name, best = max(
            ((s.name, s.profile.cosine(profile)) for s in self._seeds), key=lambda p: p[1]
        )
        if best < SEED_FLOOR:
            return
        share = min(1.0, (best - SEED_FLOOR) / (SEED_FULL - SEED_FLOOR))
        tally.points += SEED_POINTS * share
        tally.angle_hint |= share >= 0.5
        reasons.append(f"similar to seed {best_name} ({best:.2f})")

    def _score_learned(
        self, item_features: Counter[str] | None, reasons: list[str], tally: _Tally
    ) -> None:
        if not self._learned or item_features is None:
            return
        present = [t for t in self._learned if t in item_features]
        if not present:
            return
        if not tally.subject:
            return  # learned terms only sharpen existing core evidence (no drift)
        tally.points += min(LEARNED_CAP, LEARNED_EACH * len(present))
        reasons.append("learned terms: " + ", ".join(present[:8]))

    def _apply_gates(self, score: float, tally: _Tally, reasons: list[str]) -> float:
        if not tally.subject:
            if score > NO_SUBJECT_CAP:
                examples = self._examples(self._subject_role)
                reasons.append(f"no {self._subject_role} term ({examples})"
                               f": capped at {NO_SUBJECT_CAP:.2f}")
            return min(score, NO_SUBJECT_CAP)
        has_angle = tally.angle or tally.angle_hint
        if not tally.subject_full and not tally.angle_strong:
            has_angle = False  # a bare name ("Fable") needs the storyline's main angle
        cap = max(0.0, self.threshold - NO_ANGLE_MARGIN)
        if self._needs_angle and not has_angle and score > cap:
            reasons.append(f"no angle term ({self._examples('angle')}): capped at {cap:.2f}")
            return cap
        if self._needs_angle and tally.negative and not tally.angle and score > cap:
            # Hints and seed similarity are fuzzy; a look-alike marker the user wrote down is
            # not. Against it, only an angle term the definition names can carry the match.
            reasons.append(f"negative term and no angle term ({self._examples('angle')})"
                           f": capped at {cap:.2f}")
            return cap
        return score

    def _examples(self, role: str) -> str:
        labels = [c.label for c in self.terms.concepts if c.role == role and c.strong]
        labels = labels or [c.label for c in self.terms.concepts if c.role == role]
        shown = ", ".join(labels[:3])
        return shown + (", …" if len(labels) > 3 else "")


def names_something(title: str) -> bool:
    """Whether a title names anyone or anything (past its first word, which is capitalised
    anyway): "Rebels take Brega" does, "Daily update" and "Live: latest news" do not."""
    return bool(_TITLE_NAME_RE.search(title.strip()))


def _item_features(original: str, normalized: str) -> Counter[str]:
    """`features(original)`, reusing `normalized` (= `normalize(original)`) when `features`
    would not cut the text first, which is always but for pages past `MAX_TEXT` characters."""
    if len(original) <= MAX_TEXT:
        return normalized_features(normalized)
    return features(original)


def _first_sentence(text: str) -> str:
    """A title that names nothing ("Daily update") says little of the subject; the first
    sentence of the text stands beside it."""
    sentences = split_sentences(text[:FIRST_SENTENCE_CHARS])
    return sentences[0] if sentences else ""


def _without(counts: Counter[str], own: frozenset[str]) -> Counter[str]:
    kept = list(itertools.filterfalse(own.__contains__, counts))  # in order, in C
    return Counter(dict(zip(kept, map(counts.__getitem__, kept), strict=True)))


def _times(count: int) -> str:
    return f" ×{count}" if count > 1 else ""


def _describe(concept: Concept, full: int, weak: int, forms: set[str]) -> str:
    label = f"entity {concept.label}" if concept.from_entity else f'keyword "{concept.label}"'
    others = sorted(f for f in forms if canonical(f) != canonical(concept.label))
    text = label + _times(full + weak)
    if others and full:
        text += f" (alias {', '.join(others)})"
    elif weak and not full:
        text += f' (only as "{", ".join(others)}", half weight)'
    return text
