"""`packstation config`: show the effective settings and where the file lives."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from packstation.config import (
    ResolvedSettings,
    Settings,
    config_file_path,
    mask_secret,
    resolve_settings,
)
from packstation.packing.boxes import BoxPreset


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation config show` and `packstation config path`."""
    config = subparsers.add_parser(
        "config",
        help="show the effective settings or the settings file's path",
        description=(
            "Settings come from defaults, then the TOML settings file, then PACKSTATION_* "
            "environment variables, then command-line flags (later wins). "
            "Without a subcommand, `show` runs."
        ),
    )
    config.set_defaults(handler=show_command)
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")
    show = actions.add_parser(
        "show",
        help="print every effective setting and where it came from (secret masked)",
        description="Print every effective setting and where it came from; the secret is masked.",
    )
    show.set_defaults(handler=show_command)
    path = actions.add_parser(
        "path",
        help="print the settings file's path",
        description="Print the path of the settings file that would be read (it may not exist).",
    )
    path.set_defaults(handler=path_command)


def path_command(args: argparse.Namespace) -> int:
    """Print the settings file's path."""
    print(config_file_path(args))
    return 0


def show_command(args: argparse.Namespace) -> int:
    """Print every effective setting with its source."""
    print(render_settings(resolve_settings(args)))
    return 0


def format_value(value: Any) -> str:
    """A setting's value as `config show` prints it (TOML-like; the secret masked)."""
    if isinstance(value, SecretStr):
        return mask_secret(value.get_secret_value())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | Path):
        return f'"{value}"'
    if isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, BoxPreset):
        size = f"{value.length_cm}x{value.width_cm}x{value.height_cm} cm"
        return f"{value.name} ({size}, {value.tare_kg} kg)"
    if isinstance(value, list):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {format_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def render_settings(resolved: ResolvedSettings) -> str:
    """The text of `packstation config show`."""
    state = "found" if resolved.config_exists else "not found"
    lines = [f"settings file: {resolved.config_path} ({resolved.config_path_source}, {state})"]
    rows = [
        (name, format_value(getattr(resolved.settings, name)), resolved.sources[name])
        for name in Settings.model_fields
    ]
    key_width = max(len(name) for name, _, _ in rows)
    value_width = min(max(len(value) for _, value, _ in rows), 40)
    for name, value, source in rows:
        lines.append(f"{name:<{key_width}}  {value:<{value_width}}  {source}")
    return "\n".join(lines)
