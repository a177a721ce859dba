"""The back end cannot be reached: the URL, the reason, and a retry. Never a traceback."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
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

    def __init__(self, url: str, reason: str, *, credentials_refused: bool = False) -> None:
        super().__init__()
        self.url = url
        self.reason = reason
        self.credentials_refused = credentials_refused
        """Omnium answered and refused the client id or secret: not a network problem."""

    def compose(self) -> ComposeResult:
        """URL, reason, retry button."""
        refused = self.credentials_refused
        with Vertical(classes="dialog error-dialog"):
            title = "OMNIUM REFUSED THE CREDENTIALS" if refused else "CANNOT REACH OMNIUM"
            yield Static(title, classes="title")
            yield Static(Text(f"URL:    {self.url}"), id="conn-url")
            yield Static(Text(f"Reason: {self.reason}"), id="conn-reason")
            hint = (
                "Omnium answered but refused the station's client id or secret: check client_id "
                "and client_secret (packstation config show), then retry."
                if refused
                else "Check the network cable and the settings (packstation config show), "
                "then retry."
            )
            yield Static(hint, classes="hint")
            yield Button("Retry (F5)", id="conn-retry", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the retry button so Enter retries."""
        self.query_one("#conn-retry", Button).focus()

    @on(Button.Pressed, "#conn-retry")
    def action_retry(self) -> None:
        """Close and let the app try again."""
        self.dismiss(True)
