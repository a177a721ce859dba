"""Colour themes: TOML files turned into Textual `Theme` objects.

The shipped themes live in the package (`packstation/themes/*.toml`); a user adds their own
as `<user config dir>/packstation/themes/*.toml`. A user theme with the name of a shipped one
replaces it. A broken user file is reported, never fatal.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from textual.color import Color, ColorParseError
from textual.theme import Theme

from packstation.config import APP_NAME

DEFAULT_THEME = "packstation-dark"
SHIPPED_THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"

_COLOUR_KEYS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
_OTHER_KEYS = {"name", "dark", "ansi", "luminosity_spread", "text_alpha", "variables"}


class ThemeFileError(ValueError):
    """A theme file that cannot be used, with the file and the reason in one line."""


def user_themes_dir() -> Path:
    """Where a user puts their own theme files."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "themes"


def _colour(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(f"{path.name}: {key} must be a colour string")
    try:
        Color.parse(value)
    except ColorParseError as err:
        raise ThemeFileError(f"{path.name}: {key} = {value!r} is not a colour") from err
    return value


def theme_from_toml(path: Path) -> Theme:
    """Read one theme file; raises ThemeFileError naming the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ThemeFileError(f"{path.name}: {err}") from err
    unknown = set(data) - set(_COLOUR_KEYS) - _OTHER_KEYS
    if unknown:
        raise ThemeFileError(f"{path.name}: unknown keys {', '.join(sorted(unknown))}")
    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError(f"{path.name}: name must be a non-empty string")
    if "primary" not in data:
        raise ThemeFileError(f"{path.name}: primary colour is required")
    colours = {key: _colour(path, key, data[key]) for key in _COLOUR_KEYS if key in data}
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ThemeFileError(f"{path.name}: [variables] must be a table")
    # Variables may hold colours or other CSS values (e.g. "reverse"); keep them as text.
    variables = {str(k): str(v) for k, v in variables.items()}
    dark = bool(data.get("dark", True))
    if data.get("ansi"):
        # Textual's widgets refer to these in ANSI mode; a theme must define them.
        variables.setdefault("ansi-background", "ansi_black" if dark else "ansi_white")
        variables.setdefault("ansi-foreground", "ansi_white" if dark else "ansi_black")
    try:
        return Theme(
            name=name,
            dark=dark,
            ansi=bool(data.get("ansi", False)),
            luminosity_spread=float(data.get("luminosity_spread", 0.15)),
            text_alpha=float(data.get("text_alpha", 0.95)),
            variables=variables,
            **colours,
        )
    except (TypeError, ValueError) as err:
        raise ThemeFileError(f"{path.name}: {err}") from err


@dataclass
class ThemeSet:
    """Every theme the station can use, plus the problems found loading user files."""

    themes: dict[str, Theme] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Theme names, shipped first in file order."""
        return list(self.themes)


def load_themes(directories: Iterable[Path] | None = None) -> ThemeSet:
    """The shipped themes, then each directory's (later ones override by name)."""
    result = ThemeSet()
    for path in sorted(SHIPPED_THEMES_DIR.glob("*.toml")):
        theme = theme_from_toml(path)  # a broken shipped theme is a bug: let it raise
        result.themes[theme.name] = theme
    for directory in directories if directories is not None else [user_themes_dir()]:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.toml")):
            try:
                theme = theme_from_toml(path)
            except ThemeFileError as err:
                result.problems.append(str(err))
                continue
            result.themes[theme.name] = theme
    return result
