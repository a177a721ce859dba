"""Settings: precedence defaults < file < environment < flags, sources, and one-line errors."""

from __future__ import annotations

import argparse
import os
from decimal import Decimal
from pathlib import Path

import pytest

from packstation.cli import build_parser
from packstation.config import (
    CONFIG_ENV,
    Settings,
    SettingsError,
    config_file_path,
    default_config_path,
    env_var,
    load_settings,
    mask_secret,
    resolve_settings,
)

SECRET = "super-secret-value-42"


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real user config, data dir or PACKSTATION_* variable leaks into a test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    for name in list(os.environ):
        if name.startswith("PACKSTATION_"):
            monkeypatch.delenv(name)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def cli_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args([*argv, "config", "show"])


# --- defaults and the file's location --------------------------------------------------------


def test_defaults_without_file_env_or_flags(tmp_path: Path) -> None:
    resolved = resolve_settings(env={})
    assert resolved.settings == Settings()
    assert set(resolved.sources.values()) == {"default"}
    assert resolved.config_path == tmp_path / "xdg-config" / "packstation" / "config.toml"
    assert resolved.config_path == default_config_path()
    assert resolved.config_path_source == "default"
    assert not resolved.config_exists
    assert resolved.settings.data_dir == tmp_path / "xdg-data" / "packstation"


def test_default_file_in_the_user_config_dir_is_read() -> None:
    write(default_config_path(), 'warehouse = "WH-BERGEN"\n')
    resolved = resolve_settings(env={})
    assert resolved.settings.warehouse == "WH-BERGEN"
    assert resolved.sources["warehouse"] == f"file {default_config_path()}"
    assert resolved.config_exists


def test_config_file_location_precedence(tmp_path: Path) -> None:
    env = {CONFIG_ENV: str(tmp_path / "from-env.toml")}
    assert config_file_path(env={}) == default_config_path()
    assert config_file_path(env=env) == tmp_path / "from-env.toml"
    assert config_file_path(env=env, config_path=tmp_path / "arg.toml") == tmp_path / "arg.toml"
    args = cli_args("--config", str(tmp_path / "flag.toml"))
    assert config_file_path(args, env=env) == tmp_path / "flag.toml"


def test_config_flag_beats_config_env(tmp_path: Path) -> None:
    flag_file = write(tmp_path / "flag.toml", 'theme = "from-flag-file"\n')
    env_file = write(tmp_path / "env.toml", 'theme = "from-env-file"\n')
    settings = load_settings(cli_args("--config", str(flag_file)), env={CONFIG_ENV: str(env_file)})
    assert settings.theme == "from-flag-file"
    assert load_settings(env={CONFIG_ENV: str(env_file)}).theme == "from-env-file"


@pytest.mark.parametrize("how", ["flag", "env", "argument"])
def test_an_explicit_missing_file_is_an_error(tmp_path: Path, how: str) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(SettingsError) as exc:
        if how == "flag":
            load_settings(cli_args("--config", str(missing)), env={})
        elif how == "env":
            load_settings(env={CONFIG_ENV: str(missing)})
        else:
            load_settings(env={}, config_path=missing)
    assert str(exc.value) == f"{missing}: settings file not found"


def test_a_directory_is_not_a_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read settings file"):
        load_settings(env={}, config_path=tmp_path)


# --- precedence ------------------------------------------------------------------------------

FIELD_VALUES = [
    # field, file value (TOML), env value, flag, flag value, expected from flag
    ("api_url", '"https://file"', "https://env", "--api-url", "https://flag"),
    ("warehouse", '"WH-FILE"', "WH-ENV", "--warehouse", "WH-FLAG"),
    ("station_id", '"11"', "22", "--station-id", "33"),
    ("data_dir", '"/file/data"', "/env/data", "--data-dir", "/flag/data"),
    ("theme", '"file-theme"', "env-theme", "--theme", "flag-theme"),
]


