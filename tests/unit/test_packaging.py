"""The Docker image's ingredients, checked from the files alone.

No Docker engine runs where the tests run, so the image itself is never built here. What the
image depends on can still be checked: that setuptools packages every `digests`/`bot`
subpackage into the wheel, that the commands the image runs exist and work on an empty data
volume without network, that the files it copies are the ones the configuration points at,
and that every variable the deployment files set is one Storyline reads — an unknown
`STORYLINE_*` name stops the CLI with a configuration error, which in a container means a
restart loop.

Building a wheel with pip is not used: offline, `--no-build-isolation` falls back to the
virtualenv's setuptools, which can be older than the `setuptools>=77` the project needs. The
package discovery below is the same function setuptools calls while building.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import fnmatch
import io
import json
import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from digests.cli import health_probe
from digests.cli.main import build_parser, main
from digests.config import HttpSettings, Settings, load_settings, load_storylines
from digests.config.settings import env_name
from digests.health import BEAT_SECONDS, STALE_AFTER
from digests.service.heartbeat import HeartbeatRecorder, heartbeat_path
from tests.docker.lockfile import normalise, read_lock

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_ROOTS = ("digests", "bot")
DEPLOYMENT_FILES = ("Dockerfile", "compose.yaml", ".env.example")
VARIABLE = re.compile(r"\b(?:STORYLINE|DISCORD)_[A-Z0-9_]*[A-Z0-9]\b")
ASSIGNMENT = re.compile(r"^#?\s*((?:STORYLINE|DISCORD)_[A-Z0-9_]+)=(.*)$")
HEALTHCHECK_FORM = re.compile(r"^(?:--\S+\s+)*CMD\s+(\[.*\])$")


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction after joining continuation lines."""

    keyword: str
    args: str
    stage: int


def dockerfile() -> list[Instruction]:
    """Instructions in order, each tagged with its build stage (0 = first FROM)."""
    logical: list[str] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # Docker drops comment lines, also inside a continued instruction
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "Dockerfile ends inside a continued instruction"
    instructions: list[Instruction] = []
    stage = -1
    for line in logical:
        keyword, _, args = line.partition(" ")
        if keyword.upper() == "FROM":
            stage += 1
        instructions.append(Instruction(keyword.upper(), args.strip(), stage))
    return instructions


def final_stage() -> list[Instruction]:
    instructions = dockerfile()
    last = max(i.stage for i in instructions)
    return [i for i in instructions if i.stage == last]


def exec_form(args: str) -> list[str]:
    """`["storyline", "run"]`: the JSON exec form (the shell form would hide a typo until run)."""
    argv = json.loads(args)
    assert isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv), args
    return argv


def only(instructions: list[Instruction], keyword: str) -> Instruction:
    found = [i for i in instructions if i.keyword == keyword]
    assert len(found) == 1, f"expected one {keyword}, found {len(found)}"
    return found[0]


def health_check_argv() -> list[str]:
    form = HEALTHCHECK_FORM.match(only(final_stage(), "HEALTHCHECK").args)
    assert form is not None, "HEALTHCHECK must use the exec form: CMD [...]"
    return exec_form(form.group(1))


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction in final_stage():
        if instruction.keyword == "ENV":
            for word in shlex.split(instruction.args):
                name, sep, value = word.partition("=")
                assert sep, f"ENV {word!r}: use NAME=value"
                env[name] = value
    return env


def copies(instructions: list[Instruction]) -> list[tuple[list[str], str]]:
    """(sources, destination) of every COPY from the build context (not `--from=`)."""
    found = []
    for instruction in instructions:
        if instruction.keyword != "COPY" or instruction.args.startswith("--from"):
            continue
        *sources, destination = shlex.split(instruction.args)
        found.append((sources, destination))
    return found


def container_paths() -> dict[PurePosixPath, Path]:
    """Where the final stage puts checkout folders: container path → folder in the checkout."""
    stage = final_stage()
    workdir = PurePosixPath(only(stage, "WORKDIR").args)
    placed: dict[PurePosixPath, Path] = {}
    for sources, destination in copies(stage):
        for source in sources:
            placed[workdir / destination] = ROOT / source
    return placed


