"""A minimal storyline through the real `storyline ingest`: later coverage that names none of
its keywords joins it through the names its first items taught, and `explain` says so.

Two made-up storylines of the same kind (two sieges in one region, one week apart in the same
feed) check that the learned names stay with their own storyline.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

from tests.support.cli import run_cli

SIEGE = """id = "darrow"
name = "Siege of Darrow"
description = "The siege of Darrow by the northern army and the relief of the city."
keywords = ["Darrow", "siege of Darrow"]
"""
FLOOD = """id = "orrin"
name = "Orrin floods"
description = "The spring floods along the Orrin river."
keywords = ["Orrin", "flood"]
"""

# (day, guid, title, text); the last three items name neither storyline's keywords.
ITEMS = [
    (0, "s1", "Northern army closes the roads into Darrow",
     "Troops under General Vask cut the Kessa road; Darrow's mayor Ilse Brandt calls for aid."),
    (1, "f1", "Orrin breaks its banks at Marvale",
     "The Orrin flooded the lower town of Marvale overnight; the Tolven dam and the Ardley "
     "bridge hold."),
    (2, "s2", "Darrow rations bread as the siege tightens",
     "Mayor Ilse Brandt says the Kessa road stays shut while General Vask's guns fire."),
    (3, "f2", "Marvale counts the cost as the Orrin recedes",
     "Engineers at the Tolven dam say the Orrin will fall below Marvale and the Ardley bridge "
     "by Friday."),
    (4, "s3", "General Vask offers terms; Brandt refuses",
     "Ilse Brandt rejected the surrender terms on the Kessa road, witnesses said."),
    (5, "f3", "Tolven dam engineers open the spillway above Marvale",
     "Water released at Tolven will lower the lake under the Ardley bridge before the rains."),
    (6, "f4", "Lorries cross again as the bridge reopens",
     "Lorries crossed the Ardley bridge again on Sunday morning."),
]


def write_feed(path: Path) -> None:
    start = dt.datetime(2031, 4, 1, 9, tzinfo=dt.UTC)
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://news.example/{guid}</link>"
        f"<guid>{guid}</guid>"
        f"<pubDate>{email.utils.format_datetime(start + dt.timedelta(days=day))}</pubDate>"
        f"<description>{escape(text)}</description></item>"
        for day, guid, title, text in ITEMS
    )
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
                    f"<link>https://news.example/</link>{entries}</channel></rss>",
                    encoding="utf-8")


def test_coverage_without_keywords_joins_through_learned_names(tmp_path: Path) -> None:
    config = tmp_path / "config"
    (config / "storylines").mkdir(parents=True)
    (config / "storyline.toml").write_text("engine_workers = 1\n", encoding="utf-8")
    (config / "storylines" / "darrow.toml").write_text(SIEGE, encoding="utf-8")
    (config / "storylines" / "orrin.toml").write_text(FLOOD, encoding="utf-8")
    feed = tmp_path / "wire.xml"
    write_feed(feed)
    db = tmp_path / "store.db"
    common = ("--config", str(config), "--db", str(db))

    status, _, err = run_cli("ingest", str(feed), *common)
    assert status == 0, err
    status, out, err = run_cli("items", "--json", "--limit", "20", *common)
    assert status == 0, err
    items = {row["url"].rsplit("/", 1)[-1]: row
             for row in map(json.loads, out.splitlines())}

    def storylines_of(guid: str) -> set[str]:
        status, out, err = run_cli("explain", items[guid]["id"], *common)
        assert status == 0, err
        return {line.split()[0].strip("[]") for line in out.splitlines()
                if line.strip().startswith("[") and "] MATCH" in line}

    assert storylines_of("s1") == {"darrow"}
    assert storylines_of("f1") == {"orrin"}
    # No keyword in either: the names their storyline's earlier items share carry them.
    assert storylines_of("s3") == {"darrow"}
    assert storylines_of("f3") == {"orrin"}
    # One learned name alone is not enough: a bridge reopening may be any town's news.
    assert storylines_of("f4") == set()

    status, out, err = run_cli("explain", items["s3"]["id"], *common)
    assert status == 0, err
    assert "names what this storyline's recent items name" in out
    assert "brandt" in out and "vask" in out
    status, out, err = run_cli("explain", items["f4"]["id"], *common)
    assert status == 0, err
    # How close it came, in explain: one learned name, less than is needed.
    assert re.search(r"recent items name: ardley \(learned evidence 0\.\d, 1\.2 needed\)", out)