@pytest.mark.parametrize(
    ("field", "file_value", "env_value", "flag", "flag_value"),
    FIELD_VALUES,
    ids=[f[0] for f in FIELD_VALUES],
)
def test_file_then_env_then_flag(
    tmp_path: Path, field: str, file_value: str, env_value: str, flag: str, flag_value: str
) -> None:
    path = write(tmp_path / "c.toml", f"{field} = {file_value}\n")
    env = {env_var(field): env_value}

    def value(s: Settings) -> str:
        return str(getattr(s, field))

    only_file = resolve_settings(env={}, config_path=path)
    assert value(only_file.settings) == file_value.strip('"')
    assert only_file.sources[field] == f"file {path}"

    with_env = resolve_settings(env=env, config_path=path)
    assert value(with_env.settings) == env_value
    assert with_env.sources[field] == f"env {env_var(field)}"

    with_flag = resolve_settings(cli_args(flag, flag_value), env=env, config_path=path)
    assert value(with_flag.settings) == flag_value
    assert with_flag.sources[field] == f"flag {flag}"

    # A flag that was not given does not override anything.
    without_flag = resolve_settings(cli_args(), env=env, config_path=path)
    assert value(without_flag.settings) == env_value


@pytest.mark.parametrize(
    ("name", "field", "text", "expected"),
    [
        ("PACKSTATION_API_URL", "api_url", "https://api.omnium.no", "https://api.omnium.no"),
        ("PACKSTATION_CLIENT_ID", "client_id", "station-9", "station-9"),
        ("PACKSTATION_WAREHOUSE", "warehouse", "WH-9", "WH-9"),
        ("PACKSTATION_STATION_ID", "station_id", "09", "09"),
        ("PACKSTATION_THEME", "theme", "packstation-light", "packstation-light"),
        ("PACKSTATION_SUPERVISORS", "supervisors", "anna, bob,,carl ", ["anna", "bob", "carl"]),
        ("PACKSTATION_SUPERVISORS", "supervisors", "", []),
        ("PACKSTATION_PRINT_LABELS", "print_labels", "yes", True),
        ("PACKSTATION_MAX_WEIGHT_KG", "max_weight_kg", "31.5", Decimal("31.5")),
        ("PACKSTATION_SANDBOX_PORT", "sandbox_port", "8123", 8123),
        ("PACKSTATION_REQUEST_TIMEOUT", "request_timeout", "12.5", 12.5),
    ],
)
def test_environment_variables(name: str, field: str, text: str, expected: object) -> None:
    resolved = resolve_settings(env={name: text})
    assert getattr(resolved.settings, field) == expected
    assert resolved.sources[field] == f"env {name}"


def test_client_secret_from_env() -> None:
    settings = load_settings(env={"PACKSTATION_CLIENT_SECRET": SECRET})
    assert settings.client_secret.get_secret_value() == SECRET
    assert SECRET not in repr(settings)


def test_empty_api_url_in_env_overrides_the_file_and_means_sandbox(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", 'api_url = "https://api.omnium.no"\n')
    assert not load_settings(env={}, config_path=path).uses_sandbox
    assert load_settings(env={"PACKSTATION_API_URL": ""}, config_path=path).uses_sandbox


def test_unrelated_environment_is_ignored() -> None:
    settings = load_settings(env={"PACKSTATION_NOT_A_SETTING": "x", "WAREHOUSE": "WH-NO"})
    assert settings == Settings()


def test_full_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        """
api_url = "https://apitest.omnium.no"
client_id = "station-1"
client_secret = "from-file-secret"
warehouse = "WH-TRD"
station_id = "04"
data_dir = "~/packdata"
supervisors = ["anna", "bob"]
max_weight_kg = 31.5
print_labels = true

[[box_presets]]
name = "TUBE"
length_cm = 100
width_cm = 10
height_cm = 10
tare_kg = 0.2
""",
    )
    settings = load_settings(env={}, config_path=path)
    assert settings.client_secret.get_secret_value() == "from-file-secret"
    assert settings.data_dir == Path("~/packdata").expanduser()
    assert settings.supervisors == ["anna", "bob"]
    assert settings.max_weight_kg == Decimal("31.5")
    assert [b.name for b in settings.box_presets] == ["TUBE"]
    assert settings.box_presets[0].tare_kg == Decimal("0.2")


