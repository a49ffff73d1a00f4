"""Reading requirements.lock (pip-compile output): the image's exact versions and hashes.

Used by `tests/unit/test_packaging.py` (the lock covers every dependency, each pinned with
hashes) and by `docker_check.py` (the image holds exactly these versions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    hashes: tuple[str, ...]


def normalise(name: str) -> str:
    """PEP 503: `Discord.py` and `discord-py` are the same project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> list[Pin]:
    """Each requirement with the hashes on its continuation lines."""
    pins: list[Pin] = []
    name = version = None
    hashes: list[str] = []
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        match = PIN.match(line)
        if match or not line or (line.startswith("#") and not raw.startswith(" ")):
            if name is not None and version is not None:
                pins.append(Pin(normalise(name), version, tuple(hashes)))
            name = version = None
            hashes = []
        if match:
            name, version = match.group(1), match.group(2)
        hashes.extend(re.findall(r"--hash=(sha256:[0-9a-f]{64})", line))
    return pins


def locked_versions(path: Path) -> dict[str, str]:
    return {pin.name: pin.version for pin in read_lock(path)}
