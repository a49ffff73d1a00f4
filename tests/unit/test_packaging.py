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

from digests.cli.main import build_parser, main
from digests.config import HttpSettings, Settings, load_settings, load_storylines
from digests.config.settings import env_name

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


def test_image_runs_the_console_script_the_project_installs() -> None:
    scripts = pyproject()["project"]["scripts"]
    assert scripts["storyline"] == "digests.cli.main:main"
    assert exec_form(only(final_stage(), "CMD").args)[0] == "storyline"
    assert health_check_argv()[0] == "storyline"


@pytest.mark.parametrize("which", ["CMD", "HEALTHCHECK"])
def test_image_commands_parse(which: str) -> None:
    argv = (health_check_argv() if which == "HEALTHCHECK"
            else exec_form(only(final_stage(), "CMD").args))
    args = build_parser().parse_args(argv[1:])  # an unknown command or option exits here
    assert args.command == argv[1]


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


def test_docker_context_keeps_what_the_image_copies_and_drops_secrets() -> None:
    patterns = [line.strip().removeprefix("**/")
                for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    sources = {source for sources, _ in copies(dockerfile()) for source in sources}
    for source in sources:
        assert not any(fnmatch.fnmatch(source, pattern) for pattern in patterns), source
    for secret in (".env", "storyline.db", "demo.db"):
        assert any(fnmatch.fnmatch(secret, pattern) for pattern in patterns), secret


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


def run_health_check(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """The image's HEALTHCHECK through `main`, with the image's ENV mapped onto this checkout."""
    env = {name: in_checkout(value, data_dir) for name, value in image_env().items()}
    # `main` takes the config folder from the process environment, the rest from `env`.
    monkeypatch.setenv("STORYLINE_CONFIG", env["STORYLINE_CONFIG"])
    monkeypatch.chdir(ROOT)  # WORKDIR /app holds the same folders as the checkout
    out, err = io.StringIO(), io.StringIO()
    status = main(health_check_argv()[1:], out=out, err=err, env=env)
    return status, out.getvalue(), err.getvalue()


def test_health_check_passes_on_an_empty_volume_without_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, out, err = run_health_check(tmp_path / "data", monkeypatch)
    assert status == 0, err
    assert isinstance(json.loads(out), list)
    assert (tmp_path / "data" / "storyline.db").exists()


def test_health_check_fails_on_a_corrupt_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "storyline.db").write_bytes(b"this is not an SQLite file\n" * 200)
    status, _out, err = run_health_check(data, monkeypatch)
    assert status != 0
    assert "storyline: error" in err


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