def test_box_presets_from_env_as_json() -> None:
    settings = load_settings(
        env={
            "PACKSTATION_BOX_PRESETS": '[{"name": "A", "length_cm": 1, "width_cm": 2, '
            '"height_cm": 3}]'
        }
    )
    assert [(b.name, b.height_cm) for b in settings.box_presets] == [("A", 3)]


# --- errors ----------------------------------------------------------------------------------


def error_for(
    tmp_path: Path,
    toml: str | None = None,
    env: dict[str, str] | None = None,
    argv: tuple[str, ...] = (),
) -> str:
    path = write(tmp_path / "c.toml", toml) if toml is not None else None
    with pytest.raises(SettingsError) as exc:
        load_settings(cli_args(*argv), env=env or {}, config_path=path)
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'warehouse = "WH"\nstation_id = \n')
    assert message.startswith(f"{tmp_path / 'c.toml'}: invalid TOML:")
    assert "line 2" in message


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'warehose = "WH"\n')
    assert (
        message == f"{tmp_path / 'c.toml'}: unknown setting 'warehose'; did you mean 'warehouse'?"
    )


def test_invalid_value_in_the_file_names_file_and_key(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'station_id = "abc"\n')
    assert message.startswith(f"{tmp_path / 'c.toml'}: station_id: must be 2 digits, e.g. 01")
    assert "'abc'" in message


def test_wrong_type_in_the_file(tmp_path: Path) -> None:
    message = error_for(tmp_path, "warehouse = 12\n")
    assert message.startswith(f"{tmp_path / 'c.toml'}: warehouse: Input should be a valid string")


def test_nested_problem_is_located(tmp_path: Path) -> None:
    toml = '[[box_presets]]\nname = "A"\nlength_cm = 0\nwidth_cm = 1\nheight_cm = 1\n'
    message = error_for(tmp_path, toml)
    assert message.startswith(f"{tmp_path / 'c.toml'}: box_presets[0].length_cm: ")


def test_invalid_env_value_names_the_variable(tmp_path: Path) -> None:
    message = error_for(tmp_path, env={"PACKSTATION_STATION_ID": "7"})
    assert message.startswith("PACKSTATION_STATION_ID: must be 2 digits, e.g. 01")
    assert "(got '7')" in message


def test_api_url_must_be_http(tmp_path: Path) -> None:
    message = error_for(tmp_path, env={"PACKSTATION_API_URL": "api.omnium.no"})
    assert message.startswith("PACKSTATION_API_URL: must be empty (the sandbox) or an http")
    settings = load_settings(env={"PACKSTATION_API_URL": " https://api.omnium.no/ "})
    assert settings.api_url == "https://api.omnium.no"


def test_invalid_env_number_names_the_variable(tmp_path: Path) -> None:
    message = error_for(tmp_path, env={"PACKSTATION_MAX_WEIGHT_KG": "heavy"})
    assert message.startswith("PACKSTATION_MAX_WEIGHT_KG: ")


def test_invalid_env_json_names_the_variable(tmp_path: Path) -> None:
    message = error_for(tmp_path, env={"PACKSTATION_BOX_PRESETS": "[{"})
    assert message.startswith("PACKSTATION_BOX_PRESETS: expected a JSON list")


def test_invalid_flag_value_names_the_flag(tmp_path: Path) -> None:
    message = error_for(tmp_path, argv=("--station-id", "x1"))
    assert message.startswith("--station-id: must be 2 digits, e.g. 01")


def test_several_problems_still_give_one_line(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'station_id = "x"\nlabel_format = "pdf"\nwarehouse = ""\n')
    assert message.endswith("(and 2 more problems)")


def test_the_secret_never_appears_in_an_error(tmp_path: Path) -> None:
    message = error_for(tmp_path, "client_secret = 12345678901234\n")
    assert message.startswith(f"{tmp_path / 'c.toml'}: client_secret: ")
    assert "12345678901234" not in message


@pytest.mark.parametrize(
    ("secret", "shown"),
    [("", "(not set)"), ("short", "****"), ("demo-secret", "de****"), (SECRET, "su****")],
)
def test_mask_secret(secret: str, shown: str) -> None:
    assert mask_secret(secret) == shown
