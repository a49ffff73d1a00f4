"""Driving the real `storyline` entry point in-process, with captured streams."""

from __future__ import annotations

import io

from digests.cli.main import main


def run_cli(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Exit status, stdout and stderr; the environment is empty unless given, so a developer's
    own STORYLINE_* variables never leak into a test."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err, env=env or {})
    return status, out.getvalue(), err.getvalue()