def in_checkout(value: str, data_dir: Path) -> str:
    """A container path from the image's ENV, as the equivalent path in this test."""
    path = PurePosixPath(value)
    volume = PurePosixPath(only(final_stage(), "VOLUME").args.strip('[]" '))
    if path.is_relative_to(volume):
        return str(data_dir / path.relative_to(volume))
    for inside, outside in container_paths().items():
        if path.is_relative_to(inside):
            return str(outside / path.relative_to(inside))
    return value


def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)


def package_directories() -> set[str]:
    """Every folder under digests/ and bot/ holding Python code, as a dotted name."""
    found = set()
    for top in PACKAGE_ROOTS:
        for module in (ROOT / top).rglob("*.py"):
            folder = module.parent.relative_to(ROOT)
            if "__pycache__" not in folder.parts:
                found.add(".".join(folder.parts))
    return found


def discovered_packages() -> set[str]:
    """What setuptools puts in the wheel, from `[tool.setuptools.packages.find]`."""
    import setuptools  # imported here: it patches distutils, which no other test needs

    find = pyproject()["tool"]["setuptools"]["packages"]["find"]
    # In pyproject.toml configuration `namespaces` defaults to true (PEP 420 discovery).
    finder = (setuptools.find_namespace_packages if find.get("namespaces", True)
              else setuptools.find_packages)
    packages: set[str] = set()
    for where in find.get("where", ["."]):
        packages.update(finder(where=str(ROOT / where), include=find.get("include", ["*"]),
                               exclude=find.get("exclude", [])))
    return packages


def test_every_package_directory_goes_into_the_wheel() -> None:
    expected = package_directories()
    assert {"digests.cli", "digests.store", "bot.commands"} <= expected
    assert expected - discovered_packages() == set()


def test_every_package_directory_is_a_regular_package() -> None:
    """An `__init__.py` everywhere, so find_packages, mypy and pytest agree on the tree."""
    missing = [name for name in package_directories()
               if not (ROOT / name.replace(".", "/") / "__init__.py").exists()]
    assert missing == []


def test_nothing_but_our_packages_goes_into_the_wheel() -> None:
    assert {name.split(".")[0] for name in discovered_packages()} == set(PACKAGE_ROOTS)


def test_build_stage_copies_what_the_wheel_is_built_from() -> None:
    build = [i for i in dockerfile() if i.stage == 0]
    copied = {source for sources, _ in copies(build) for source in sources}
    project = pyproject()["project"]
    assert {"pyproject.toml", project["readme"], *PACKAGE_ROOTS} <= copied


def test_image_runs_the_console_scripts_the_project_installs() -> None:
    scripts = pyproject()["project"]["scripts"]
    assert scripts["storyline"] == "digests.cli.main:main"
    assert scripts["storyline-health"] == "digests.cli.health_probe:main"
    assert exec_form(only(final_stage(), "CMD").args)[0] == "storyline"
    assert health_check_argv() == ["storyline-health"]


def test_image_command_parses() -> None:
    argv = exec_form(only(final_stage(), "CMD").args)
    args = build_parser().parse_args(argv[1:])  # an unknown command or option exits here
    assert args.command == argv[1] == "run"


def test_a_configuration_error_in_the_container_holds_instead_of_restarting() -> None:
    """compose restarts on every exit (so the service comes back after a reboot); the image's
    command must therefore hold on an error no restart can fix, not exit into a loop."""
    args = build_parser().parse_args(exec_form(only(final_stage(), "CMD").args)[1:])
    assert args.hold_on_config_error is True
    assert compose_setting("restart") == "unless-stopped"


def health_check_options() -> dict[str, float]:
    """`--interval=30s` and friends, in seconds."""
    options = re.findall(r"--([a-z-]+)=(\d+)(s|m)\b", only(final_stage(), "HEALTHCHECK").args)
    return {name: float(value) * (60 if unit == "m" else 1) for name, value, unit in options}


