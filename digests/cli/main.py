"""The `storyline` command: argument parsing, configuration, one-line errors.

Each command lives in its own module exposing `register(subparsers)`; handlers take the parsed
arguments and a `CliContext` and return an exit status.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sqlite3
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TextIO

from digests.cli import (
    classify_cmd,
    demo_cmd,
    digest_cmd,
    eval_cmd,
    feeds_cmd,
    health_cmd,
    ingest_cmd,
    items_cmd,
    lookup_cmds,
    poll_cmd,
    run_cmd,
    subscriptions_cmd,
)
from digests.cli.context import CliContext, CliError
from digests.cli.hold import hold_after_config_error
from digests.config import ConfigError, load_settings, load_storylines

COMMAND_MODULES: tuple[ModuleType, ...] = (
    demo_cmd,
    ingest_cmd,
    poll_cmd,
    feeds_cmd,
    items_cmd,
    classify_cmd,
    lookup_cmds,
    digest_cmd,
    subscriptions_cmd,
    eval_cmd,
    run_cmd,
    health_cmd,
)

DESCRIPTION = """\
Storyline follows a news storyline across RSS/Atom feeds: it stores coverage in SQLite,
decides which items belong to each tracked storyline, folds duplicate copies into stories,
builds a dated timeline and a who-said-what index, and posts daily digests to Discord.
"""

EPILOG = """\
Configuration comes from CONFIG/storyline.toml and CONFIG/storylines/*.toml; every global
setting can be overridden with a STORYLINE_* environment variable (see docs/configuration.md).
Run `storyline COMMAND --help` for a command's options.
"""


def default_config_dir(env: Mapping[str, str] | None = None) -> Path:
    return Path((os.environ if env is None else env).get("STORYLINE_CONFIG", "config"))


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", type=Path, default=argparse.SUPPRESS,
        help="SQLite database file (default: `database` from the config, storyline.db)",
    )
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS,
        help="configuration folder (default: $STORYLINE_CONFIG or ./config)",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
        help="show debug logs and full error details",
    )
    parser = argparse.ArgumentParser(
        prog="storyline", description=DESCRIPTION, epilog=EPILOG, parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers, common)
    return parser


def _configure_logging(level: str, verbose: bool, stream: TextIO) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=stream,
        force=True,
    )
    # Third-party chatter stays at WARNING unless the user asks for details.
    for name in ("httpx", "httpcore", "apscheduler", "discord"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    env: dict[str, str] | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = bool(getattr(args, "verbose", False))
    config_dir: Path = getattr(args, "config", None) or default_config_dir(env)
    context: CliContext | None = None
    try:
        settings = load_settings(config_dir, os.environ if env is None else env)
        if getattr(args, "db", None) is not None:
            settings = dataclasses.replace(settings, database=args.db)
        _configure_logging(settings.log_level, verbose, err)
        storylines = load_storylines(settings.storylines_dir)
        context = CliContext(
            settings=settings, storylines=storylines, out=out, err=err, verbose=verbose,
            environ=dict(os.environ if env is None else env),
        )
        status: int = args.handler(args, context)
        return status
    except (ConfigError, CliError) as exc:
        print(f"storyline: error: {exc}", file=err)
        if isinstance(exc, ConfigError) and getattr(args, "hold_on_config_error", False):
            hold_after_config_error(err)
        return 2 if isinstance(exc, ConfigError) else 1
    except KeyboardInterrupt:
        print("storyline: interrupted", file=err)
        return 130
    except sqlite3.Error as exc:
        # A file that is not a database, a locked or read-only one, a full disk: the user
        # needs the file's name and SQLite's words, not an exception type.
        where = context.settings.database if context is not None else "the database"
        print(f"storyline: error: {where}: {exc}", file=err)
        if verbose:
            traceback.print_exc(file=err)
        return 1
    except OSError as exc:
        target = f"{exc.filename}: " if exc.filename else ""
        print(f"storyline: error: {target}{exc.strerror or exc}", file=err)
        if verbose:
            traceback.print_exc(file=err)
        return 1
    except Exception as exc:  # the last line of defence: one line, details on request
        print(f"storyline: error: {type(exc).__name__}: {exc}", file=err)
        if verbose:
            traceback.print_exc(file=err)
        else:
            print("storyline: run again with --verbose for details", file=err)
        return 1
    finally:
        if context is not None:
            context.close()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
