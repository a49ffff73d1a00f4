"""A parent that keeps engine workers busy forever and prints their pids (and the resource
tracker's) as one JSON line; the test kills it with SIGKILL and watches the rest go."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import multiprocessing
import sys
from collections.abc import Iterator
from multiprocessing import resource_tracker

from digests.analysis import Analyzer
from digests.analysis_pool import analysed_batches
from digests.models import Item


def endless() -> Iterator[list[Item]]:
    fetched = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    for n in itertools.count():
        yield [Item(id=f"i{n}", feed_url="file:///probe", guid=None, url=None,
                    title=f"Probe {n}", text="The ferry service changed its timetable. " * 20,
                    language="en", published=None, fetched=fetched, content_hash=str(n))]


def main() -> None:
    announced = False
    for _ in analysed_batches(Analyzer([]), endless(), workers=2):
        if not announced:
            pids = [p.pid for p in multiprocessing.active_children()]
            tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
            print(json.dumps({"workers": pids, "tracker": tracker}), flush=True)
            announced = True
    sys.exit(0)


if __name__ == "__main__":
    main()
