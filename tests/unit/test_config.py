"""Configuration: the minimal storyline works; broken files name file, key and expectation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from digests.config import ConfigError, load_settings, load_storylines

MINIMAL = """
id = "fable"
name = "Fable/Mythos export controls"
description = "US export controls on two AI models, and their lifting."
keywords = ["Fable 5", "Mythos 5", "export control", "輸出管理"]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "storylines"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return folder


def test_minimal_storyline_loads_with_defaults(tmp_path: Path) -> None:
    [story] = load_storylines(write(tmp_path, "fable.toml", MINIMAL))
    assert story.id == "fable"
    assert story.keywords[-1] == "輸出管理"
    assert story.entities == () and story.digest.timezone == "UTC"


@pytest.mark.parametrize(
    ("extra", "key", "expected"),
    [
        ('keyword = "x"', "keyword", "one of"),
        ("[digest]\ntimezone = 'Mars/Olympus'", "digest.timezone", "IANA timezone"),
        ("[digest]\ntime = '25:00'", "digest.time", "24-hour time"),
        ("[[entities]]\nname = 'X'\nkind = 'alien'", "entities[0].kind", "one of"),
        ("[[entities]]\naliases = ['y']", "entities[0].name", "non-empty string"),
        ("match_threshold = 'high'", "match_threshold", "a number"),
    ],
)
def test_broken_storyline_names_file_key_and_expectation(
    tmp_path: Path, extra: str, key: str, expected: str
) -> None:
    folder = write(tmp_path, "bad.toml", MINIMAL + extra)
    with pytest.raises(ConfigError) as info:
        load_storylines(folder)
    assert info.value.key == key
    assert expected in info.value.expected
    assert str(info.value).startswith(str(folder / "bad.toml"))


def test_toml_syntax_error_is_a_config_error(tmp_path: Path) -> None:
    folder = write(tmp_path, "bad.toml", "id = ")
    with pytest.raises(ConfigError, match=r"bad\.toml: \(syntax\)"):
        load_storylines(folder)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", MINIMAL)
    folder = write(tmp_path, "b.toml", MINIMAL)
    with pytest.raises(ConfigError, match="no other storyline"):
        load_storylines(folder)


def test_environment_overrides_file(tmp_path: Path) -> None:
    (tmp_path / "storyline.toml").write_text(
        'database = "a.db"\n[http]\nmax_bytes = 2048\n', encoding="utf-8"
    )
    env = {"STORYLINE_DATABASE": "b.db", "STORYLINE_HTTP_ALLOW_PRIVATE_HOSTS": "nas.lan, 10.0.0.5"}
    settings = load_settings(tmp_path, env)
    assert settings.database == Path("b.db")
    assert settings.http.max_bytes == 2048
    assert settings.http.allow_private_hosts == ("nas.lan", "10.0.0.5")


def test_bad_environment_value_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="STORYLINE_POLL_INTERVAL_MINUTES: expected a number"):
        load_settings(tmp_path, {"STORYLINE_POLL_INTERVAL_MINUTES": "soon"})


def test_config_folder_variable_is_not_a_setting(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {"STORYLINE_CONFIG": str(tmp_path)})
    assert settings.database == Path("storyline.db")


def test_environment_text_is_parsed_by_the_key_not_by_its_look(tmp_path: Path) -> None:
    assert load_settings(tmp_path, {"STORYLINE_DATABASE": "2026"}).database == Path("2026")


def test_bad_environment_value_blames_the_variable_not_the_file(tmp_path: Path) -> None:
    (tmp_path / "storyline.toml").write_text("[http]\nmax_bytes = 4096\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path, {"STORYLINE_HTTP_MAX_BYTES": "10"})
    assert (info.value.source, info.value.key) == ("environment", "STORYLINE_HTTP_MAX_BYTES")


def test_misspelt_environment_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="STORYLINE_DATABSE"):
        load_settings(tmp_path, {"STORYLINE_DATABSE": "x.db"})


def test_seed_pattern_matching_nothing_is_an_error(tmp_path: Path) -> None:
    folder = write(tmp_path, "s.toml", MINIMAL + 'seeds = ["../seeds/*.md"]\n')
    with pytest.raises(ConfigError, match="matching at least one file"):
        load_storylines(folder)


