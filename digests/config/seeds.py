"""The texts of a storyline's seed documents (`seeds = [...]` in its file), read from disk.

Configuration names the files and checks they exist when it is loaded; this reads them when
a matcher is built. It lives beside the loader rather than in the pipeline, so the engine's
orchestrator does no file I/O of its own.
"""

from __future__ import annotations

import logging

from digests.models import StorylineDefinition

log = logging.getLogger(__name__)


def read_seed_texts(definition: StorylineDefinition) -> list[str]:
    """Every seed file's text; one that cannot be read any more is logged and left out."""
    texts = []
    for path in definition.seed_paths:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError as exc:
            log.warning("storyline %s: cannot read seed %s: %s", definition.id, path, exc)
    return texts
