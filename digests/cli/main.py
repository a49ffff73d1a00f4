"""The `storyline` command: argument parsing, configuration, one-line errors.

Each command lives in its own module exposing `register(subparsers)`; handlers take the parsed
arguments and a `CliContext` and return an exit status.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import logging
import os
import sqlite3
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from digests.cli.context import CliContext, CliError

# Each command: the module that registers it, and the one-line summary `storyline --help`
# lists. Only the invoked command's module is imported: the engine, httpx, numpy, trafilatura
# and discord.py cost more than a lookup does (issue 14: `who-said` spent 0.5 s of 0.54 s
# importing every command), and the top-level help is printed from this table alone (building
# every command's parser had made `storyline --help` the slowest command of all). A test
# checks the table against what the modules register, summaries included.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo_cmd",
             "ingest the bundled demo material and print the digest the bot would post"),
    "ingest": ("ingest_cmd",
               "store items from feed URLs, local feed files or local article files"),
    "poll": ("poll_cmd", "fetch every feed once and report per-feed results"),
    "feeds": ("feeds_cmd", "list feeds with status, errors and next poll"),
    "items": ("items_cmd", "list stored items, newest first"),
    "classify": ("classify_cmd", "decide whether JSON lines belong to a storyline"),
    "explain": ("classify_cmd", "show why a stored item was (not) matched"),
    "stories": ("lookup_cmds", "a storyline's stories with all their sources"),
    "timeline": ("lookup_cmds", "a storyline's dated events with sources"),
    "who-said": ("lookup_cmds", "find who said a quote from a fragment"),
    "quotes": ("lookup_cmds", "what a person said"),
    "digest": ("digest_cmd", "build a storyline's digest (print or post)"),
    "subscriptions": ("subscriptions_cmd", "list follows with status and last error"),
    "follow": ("subscriptions_cmd", "send a storyline's daily digest to a channel"),
    "unfollow": ("subscriptions_cmd", "stop a storyline's digest in a channel"),
    "eval": ("eval_cmd",
             "score matching, quote attribution and event dates on a labelled set"),
    "run": ("run_cmd", "run the service: scheduled polls, daily digests, the Discord bot"),
    "health": ("health_cmd",
               "check that `storyline run` is alive: scheduler, polls, Discord (exit 0 or 1)"),
}
COMMAND_MODULES: dict[str, str] = {name: module for name, (module, _) in COMMANDS.items()}

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


def build_parser(
    command: str | None = None, *, placeholders: bool = False
) -> argparse.ArgumentParser:
    """The parser for every command, or for `command`'s module alone when it is a known one.

    With `placeholders` (what `main` uses) the other commands are there too, named and
    summarised from `COMMANDS` without importing their modules: that is all the top-level
    help and an "invalid choice" error show of them."""
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
    if command is not None and command in COMMAND_MODULES:
        wanted = {COMMAND_MODULES[command]}
    else:
        wanted = set() if placeholders else set(COMMAND_MODULES.values())
    for name, (module, summary) in COMMANDS.items():
        if name in subparsers.choices:  # registered with an earlier command of its module
            continue
        if module in wanted:
            importlib.import_module(f"digests.cli.{module}").register(subparsers, common)
        elif placeholders:
            placeholder = subparsers.add_parser(name, help=summary, add_help=False)
            placeholder.add_argument("arguments", nargs=argparse.REMAINDER)
    return parser


class _Probe(argparse.ArgumentParser):
    """A parser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def invoked_command(argv: Sequence[str] | None) -> str | None:
    """The command word of `argv` (the first positional argument), found without the
    commands' own parsers; None for `--help` alone or an empty command line."""
    probe = _Probe(add_help=False)
    probe.add_argument("--db")
    probe.add_argument("--config")
    probe.add_argument("-v", "--verbose", action="store_true")
    probe.add_argument("command", nargs="?")
    try:
        known, _ = probe.parse_known_args(argv)
    except ValueError:  # malformed global options: the full parser says why
        return None
    command: str | None = known.command
    return command


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
    args = build_parser(invoked_command(argv), placeholders=True).parse_args(argv)
    if not hasattr(args, "handler"):  # a placeholder: the probe missed the command word
        args = build_parser(args.command).parse_args(argv)
    # Imported once the command line is known good: `--help` needs no configuration.
    from digests.config import ConfigError, load_settings, load_storylines

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
            from digests.cli.hold import hold_after_config_error

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
