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

from packstation.i18n import N_, _, ngettext
from packstation.pins import verify_pin
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal

MAX_TRIES = 3


class PinScreen(StationModal):
    """Asks for a supervisor's PIN; dismissed with True when it matches, else False."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits for the dialog to close
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
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
            yield Static(_("SUPERVISOR DESK"), classes="title")
            yield Label(_("PIN for {supervisor}").format(supervisor=self.supervisor), markup=False)
            yield Input(password=True, id="pin", max_length=64)
            yield Label("", id="pin-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Open desk (Enter)"), id="pin-ok", variant="primary")
                yield Button(_("Cancel (Esc)"), id="pin-cancel")
        yield KeyBar()

    def on_mount(self) -> None:
        """Start in the PIN field."""
        self.query_one("#pin", Input).focus()

    async def change_language(self) -> None:
        """The dialog in the new language; what was typed stays in the field, and so does the
        last refusal, reworded."""
        typed = self.query_one("#pin", Input).value
        await self.recompose()
        field = self.query_one("#pin", Input)
        field.value = typed
        field.focus()
        self._show_tries_left()
        await super().change_language()

    def _show_tries_left(self) -> None:
        """After a wrong PIN: how many tries are left."""
        if not self.tries:
            return
        left = MAX_TRIES - self.tries
        self.query_one("#pin-error", Label).update(
            ngettext("wrong PIN ({count} try left)", "wrong PIN ({count} tries left)", left).format(
                count=left
            )
        )

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
        self._show_tries_left()

    @on(Button.Pressed, "#pin-cancel")
    def action_cancel(self) -> None:
        """Close without opening the desk."""
        self.dismiss(False)
