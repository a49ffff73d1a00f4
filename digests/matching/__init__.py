"""Storyline matching: does an item belong to a storyline, and why (pure, no I/O)."""

from digests.matching.evaluation import EvalCase, MatchingScores, evaluate, parse_cases
from digests.matching.matcher import DEFAULT_THRESHOLD, Matcher

__all__ = ["DEFAULT_THRESHOLD", "EvalCase", "Matcher", "MatchingScores", "evaluate", "parse_cases"]
