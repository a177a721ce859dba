"""The back end cannot be reached: the URL, the reason, and a retry. Never a traceback."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Static

from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal


class ConnectionErrorScreen(StationModal):
    """Shown when Omnium does not answer; dismissed with True on retry."""

    HOLDS_SCANS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "retry", "Retry"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, url: str, reason: str) -> None:
        super().__init__()
        self.url = url
        self.reason = reason

    def compose(self) -> ComposeResult:
        """URL, reason, retry button."""
        with Vertical(classes="dialog error-dialog"):
            yield Static("CANNOT REACH OMNIUM", classes="title")
            yield Static(f"URL:    {self.url}", id="conn-url")
            yield Static(f"Reason: {self.reason}", id="conn-reason")
            yield Static(
                "Check the network cable and the settings (packstation config show), then retry.",
                classes="hint",
            )
            yield Button("Retry (F5)", id="conn-retry", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the retry button so Enter retries."""
        self.query_one("#conn-retry", Button).focus()

    @on(Button.Pressed, "#conn-retry")
    def action_retry(self) -> None:
        """Close and let the app try again."""
        self.dismiss(True)
