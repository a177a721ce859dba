"""The settings name a status Omnium's order type does not have: say which, and quit with 2."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from packstation.i18n import N_, _
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal

EXIT_SETTINGS_REFUSED = 2
"""Exit status of `packstation` when the settings do not fit Omnium (as for a settings error)."""

TITLE = N_("THE SETTINGS DO NOT FIT OMNIUM'S ORDER TYPES")
"""Shown with `_()`."""


class SettingsRefusedScreen(StationModal):
    """Each problem, where to fix it, and Quit (exit status 2, the problems on stderr)."""

    HOLDS_SCANS = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", N_("Quit"))]

    def __init__(self, problems: tuple[str, ...], config_hint: str) -> None:
        super().__init__()
        self.problems = problems
        self.config_hint = config_hint

    def compose(self) -> ComposeResult:
        """Title, the problems (as text, never markup), the hint."""
        with Vertical(classes="dialog error-dialog"):
            yield Static(_(TITLE), classes="title")
            yield Static(Text("\n".join(f"- {p}" for p in self.problems)), id="refused-problems")
            yield Static(Text(self.config_hint), classes="hint")
        yield KeyBar()

    async def change_language(self) -> None:
        """Compose the dialog again in the new language."""
        await self.recompose()
        await super().change_language()

    def action_quit_refused(self) -> None:
        """Quit with exit status 2; the terminal keeps the reasons."""
        lines = [f"packstation: error: {p}" for p in self.problems]
        self.app.exit(return_code=EXIT_SETTINGS_REFUSED, message=Text("\n".join(lines)))
