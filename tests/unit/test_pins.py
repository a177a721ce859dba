"""Supervisor PINs: salted scrypt hashes in the settings, `config hash-pin`, never the PIN."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from packstation.config import Settings, SettingsError, resolve_settings
from packstation.pins import check_pin_hash, hash_pin, pin_for, pin_problem, verify_pin


def test_a_pin_is_stored_salted_and_checked() -> None:
    first, second = hash_pin("4711"), hash_pin("4711")
    assert first != second  # salted
    assert "4711" not in first
    assert verify_pin("4711", first) and verify_pin("4711", second)
    assert not verify_pin("4712", first) and not verify_pin("", first)
    assert check_pin_hash(first) == first


@pytest.mark.parametrize("pin", ["", "123", "12 34", "12\t34", "x" * 65])
def test_unusable_pins_are_refused(pin: str) -> None:
    assert pin_problem(pin)
    with pytest.raises(ValueError):
        hash_pin(pin)


@pytest.mark.parametrize(
    "stored",
    ["4711", "scrypt$16384$8$1$zz$00", "scrypt$1000$8$1$" + "00" * 16 + "$" + "00" * 32, ""],
)
def test_a_setting_that_is_not_a_pin_hash_is_refused_without_echoing_it(
    stored: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError):
        check_pin_hash(stored)
    config = tmp_path / "c.toml"
    config.write_text(f'supervisor_pins.anna = "{stored}"\n')
    with pytest.raises(SettingsError) as caught:
        resolve_settings(config_path=config, env={})
    assert "supervisor_pins" in str(caught.value)
    if stored:
        assert stored not in str(caught.value)


def test_the_pin_of_a_badge_is_found_with_or_without_the_prefix() -> None:
    stored = hash_pin("4711")
    settings = Settings(supervisor_pins={"USER-anna": stored})
    assert pin_for("anna", settings.supervisor_pins) == stored
    assert pin_for("USER-anna", settings.supervisor_pins) == stored
    assert pin_for("bjorn", settings.supervisor_pins) is None


def hash_pin_cli(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACKSTATION_")}
    return subprocess.run(
        [sys.executable, "-m", "packstation", "config", "hash-pin", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_config_hash_pin_prints_a_settings_line_that_loads(tmp_path: Path) -> None:
    done = hash_pin_cli("4711\n", "anna")
    assert done.returncode == 0, done.stderr
    assert "4711" not in done.stdout
    config = tmp_path / "c.toml"
    config.write_text(done.stdout + 'supervisors = ["anna"]\n')
    settings = resolve_settings(config_path=config, env={}).settings
    stored = pin_for("anna", settings.supervisor_pins)
    assert stored is not None and verify_pin("4711", stored)


def test_config_hash_pin_refuses_a_short_pin() -> None:
    done = hash_pin_cli("47\n")
    assert done.returncode == 2
    assert done.stderr.strip() == "packstation: error: a PIN needs at least 4 characters"
    assert done.stdout == ""
