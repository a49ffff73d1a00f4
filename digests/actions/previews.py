"""What a digest preview (`/digest`) needs from the ledger: where the channel's last digest ended.

The preview starts there, as the next scheduled digest will (`delivery.digest_job`), so the
shell asks this instead of opening the ledger itself.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from digests.store.ledger import DigestLedger


def last_digest_end(db: sqlite_utils.Database, storyline_id: str,
                    channel_id: int) -> dt.datetime | None:
    """The end of the last digest of `storyline_id` recorded for `channel_id`, if any."""
    return DigestLedger(db).last_period_end(storyline_id, channel_id)