def test_health_check_probes_early_and_often_enough_to_mean_something() -> None:
    options = health_check_options()
    # Docker's first probe comes one interval after start (the start period only forgives
    # failures); the issue asked for the first within a minute.
    assert options["interval"] <= 60
    assert options["timeout"] < options["interval"]
    # The heartbeat must be rewritten several times within the staleness window, or a busy
    # but healthy service would flap.
    assert STALE_AFTER.total_seconds() >= 3 * BEAT_SECONDS


def test_image_copies_the_config_and_every_seed_it_names() -> None:
    placed = container_paths()
    config_dir = PurePosixPath(image_env()["STORYLINE_CONFIG"])
    assert placed.get(config_dir) == ROOT / "config"
    definitions = load_storylines(ROOT / "config" / "storylines")
    assert definitions
    for definition in definitions:
        for seed in definition.seed_paths:
            assert any(seed.is_relative_to(outside) for outside in placed.values()), seed


def test_data_volume_holds_the_database_and_is_owned_by_the_runtime_user() -> None:
    stage = final_stage()
    volume = only(stage, "VOLUME").args.strip('[]" ')
    assert PurePosixPath(image_env()["STORYLINE_DATABASE"]).parent == PurePosixPath(volume)
    user = only(stage, "USER").args
    setup = " ".join(i.args for i in stage if i.keyword == "RUN")
    assert f"chown {user}:{user} {volume}" in setup
    # The volume directory must exist and be chowned before USER and VOLUME, or a fresh named
    # volume would be created owned by root and the database could not be written.
    order = [i.keyword for i in stage]
    assert order.index("USER") > max(n for n, i in enumerate(stage)
                                     if i.keyword == "RUN" and "chown" in i.args)


def test_compose_mounts_only_paths_the_image_uses() -> None:
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    targets = re.findall(r"^\s*#?\s*-\s+[^\s:]+:(/[^\s:]+)", text, flags=re.MULTILINE)
    assert targets
    known = {str(p) for p in container_paths()} | {only(final_stage(), "VOLUME").args
                                                   .strip('[]" ')}
    assert set(targets) <= known


