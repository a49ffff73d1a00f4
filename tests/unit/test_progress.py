"""Progress output on stderr for long CLI work, and the engine's bar for backfills."""

from __future__ import annotations

import io

from digests.service.progress import MIN_ITEMS_FOR_ENGINE_BAR, Progress, engine_progress


def test_a_log_gets_a_line_per_tenth_not_per_item() -> None:
    stream = io.StringIO()
    bar = Progress(100, stream, "poll")
    for _ in range(100):
        bar.advance("feed")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 11  # 0/10 … 10/10
    assert lines[-1].startswith("poll [" + "#" * 30 + "] 100/100")


def test_the_engine_bar_advances_by_batches_and_only_for_backfills() -> None:
    assert engine_progress(MIN_ITEMS_FOR_ENGINE_BAR - 1, io.StringIO()) is None
    stream = io.StringIO()
    report = engine_progress(250, stream)
    assert report is not None
    for batch in [25] * 10:
        report(batch)
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("engine [") and "250/250 items analysed and stored" in lines[-1]
    assert len(lines) == 10
