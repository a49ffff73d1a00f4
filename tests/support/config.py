"""A configuration folder with one minimal storyline, for CLI tests that need any config."""

from __future__ import annotations

from pathlib import Path

DEMO_STORYLINE = (
    'id = "demo"\nname = "Demo"\ndescription = "A demo storyline."\nkeywords = ["demo"]\n'
)


def demo_config(tmp_path: Path) -> Path:
    """`tmp_path/config` holding `storylines/demo.toml` and no settings file."""
    folder = tmp_path / "config"
    (folder / "storylines").mkdir(parents=True)
    (folder / "storylines" / "demo.toml").write_text(DEMO_STORYLINE, encoding="utf-8")
    return folder
