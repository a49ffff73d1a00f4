"""What every slash command needs, handed in once instead of read from globals.

Commands close over one `BotServices`; tests build it over a real SQLite store and a fixed
clock, so nothing in `bot/` reads the environment, the wall clock or a config singleton.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.errors import UserError
from digests.config import Settings, StorylineDefinition
from digests.store.lookups import Lookups


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class BotServices:
    """The store, the read API, the storylines and the clock, shared by every command."""

    db: Any  # sqlite_utils.Database; typed loosely so only `digests.store` imports sqlite_utils
    storylines: Sequence[StorylineDefinition]
    settings: Settings
    clock: Callable[[], dt.datetime] = utc_now
    on_subscriptions_changed: Callable[[], None] | None = None
    lookups: Lookups = field(init=False)

    def __post_init__(self) -> None:
        self.lookups = Lookups(self.db, self.storylines)

    def subscriptions_changed(self) -> None:
        """Tell the scheduler to re-read follows (new, moved or removed digest crons)."""
        if self.on_subscriptions_changed is not None:
            self.on_subscriptions_changed()

    def storyline(self, storyline_id: str) -> StorylineDefinition:
        """The definition for a typed id, or a `UserError` naming the known ones."""
        wanted = storyline_id.strip().lower()
        for definition in self.storylines:
            if definition.id == wanted:
                return definition
        known = ", ".join(d.id for d in self.storylines) or "none configured"
        raise UserError(f"Unknown storyline `{wanted[:64]}`. Known: {known}.")

    def default_storyline(self, storyline_id: str | None) -> StorylineDefinition:
        """An explicit id, or the only configured storyline when there is just one."""
        if storyline_id:
            return self.storyline(storyline_id)
        if len(self.storylines) == 1:
            return self.storylines[0]
        if not self.storylines:
            raise UserError("No storylines are configured yet.")
        raise UserError("Several storylines are tracked: pick one with the `storyline` option.")
