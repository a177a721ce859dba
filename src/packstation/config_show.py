"""The text of `packstation config show`: every effective setting, its source, the secret
masked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from packstation.config import ResolvedSettings, Settings, mask_secret
from packstation.i18n import _
from packstation.omnium.redact import mask_url_password
from packstation.packing.boxes import BoxPreset


def format_value(value: Any) -> str:
    """A setting's value as `config show` prints it (TOML-like; the secret masked)."""
    if isinstance(value, SecretStr):
        return mask_secret(value.get_secret_value())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{mask_url_password(value)}"'
    if isinstance(value, Path):
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


def _shown(name: str, value: Any) -> str:
    if name == "supervisor_pins":  # who has a PIN, not the (long) hashes
        pin_set = _("(PIN set)")
        return "{" + ", ".join(f"{who} = {pin_set}" for who in value) + "}"
    return format_value(value)


def render_settings(resolved: ResolvedSettings) -> str:
    """The text of `packstation config show`."""
    state = _("found") if resolved.config_exists else _("not found")
    heading = _("settings file: {path} ({source}, {state})").format(
        path=resolved.config_path, source=resolved.config_path_source, state=state
    )
    lines = [heading]
    rows = [
        (name, _shown(name, getattr(resolved.settings, name)), resolved.sources[name])
        for name in Settings.model_fields
    ]
    key_width = max(len(name) for name, _value, _source in rows)
    value_width = min(max(len(value) for _name, value, _source in rows), 40)
    for name, value, source in rows:
        lines.append(f"{name:<{key_width}}  {value:<{value_width}}  {source}")
    return "\n".join(lines)
