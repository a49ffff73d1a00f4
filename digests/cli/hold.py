"""`storyline run --hold-on-config-error`: after a configuration error, wait instead of exiting.

A supervisor that restarts a process whenever it exits (Docker's `restart: unless-stopped`)
turns a configuration error, which no restart can fix, into an endless restart loop that buries
the one line saying what is wrong. Docker's other choice, `on-failure:N`, stops looping but
also does not start the container again after an orderly reboot or daemon restart. So the
image keeps `unless-stopped` and the process holds instead: it prints the error once, says how
to go on, and waits for SIGTERM (`docker stop`, or compose recreating the container after the
fix), then exits with the configuration error's status 2. The health check reports the
same error meanwhile (`health_probe.py`).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import TextIO

HOLD_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


def wait_for_stop() -> None:
    """Block until SIGTERM or SIGINT arrives (no handler runs; the signal is consumed)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, HOLD_SIGNALS)
    signal.sigwait(HOLD_SIGNALS)


def hold_after_config_error(err: TextIO, wait: Callable[[], None] | None = None) -> None:
    print("storyline run: holding after a configuration error so the container is not "
          "restarted in a loop; fix it, then recreate the container (docker compose up -d)",
          file=err, flush=True)
    (wait or wait_for_stop)()
    print("storyline run: stopped", file=err, flush=True)
