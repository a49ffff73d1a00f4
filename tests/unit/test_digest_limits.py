"""Every Discord limit, hit exactly (accepted) and by one more (rejected); word-safe shortening."""

from __future__ import annotations

import pytest

from digests.digest.limits import (
    CONTENT_MAX,
    EMBED_DESCRIPTION_MAX,
    EMBED_FIELDS_MAX,
    EMBED_TITLE_MAX,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FOOTER_MAX,
    MESSAGE_EMBED_CHARS_MAX,
    shorten,
    violations,
)
from digests.models import EmbedField, EmbedSpec, MessageSpec


def content(n: int) -> MessageSpec:
    return MessageSpec(content="x" * n)


def embeds(n: int) -> MessageSpec:
    return MessageSpec(embeds=tuple(EmbedSpec(title="t") for _ in range(n)))


def title(n: int) -> MessageSpec:
    return MessageSpec(embeds=(EmbedSpec(title="x" * n),))


def description(n: int) -> MessageSpec:
    return MessageSpec(embeds=(EmbedSpec(title="", description="x" * n),))


def fields(n: int) -> MessageSpec:
    return MessageSpec(
        embeds=(EmbedSpec(title="", fields=tuple(EmbedField("n", "v") for _ in range(n))),)
    )


def field_name(n: int) -> MessageSpec:
    return MessageSpec(embeds=(EmbedSpec(title="", fields=(EmbedField("x" * n, "v"),)),))


def field_value(n: int) -> MessageSpec:
    return MessageSpec(embeds=(EmbedSpec(title="", fields=(EmbedField("n", "x" * n),)),))


def footer(n: int) -> MessageSpec:
    return MessageSpec(embeds=(EmbedSpec(title="", footer="x" * n),))


def total(n: int) -> MessageSpec:
    """`n` characters spread over two embeds' descriptions (each under its own limit)."""
    half = n // 2
    return MessageSpec(
        embeds=(
            EmbedSpec(title="", description="x" * half),
            EmbedSpec(title="", description="x" * (n - half)),
        )
    )


LIMITS = [
    (content, CONTENT_MAX, "content"),
    (embeds, EMBEDS_PER_MESSAGE, "embeds"),
    (title, EMBED_TITLE_MAX, "title"),
    (description, EMBED_DESCRIPTION_MAX, "description"),
    (fields, EMBED_FIELDS_MAX, "fields"),
    (field_name, FIELD_NAME_MAX, "field name"),
    (field_value, FIELD_VALUE_MAX, "field value"),
    (footer, FOOTER_MAX, "footer"),
    (total, MESSAGE_EMBED_CHARS_MAX, "total"),
]


@pytest.mark.parametrize(("make", "limit", "what"), LIMITS, ids=[w for *_, w in LIMITS])
def test_limit_exactly_is_accepted(make: object, limit: int, what: str) -> None:
    assert callable(make)
    assert violations(make(limit)) == []


@pytest.mark.parametrize(("make", "limit", "what"), LIMITS, ids=[w for *_, w in LIMITS])
def test_limit_plus_one_is_rejected(make: object, limit: int, what: str) -> None:
    assert callable(make)
    problems = violations(make(limit + 1))
    assert len(problems) == 1 and what in problems[0]


def test_discord_numbers() -> None:
    # The published limits; a change here must be a deliberate edit with a source.
    assert (CONTENT_MAX, EMBEDS_PER_MESSAGE, EMBED_TITLE_MAX, EMBED_DESCRIPTION_MAX) == (
        2000, 10, 256, 4096)
    assert (EMBED_FIELDS_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX, FOOTER_MAX) == (25, 256, 1024, 2048)
    assert MESSAGE_EMBED_CHARS_MAX == 6000


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly ten", 11, "exactly ten"),
        ("one two three four", 12, "one two…"),
        ("one two three four", 14, "one two three…"),
        ("see [the report](https://a.example/x) now", 30, "see…"),
        ("[the report](https://a.example/x) now", 20, "the report now"),
        ("[the report](https://a.example/x) and more", 14, "the report…"),
        ("[the report](https://a.example/x) now", 36, "[the report](https://a.example/x)…"),
        ("supercalifragilistic", 10, "supercali…"),
        ("abc\\*def", 5, "abc…"),
        ("anything", 1, "…"),
    ],
)
def test_shorten_cuts_at_word_boundaries_never_inside_links(
    text: str, limit: int, expected: str
) -> None:
    result = shorten(text, limit)
    assert result == expected
    assert len(result) <= limit
