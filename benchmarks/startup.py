"""Start-up of the `storyline` command: `--help`, `who-said`, `timeline --json` as processes.

Run with `.venv/bin/python benchmarks/startup.py [--runs N] [--code DIR ...]`. Offline: each
checkout gets its own store, filled by its own `storyline demo` (not timed). Every command is
a fresh process; printed are the median wall-clock and CPU time (user + system) of `--runs`
runs, the floors every checkout shares (the interpreter alone, `import sqlite_utils`), and
the modules `who-said` imports that cost the most (`python -X importtime`).
`--code DIR` (repeatable) measures another checkout beside this one, alternating between
them, so before/after figures share the machine's load (see `end_to_end.py`).
Our own modules are compiled in memory at every start unless `--bytecode` (the environment
sets PYTHONDONTWRITEBYTECODE and the image ships no bytecode, see the Dockerfile); with it,
each checkout's bytecode is kept in a temporary folder (PYTHONPYCACHEPREFIX), as after an
ordinary `pip install`.
Prints figures; asserts nothing. Target (issue 14): a lookup command starts in < 0.25 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def timed(
    command: list[str], env: dict[str, str]
) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run in the checkout's own folder: `python -m` puts the working directory first."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=env["PYTHONPATH"], capture_output=True,
                          text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


def storyline(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "digests.cli.main", "--config", str(HERE / "config"),
            "--db", str(db), *args]


def slowest_imports(command: list[str], env: dict[str, str], count: int = 6) -> list[str]:
    """The modules with the largest cumulative import time, as `-X importtime` reports."""
    done = subprocess.run([command[0], "-X", "importtime", *command[1:]], env=env,
                          cwd=env["PYTHONPATH"], capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 1:
                rows.append((int(parts[1]), name.strip()))
    rows.sort(reverse=True)
    return [f"{name} {micros / 1000:.0f} ms" for micros, name in rows[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--code", type=Path, action="append")
    parser.add_argument("--bytecode", action="store_true",
                        help="keep each checkout's bytecode between runs")
    options = parser.parse_args()
    codes = [path.resolve() for path in (options.code or [HERE])]
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}; our modules "
          + ("from kept bytecode" if options.bytecode else "compiled at every start"),
          flush=True)
    with tempfile.TemporaryDirectory() as folder:
        envs = {code: {**os.environ, "PYTHONPATH": str(code)} for code in codes}
        if options.bytecode:
            for n, code in enumerate(codes):
                envs[code].pop("PYTHONDONTWRITEBYTECODE", None)
                envs[code]["PYTHONPYCACHEPREFIX"] = str(Path(folder) / f"bytecode{n}")
        dbs = {code: Path(folder) / f"store{n}.db" for n, code in enumerate(codes)}
        for code in codes:  # not timed; with --bytecode, also writes the bytecode
            timed(storyline(dbs[code], "demo"), envs[code])
            timed(storyline(dbs[code], "timeline", "--storyline", "fable"), envs[code])
        commands: dict[str, Callable[[Path], list[str]]] = {
            "--help": lambda db: storyline(db, "--help"),
            # A fragment of a quote the demo holds: the answer path, not "no quote found".
            "who-said": lambda db: storyline(db, "who-said",
                                             "public model could be turned against"),
            "timeline --json": lambda db: storyline(db, "timeline", "--storyline", "fable",
                                                    "--json"),
        }
        for label, build in commands.items():
            walls: dict[Path, list[float]] = {code: [] for code in codes}
            cpus: dict[Path, list[float]] = {code: [] for code in codes}
            for _ in range(options.runs):
                for code in codes:
                    wall, cpu, _ = timed(build(dbs[code]), envs[code])
                    walls[code].append(wall)
                    cpus[code].append(cpu)
            for code in codes:
                print(f"{label:16} [{code}]: {statistics.median(walls[code]):.3f} s wall, "
                      f"{statistics.median(cpus[code]):.3f} s CPU (median of {options.runs})",
                      flush=True)
        # Floors every checkout shares: the interpreter, and the store's library (which
        # itself imports numpy, click and pluggy).
        for label, code_line in (("python (nothing)", "pass"),
                                 ("import sqlite_utils", "import sqlite_utils")):
            cpus_floor = [timed([sys.executable, "-c", code_line], envs[codes[0]])[1]
                          for _ in range(options.runs)]
            print(f"{label:20}: {statistics.median(cpus_floor):.3f} s CPU (median)")
        for code in codes:
            imports = slowest_imports(storyline(dbs[code], "who-said", "model"), envs[code])
            print(f"who-said's largest imports [{code}]: " + "; ".join(imports))


if __name__ == "__main__":
    main()
