"""Something the station cannot work without is broken: say what, plainly, and how to quit."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from packstation.i18n import N_
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal


class FatalScreen(StationModal):
    """A plain message and Quit; no traceback."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", N_("Quit"))]

    def __init__(self, title: str, reason: str) -> None:
        super().__init__()
        self.title_text = title
        self.reason = reason

    def compose(self) -> ComposeResult:
        """Title and reason."""
        with Vertical(classes="dialog error-dialog"):
            yield Static(Text(self.title_text.upper()), classes="title")
            yield Static(Text(self.reason), id="fatal-reason")
        yield KeyBar()
