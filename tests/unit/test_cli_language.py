"""The `packstation` command speaks the language of --language / PACKSTATION_LANGUAGE: its
messages and its help (issue 19), while English stays the source."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from packstation.cli import main


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for name in list(os.environ):
        if name.startswith("PACKSTATION_"):
            monkeypatch.delenv(name)


def _no_history(tmp_path: Path) -> list[str]:
    config = tmp_path / "empty.toml"
    config.write_text("")
    return ["--config", str(config), "--data-dir", str(tmp_path / "none")]


def test_stats_in_norwegian_with_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--language", "nb", *_no_history(tmp_path), "stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Ingen pakkehistorikk ennå (")
    assert "finnes ikke" in out


def test_history_in_swedish_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACKSTATION_LANGUAGE", "sv")
    assert main([*_no_history(tmp_path), "history"]) == 0
    assert capsys.readouterr().out.startswith("Ingen packhistorik ännu (")


def test_the_flag_wins_over_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACKSTATION_LANGUAGE", "sv")
    assert main(["--language", "en", *_no_history(tmp_path), "history"]) == 0
    assert capsys.readouterr().out.startswith("No packing history yet (")


def test_help_in_danish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--language", "da", "stats", "--help"])
    out = capsys.readouterr().out
    assert "per pakker og per time" in out
    assert "per packer and per hour" not in out


def test_an_argument_error_in_norwegian(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--language", "nb", "history", "--since", "igår"])
    assert "ikke en dato: 'igår' (bruk ÅÅÅÅ-MM-DD" in capsys.readouterr().err


def test_config_show_in_danish(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--language", "da", "config", "show"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("indstillingsfil: ")
    assert first.endswith(", findes ikke)")


@pytest.mark.parametrize("argv", [["--version"], ["--language", "en", "--help"]])
def test_version_and_english_help_do_not_import_babel(argv: list[str]) -> None:
    # The CLI imports packstation.i18n for every command; Babel loads only where a catalog is
    # read from its .po or a date is formatted, so these stay cheap (issue 16 item 7).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACKSTATION_")}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "packstation", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "packstation.i18n" in imported
    assert sorted(m for m in imported if m.split(".")[0] == "babel") == []
