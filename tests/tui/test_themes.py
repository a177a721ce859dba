"""Theme files: the shipped four load, user files add or replace, broken ones are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from packstation.tui.themes import ThemeFileError, load_themes, theme_from_toml

SHIPPED = {"packstation-dark", "packstation-light", "packstation-high-contrast", "packstation-16"}


def test_shipped_themes_load() -> None:
    themes = load_themes([])
    assert set(themes.names) >= SHIPPED
    assert themes.problems == []
    assert themes.themes["packstation-light"].dark is False


def test_sixteen_colour_theme_uses_ansi_colours_only() -> None:
    theme = load_themes([]).themes["packstation-16"]
    assert theme.ansi is True
    colours = [theme.primary, theme.error, theme.success, theme.background, theme.foreground]
    colours += list(theme.variables.values())
    assert all(str(c).startswith("ansi_") for c in colours)


def test_user_theme_added_and_broken_one_reported(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\nprimary = "#123456"\n')
    (tmp_path / "bad.toml").write_text('name = "bad"\nprimary = "not-a-colour"\n')
    themes = load_themes([tmp_path])
    assert "mine" in themes.names
    assert "bad" not in themes.names
    assert len(themes.problems) == 1 and "bad.toml" in themes.problems[0]


def test_user_theme_replaces_shipped_by_name(tmp_path: Path) -> None:
    (tmp_path / "d.toml").write_text('name = "packstation-dark"\nprimary = "#00FF00"\n')
    assert load_themes([tmp_path]).themes["packstation-dark"].primary == "#00FF00"


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text('primary = "#000000"\nbogus = 1\n')
    with pytest.raises(ThemeFileError, match="bogus"):
        theme_from_toml(path)
