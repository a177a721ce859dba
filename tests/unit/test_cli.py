"""`packstation` itself: --help, --version, every subcommand's --help, `config show`/`path`,
and settings errors as one line with exit code 2 for every subcommand."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from packstation import __version__, config_cli
from packstation.cli import build_parser, main
from packstation.config import Settings, SettingsError, default_config_path

SECRET = "very-secret-station-key"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for name in list(os.environ):
        if name.startswith("PACKSTATION_"):
            monkeypatch.delenv(name)


def subcommand_paths() -> list[list[str]]:
    """Every subcommand (and nested action) the parser knows, as argv prefixes."""
    found: list[list[str]] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(build_parser(), [])
    return found


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"packstation {__version__}"


def test_help_lists_the_config_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "usage: packstation" in out
    for flag in ("--config", "--api-url", "--warehouse", "--station-id", "--data-dir", "--theme"):
        assert flag in out
    assert "config" in out


def test_config_has_show_and_path() -> None:
    paths = subcommand_paths()
    assert ["config"] in paths and ["config", "show"] in paths and ["config", "path"] in paths


@pytest.mark.parametrize("argv", subcommand_paths(), ids=" ".join)
def test_every_subcommand_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    assert exc.value.code == 0
    assert f"usage: packstation {' '.join(argv)}" in capsys.readouterr().out


def test_config_path_prints_the_default_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == f"{default_config_path()}\n"


def test_config_path_follows_flag_and_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PACKSTATION_CONFIG", str(tmp_path / "env.toml"))
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'env.toml'}\n"
    assert main(["--config", str(tmp_path / "flag.toml"), "config", "path"]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'flag.toml'}\n"


def show_rows(out: str) -> dict[str, tuple[str, str]]:
    rows = {}
    for line in out.splitlines()[1:]:
        name, rest = line.split(None, 1)
        value, _, source = rest.rpartition("  ")
        rows[name] = (value.strip(), source.strip())
    return rows


def test_config_show_prints_every_setting_with_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.toml"
    config.write_text('warehouse = "WH-FILE"\nclient_id = "file-client"\ntheme = "t-file"\n')
    monkeypatch.setenv("PACKSTATION_CLIENT_SECRET", SECRET)
    monkeypatch.setenv("PACKSTATION_THEME", "t-env")
    monkeypatch.setenv("PACKSTATION_SUPERVISORS", "anna,bob")
    argv = ["--config", str(config), "--station-id", "05", "config", "show"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert SECRET not in out
    first = out.splitlines()[0]
    assert first == f"settings file: {config} (flag --config, found)"
    rows = show_rows(out)
    assert set(rows) == set(Settings.model_fields)
    assert rows["warehouse"] == ('"WH-FILE"', f"file {config}")
    assert rows["client_id"] == ('"file-client"', f"file {config}")
    assert rows["client_secret"] == ("ve****", "env PACKSTATION_CLIENT_SECRET")
    assert rows["theme"] == ('"t-env"', "env PACKSTATION_THEME")
    assert rows["supervisors"] == ('["anna", "bob"]', "env PACKSTATION_SUPERVISORS")
    assert rows["station_id"] == ('"05"', "flag --station-id")
    assert rows["api_url"] == ('""', "default")
    assert rows["print_labels"] == ("false", "default")


URL_PASSWORD = "hunter2-url-pw"


def test_config_show_masks_a_password_in_the_api_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PACKSTATION_API_URL", f"https://station:{URL_PASSWORD}@omnium.test/x")
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert URL_PASSWORD not in out
    assert show_rows(out)["api_url"] == (
        '"https://station:***@omnium.test/x"',
        "env PACKSTATION_API_URL",
    )


def test_a_settings_error_masks_a_password_in_the_api_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PACKSTATION_API_URL", f"ftp://station:{URL_PASSWORD}@omnium.test")
    assert main(["config", "show"]) == 2
    err = capsys.readouterr().err
    assert URL_PASSWORD not in err and "ftp://station:***@omnium.test" in err


def test_bare_config_shows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"settings file: {default_config_path()} (default, not found)")
    assert "(not set)" in out


BAD_SETTINGS = [
    pytest.param({"PACKSTATION_STATION_ID": "7"}, None, "PACKSTATION_STATION_ID: ", id="env"),
    pytest.param({}, "station_id = ", "invalid TOML", id="toml"),
    pytest.param({}, 'colour = "red"\n', "unknown setting 'colour'", id="unknown-key"),
    pytest.param({"PACKSTATION_CONFIG": "/nonexistent/p.toml"}, None, "not found", id="missing"),
]


@pytest.mark.parametrize(("env", "toml", "expected"), BAD_SETTINGS)
@pytest.mark.parametrize("command", [["config", "show"], ["config"]], ids=" ".join)
def test_bad_settings_give_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    toml: str | None,
    expected: str,
    command: list[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    argv = list(command)
    if toml is not None:
        path = tmp_path / "bad.toml"
        path.write_text(toml)
        argv = ["--config", str(path), *argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("packstation: error: ")
    assert expected in lines[0]


def test_any_handler_raising_settings_error_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise SettingsError("PACKSTATION_X: broken\n  badly")

    monkeypatch.setattr(config_cli, "path_command", broken)
    assert main(["config", "path"]) == 2
    assert capsys.readouterr().err == "packstation: error: PACKSTATION_X: broken badly\n"


def test_starting_the_station_with_bad_settings_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PACKSTATION_WAREHOUSE", "")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("packstation: error: PACKSTATION_WAREHOUSE: ")
    assert len(err.splitlines()) == 1


def test_console_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(tmp_path),
        "PACKSTATION_STATION_ID": "abc",
        "PACKSTATION_CLIENT_SECRET": SECRET,
    }
    done = subprocess.run(
        [sys.executable, "-m", "packstation", "config", "show"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "packstation: error: PACKSTATION_STATION_ID: must be 2 digits, e.g. 01 (got 'abc')"
    ]


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_cheap_paths_import_no_heavy_library(flag: str) -> None:
    # `-X importtime` lists every module the process imported, on stderr (issue 16 item 7).
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "packstation", flag],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "packstation.cli" in imported
    heavy = sorted(m for m in imported if m.split(".")[0] in {"pydantic", "httpx", "textual"})
    assert heavy == []
