"""The back end cannot be reached: the URL, the reason, and a retry. Never a traceback."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Static

from packstation.i18n import N_, _
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal


class ConnectionErrorScreen(StationModal):
    """Shown when Omnium does not answer; dismissed with True on retry."""

    HOLDS_SCANS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "retry", N_("Retry")),
        Binding("ctrl+q", "app.quit", N_("Quit")),
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
            title = _("OMNIUM REFUSED THE CREDENTIALS") if refused else _("CANNOT REACH OMNIUM")
            yield Static(title, classes="title")
            yield Static(Text(_("URL:    {url}").format(url=self.url)), id="conn-url")
            yield Static(Text(_("Reason: {reason}").format(reason=self.reason)), id="conn-reason")
            hint = (
                _(
                    "Omnium answered but refused the station's client id or secret: check "
                    "client_id and client_secret (packstation config show), then retry."
                )
                if refused
                else _(
                    "Check the network cable and the settings (packstation config show), "
                    "then retry."
                )
            )
            yield Static(hint, classes="hint")
            yield Button(_("Retry (F5)"), id="conn-retry", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        """Focus the retry button so Enter retries."""
        self.query_one("#conn-retry", Button).focus()

    async def change_language(self) -> None:
        """Compose the dialog again in the new language (the reason stays as it was told)."""
        await self.recompose()
        self.query_one("#conn-retry", Button).focus()
        await super().change_language()

    @on(Button.Pressed, "#conn-retry")
    def action_retry(self) -> None:
        """Close and let the app try again."""
        self.dismiss(True)