def ignore_patterns(name: str) -> list[str]:
    return [line.strip().removeprefix("**/")
            for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def ignored(path: str, patterns: list[str]) -> bool:
    """gitignore-style for plain names: the last matching pattern wins, `!` re-includes."""
    verdict = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if fnmatch.fnmatch(path, pattern.removeprefix("!").rstrip("/")):
            verdict = not negated
    return verdict


SECRETS = (".env", ".env.production", "discord_token.txt", "storyline.db", "demo.db",
           "storyline.db-heartbeat.json")


def test_docker_context_keeps_what_the_image_copies_and_drops_secrets() -> None:
    patterns = ignore_patterns(".dockerignore")
    sources = {source for sources, _ in copies(dockerfile()) for source in sources}
    assert "requirements.lock" in sources
    for source in sources:
        assert not ignored(source, patterns), source
    for secret in SECRETS:
        assert ignored(secret, patterns), secret


def test_git_ignores_the_token_files_but_not_the_example() -> None:
    """`cp .env.example .env` must not leave the token one `git add -A` from a commit."""
    patterns = ignore_patterns(".gitignore")
    for secret in SECRETS:
        assert ignored(secret, patterns), secret
    assert not ignored(".env.example", patterns)


def variables_read_by_code() -> set[str]:
    """`STORYLINE_*`/`DISCORD_*` names spelled out in our code (read outside the settings)."""
    names = set()
    for top in PACKAGE_ROOTS:
        for module in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and VARIABLE.fullmatch(node.value):
                    names.add(node.value)
    return names


def settings_variables() -> set[str]:
    top = {env_name(f.name) for f in dataclasses.fields(Settings) if f.name != "http"}
    return top | {env_name(f"http.{f.name}") for f in dataclasses.fields(HttpSettings)}


def deployment_variables() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name in DEPLOYMENT_FILES:
        for variable in VARIABLE.findall((ROOT / name).read_text(encoding="utf-8")):
            found.setdefault(variable, set()).add(name)
    return found


def test_every_deployment_variable_is_one_storyline_reads() -> None:
    found = deployment_variables()
    assert any(name.endswith("DISCORD_TOKEN") for name in found)
    known = settings_variables() | variables_read_by_code()
    unknown = {name: sorted(files) for name, files in found.items() if name not in known}
    assert unknown == {}


def example_assignments() -> list[tuple[str, str]]:
    """`NAME=value` lines of .env.example, commented-out examples included."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return [(m.group(1), m.group(2).strip()) for line in text.splitlines()
            if (m := ASSIGNMENT.match(line.strip()))]


def test_example_and_image_values_are_accepted_by_the_settings_loader(tmp_path: Path) -> None:
    assignments = example_assignments() + sorted(image_env().items())
    assert len(assignments) >= 3
    for name, value in assignments:
        if value:  # an empty example value is a blank to fill in, not a value
            load_settings(tmp_path, {name: value})  # raises ConfigError when rejected


def test_token_is_not_read_from_the_config_file() -> None:
    """The token belongs in the environment only: no settings key may hold it."""
    assert not any("TOKEN" in name for name in settings_variables())


def mapped_image_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The image's ENV with its paths mapped onto this checkout and a temporary volume."""
    env = {name: in_checkout(value, data_dir) for name, value in image_env().items()
           if name.startswith("STORYLINE_")}
    # `main` takes the config folder from the process environment, the rest from `env`.
    monkeypatch.setenv("STORYLINE_CONFIG", env["STORYLINE_CONFIG"])
    monkeypatch.chdir(ROOT)  # WORKDIR /app holds the same folders as the checkout
    return env


def run_health_check(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """The image's HEALTHCHECK (`storyline-health`) with the image's environment."""
    env = mapped_image_env(data_dir, monkeypatch)
    out = io.StringIO()
    status = health_probe.main(health_check_argv()[1:], out=out, env=env)
    return status, out.getvalue()


def test_health_check_fails_when_no_service_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Honest health: a volume that merely opens is not a running service."""
    status, out = run_health_check(tmp_path / "data", monkeypatch)
    assert status == 1
    assert out.startswith(f"unhealthy: no heartbeat at {tmp_path / 'data'}/storyline.db-")


def test_health_check_passes_while_the_service_beats_and_fails_when_it_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    database = Path(mapped_image_env(data, monkeypatch)["STORYLINE_DATABASE"])
    now = [dt.datetime.now(dt.UTC)]
    recorder = HeartbeatRecorder(heartbeat_path(database), poll_interval_minutes=30,
                                 console=True, clock=lambda: now[0])
    recorder.poll_started()
    recorder.poll_finished("1 feed(s), 0 failed, 3 item(s)", ok=True)
    status, out = run_health_check(data, monkeypatch)
    assert (status, out.split(",")[0]) == (0, "healthy: console mode"), out
    now[0] -= 2 * STALE_AFTER  # the last beat long ago: the scheduler stalled
    recorder.beat()
    status, out = run_health_check(data, monkeypatch)
    assert status == 1 and out.startswith("unhealthy: scheduler stalled"), out


def test_the_image_command_stops_at_once_on_a_corrupt_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "storyline.db").write_bytes(b"this is not an SQLite file\n" * 200)
    env = mapped_image_env(data, monkeypatch)
    err = io.StringIO()
    status = main(exec_form(only(final_stage(), "CMD").args)[1:], out=io.StringIO(), err=err,
                  env=env)
    assert status == 1
    assert err.getvalue().startswith(
        f"storyline: error: cannot open the database {data / 'storyline.db'}: ")


def test_architecture_doc_names_every_module_and_migration() -> None:
    """docs/architecture.md is the map of what the wheel ships; a new module or migration that
    it does not mention makes the map wrong, so adding one means updating the doc."""
    from digests.store.migrations import MIGRATIONS

    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = sorted(
        str(module.relative_to(ROOT))
        for top in PACKAGE_ROOTS for module in (ROOT / top).rglob("*.py")
        if module.name != "__init__.py" and f"`{module.name}`" not in doc
        and f"`{module.relative_to(ROOT / top).as_posix()}`" not in doc
    )
    assert missing == [], "name these modules in docs/architecture.md's module map"
    for number, migration in enumerate(MIGRATIONS, start=1):
        name = migration.__name__.removeprefix(f"_v{number}_")
        assert f"| {number} `{name}` |" in doc, migration.__name__


# ------------------------------------------------------------------ the lock and the build
def test_lock_pins_every_dependency_with_hashes_within_pyproject_ranges() -> None:
    """requirements.lock (scripts/lock-image.sh) is what the image installs; it must cover
    every dependency in pyproject.toml with a version the project accepts, and hash each."""
    from packaging.requirements import Requirement

    pins = {pin.name: pin for pin in read_lock(ROOT / "requirements.lock")}
    assert len(pins) >= len(pyproject()["project"]["dependencies"])
    for text in pyproject()["project"]["dependencies"]:
        requirement = Requirement(text)
        pin = pins.get(normalise(requirement.name))
        assert pin is not None, f"{requirement.name} is not in requirements.lock"
        assert requirement.specifier.contains(pin.version, prereleases=True), (text, pin)
    for pin in pins.values():
        assert pin.hashes, f"{pin.name}=={pin.version} has no hash"
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    loose = [line for line in lines if line and not line.startswith((" ", "#"))
             and "==" not in line]
    assert loose == [], "every requirement in the lock is pinned with =="


def test_image_installs_the_lock_with_hashes_and_keeps_no_wheels() -> None:
    build = [i for i in dockerfile() if i.stage == 0]
    installs = [i.args for i in build
                if i.keyword == "RUN" and "-r /src/requirements.lock" in i.args]
    assert len(installs) == 1 and "--require-hashes" in installs[0]
    assert (["requirements.lock"], "/src/") in copies(build)
    stage = final_stage()
    assert [i.args for i in stage if i.keyword == "COPY" and i.args.startswith("--from")] == [
        "--from=build /opt/storyline /opt/storyline"]
    assert image_env()["PATH"].startswith("/opt/storyline/bin:")
    assert not any("/wheels" in i.args for i in dockerfile())


def compose_text() -> str:
    return (ROOT / "compose.yaml").read_text(encoding="utf-8")


def compose_setting(key: str) -> str:
    """The value of an uncommented `key: value` line in compose.yaml's service."""
    [value] = re.findall(rf"^    {key}: *(.*)$", compose_text(), flags=re.M)
    return value.strip()


def compose_list(key: str) -> list[str]:
    match = re.search(rf"^    {key}:\n((?:      - .*\n)+)", compose_text(), flags=re.M)
    assert match, key
    return [line.strip().removeprefix("- ") for line in match.group(1).splitlines()]


def test_compose_is_hardened() -> None:
    assert compose_setting("read_only") == "true"
    assert [t.split(":")[0] for t in compose_list("tmpfs")] == ["/tmp"]
    assert compose_list("cap_drop") == ["ALL"]
    assert compose_list("security_opt") == ["no-new-privileges:true"]


def test_compose_never_pulls_its_image_from_a_public_registry() -> None:
    assert compose_setting("pull_policy") == "build"
    image = compose_setting("image")
    registry = image.split("/")[0]
    assert "/" in image and (registry == "localhost" or "." in registry or ":" in registry), (
        "a bare name is a Docker Hub name that `docker compose pull` would fetch")


def test_env_example_warns_about_quotes_and_quotes_nothing() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "WITHOUT quotes" in text
    assert all(not value.startswith(("'", '"')) for _, value in example_assignments())


def test_architecture_doc_explains_every_import_contract() -> None:
    """The contracts in pyproject.toml are the spine of docs/architecture.md: each one is
    named there by its id, so a new contract (or a renamed one) means updating the doc."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    contracts = pyproject()["tool"]["importlinter"]["contracts"]
    assert len(contracts) >= 5
    missing = [c["id"] for c in contracts if f"`{c['id']}`" not in doc]
    assert missing == [], "explain these import contracts in docs/architecture.md"


def test_make_test_checks_the_import_contracts() -> None:
    """`make test` (and so CI) fails when an import breaks a contract."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "test: lint typecheck imports unit" in makefile
    assert "lint-imports" in makefile
