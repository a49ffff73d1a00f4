"""Hostile feed text is rendered inert: no mentions, no masked links, no Markdown, no bad URLs."""

from __future__ import annotations

import re

import pytest

from digests.digest.escaping import ZWSP, escape, link, safe_url


@pytest.mark.parametrize(
    ("raw", "must_not_contain"),
    [
        ("Ping @everyone now", "@everyone"),
        ("Ping @here now", "@here"),
        ("@EVERYONE shouting", "@EVERYONE"),
        ("role <@&123456789012345678> ping", "<@&"),
        ("user <@123456789012345678>", "<@1"),
        ("nick <@!123456789012345678>", "<@!"),
        ("channel <#123456789012345678>", "<#"),
        ("[click](javascript:alert(1))", "[click]("),
        ("[bank](https://evil.example)", "[bank]("),
        ("**bold** __under__ ~~strike~~ ||spoiler||", "**"),
        ("`code` and ```block```", "``"),
    ],
)
def test_hostile_text_is_inert(raw: str, must_not_contain: str) -> None:
    assert must_not_contain not in escape(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain words", "plain words"),
        ("a*b", "a\\*b"),
        ("x_y", "x\\_y"),
        ("1 > 0", "1 \\> 0"),
        ("# Header", "\\# Header"),
        ("- item", "\\- item"),
        ("-# subtext", "\\-\\# subtext"),
        ("line\nbreak\ttab", "line break tab"),
        ("bell\x07 and rtl\u202e", "bell and rtl"),
        ("@everyone", "@" + ZWSP + "everyone"),
    ],
)
def test_escape_exact(raw: str, expected: str) -> None:
    assert escape(raw) == expected


def test_markdown_bomb_has_no_unescaped_markdown() -> None:
    bomb = "*" * 500 + "_" * 500 + "~" * 100 + "|" * 100 + "`" * 100
    escaped = escape(bomb)
    assert len(escaped) == 2 * len(bomb)
    assert all(pair == "\\" + pair[1] for pair in re.findall(r"..", escaped))


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com/a?b=c", True),
        ("http://example.com", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html;base64,xx", False),
        ("file:///etc/passwd", False),
        ("/relative/path", False),
        ("https://example.com/a b", False),
        ("https://example.com/a)b", False),
        ("https:///nohost", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_urls_are_linked(url: str | None, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe
    rendered = link("label", url)
    assert rendered.startswith("[label](") is safe


def test_link_label_is_escaped() -> None:
    assert link("[x](https://evil) @here", "https://ok.example") == (
        "[\\[x\\]\\(https://evil\\) @" + ZWSP + "here](https://ok.example)"
    )
