"""The supervisor's PIN, asked before the desk opens (when one is set for that supervisor).

A badge only says who someone claims to be; the PIN is checked against its salted hash in the
settings, off the event loop (the hash is slow on purpose). What is typed is never shown, never
taken as a scan, and forgotten once checked. Three wrong PINs close the dialog.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from packstation.pins import verify_pin
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal

MAX_TRIES = 3


class PinScreen(StationModal):
    """Asks for a supervisor's PIN; dismissed with True when it matches, else False."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits for the dialog to close
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, supervisor: str, stored: str) -> None:
        super().__init__()
        self.supervisor = supervisor
        self._stored = stored
        self.tries = 0
        self._checking = False

    def compose(self) -> ComposeResult:
        """The PIN field."""
        with Vertical(classes="dialog"):
            yield Static("SUPERVISOR DESK", classes="title")
            yield Label(f"PIN for {self.supervisor}", markup=False)
            yield Input(password=True, id="pin", max_length=64)
            yield Label("", id="pin-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Open desk (Enter)", id="pin-ok", variant="primary")
                yield Button("Cancel (Esc)", id="pin-cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start in the PIN field."""
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    @on(Button.Pressed, "#pin-ok")
    async def check(self) -> None:
        """Check the PIN; the desk opens on a match, three misses close the dialog."""
        if self._checking:
            return
        field = self.query_one("#pin", Input)
        pin, field.value = field.value, ""
        if not pin:
            return
        self._checking = True
        try:
            ok = await asyncio.to_thread(verify_pin, pin, self._stored)
        finally:
            self._checking = False
        if ok:
            self.dismiss(True)
            return
        self.tries += 1
        self.app.bell()
        if self.tries >= MAX_TRIES:
            self.dismiss(False)
            return
        left = MAX_TRIES - self.tries
        self.query_one("#pin-error", Label).update(
            f"wrong PIN ({left} {'try' if left == 1 else 'tries'} left)"
        )

    @on(Button.Pressed, "#pin-cancel")
    def action_cancel(self) -> None:
        """Close without opening the desk."""
        self.dismiss(False)