def test_seed_patterns_may_be_absolute_or_relative_to_the_storyline_file(tmp_path: Path) -> None:
    seeds = tmp_path / "elsewhere"
    seeds.mkdir()
    (seeds / "a.md").write_text("one\n", encoding="utf-8")
    (seeds / "b.md").write_text("two\n", encoding="utf-8")
    (tmp_path / "abs").mkdir()
    (tmp_path / "rel").mkdir()
    absolute = write(tmp_path / "abs", "s.toml", MINIMAL + f'seeds = ["{seeds}/*.md"]\n')
    [definition] = load_storylines(absolute)
    assert [p.name for p in definition.seed_paths] == ["a.md", "b.md"]
    relative = write(tmp_path / "rel", "s.toml", MINIMAL + 'seeds = ["../../elsewhere/b.md"]\n')
    [definition] = load_storylines(relative)
    assert definition.seed_paths == ((seeds / "b.md").resolve(),)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("poll_interval_minutes = nan", "poll_interval_minutes"),
        ("poll_interval_minutes = inf", "poll_interval_minutes"),
        ("max_backoff_minutes = 1e300", "max_backoff_minutes"),
        ("engine_workers = 100000000000000000000", "engine_workers"),
        ("discord_guild_id = 1180591620717411303424", "discord_guild_id"),  # 2**70
        ("discord_guild_id = -5", "discord_guild_id"),
        ("[http]\nread_timeout = -inf", "http.read_timeout"),
        ("[http]\nmax_bytes = 9223372036854775807", "http.max_bytes"),
        ("[http]\nconcurrency = 10000000", "http.concurrency"),
        ("http = 5", "http"),
        ('[http]\nallow_private_hosts = ["10.0.0.0/33"]', "http.allow_private_hosts"),
        ('[http]\nallow_private_hosts = ["not a host!!"]', "http.allow_private_hosts"),
        ('storylines_dir = "no/such/folder"', "storylines_dir"),
    ],
)
def test_settings_out_of_bounds_or_malformed_name_file_and_key(
    tmp_path: Path, text: str, key: str
) -> None:
    (tmp_path / "storyline.toml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path, {})
    assert (info.value.source, info.value.key) == (str(tmp_path / "storyline.toml"), key)


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "-1"])
def test_environment_numbers_are_bounded_and_finite(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="STORYLINE_POLL_INTERVAL_MINUTES"):
        load_settings(tmp_path, {"STORYLINE_POLL_INTERVAL_MINUTES": value})


def test_private_hosts_accept_names_addresses_and_networks(tmp_path: Path) -> None:
    (tmp_path / "storyline.toml").write_text(
        '[http]\nallow_private_hosts = ["nas.lan", "10.0.0.5", "10.0.0.0/8", "fd00::/8", '
        '"[::1]", "printer_2.local"]\n', encoding="utf-8",
    )
    assert len(load_settings(tmp_path, {}).http.allow_private_hosts) == 6


@pytest.mark.parametrize("value", ["nan", "inf", "1.5", "-0.1"])
def test_match_threshold_is_a_finite_score(tmp_path: Path, value: str) -> None:
    folder = write(tmp_path, "fable.toml", MINIMAL + f"match_threshold = {value}\n")
    with pytest.raises(ConfigError, match="match_threshold"):
        load_storylines(folder)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: p.write_bytes(MINIMAL.encode() + b'name2 = "caf\xe9"\n'), "UTF-8"),
        (lambda p: p.mkdir(), "a file, not a folder"),
        (lambda p: p.write_text("x = " + "[" * 100_000, encoding="utf-8"), "(syntax)"),
    ],
)
def test_unreadable_storyline_files_are_one_config_error_naming_the_file(
    tmp_path: Path, make: Callable[[Path], object], problem: str
) -> None:
    folder = tmp_path / "storylines"
    folder.mkdir()
    make(folder / "broken.toml")
    with pytest.raises(ConfigError) as info:
        load_storylines(folder)
    assert info.value.source == str(folder / "broken.toml")
    assert problem in str(info.value)


def test_full_text_defaults_to_auto_and_can_be_set_per_feed(tmp_path: Path) -> None:
    (tmp_path / "storyline.toml").write_text(
        'full_text = "never"\n[full_text_feeds]\n"https://a.example/rss" = "always"\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path, {})
    assert settings.full_text_for("https://a.example/rss") == "always"
    assert settings.full_text_for("https://b.example/rss") == "never"
    assert load_settings(tmp_path / "none", {}).full_text == "auto"
    assert load_settings(tmp_path, {"STORYLINE_FULL_TEXT": "auto"}).full_text == "auto"
    from_env = load_settings(tmp_path, {
        "STORYLINE_FULL_TEXT_FEEDS": "https://c.example/rss?a=b=never, https://d.example/f=auto"})
    assert from_env.full_text_for("https://c.example/rss?a=b") == "never"
    assert from_env.full_text_for("https://d.example/f") == "auto"
    assert from_env.full_text_for("https://a.example/rss") == "never"  # the file's default


@pytest.mark.parametrize(
    ("toml", "key"),
    [('full_text = "sometimes"\n', "full_text"),
     ('[full_text_feeds]\n"https://a.example/rss" = "yes"\n', "full_text_feeds.https://a.example/rss"),
     ('full_text_feeds = "never"\n', "full_text_feeds")],
    ids=["global", "per-feed", "not-a-table"],
)
def test_a_full_text_mode_other_than_the_three_is_refused(
    tmp_path: Path, toml: str, key: str
) -> None:
    (tmp_path / "storyline.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, {})
    assert caught.value.key == key


def test_a_bad_per_feed_mode_from_the_environment_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, {"STORYLINE_FULL_TEXT_FEEDS": "https://a.example/rss=maybe"})
    assert caught.value.key == "STORYLINE_FULL_TEXT_FEEDS"
