"""The articles under `tests/fixtures/stories/`: a TOML header (title, published, the
expectations the story tests check) above `+++`, then the body."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from digests.models import ParsedEntry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


def load_fixture(name: str) -> tuple[dict[str, Any], str]:
    _, header, body = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8").split("+++\n", 2)
    return tomllib.loads(header), body


def fixture_entry(name: str) -> ParsedEntry:
    """The fixture as a parsed feed entry with a stable guid and URL."""
    meta, body = load_fixture(name)
    return ParsedEntry(
        guid=name, url=f"https://news.example/{name}", title=meta["title"], text=body,
        published=dt.datetime.fromisoformat(meta["published"]),
    )
