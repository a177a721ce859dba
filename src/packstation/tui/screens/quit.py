"""Quitting with submits still in the outbox: say how many, and that they go out next start."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from packstation.i18n import N_, _, ngettext
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal


def pending_message(count: int, note: str = "") -> str:
    """What the packer reads before quitting with `count` submits pending."""
    if note:
        return ngettext(
            "{count} submit not sent yet (waiting: {note}). They stay on this station and are "
            "sent when it starts next. Quit now?",
            "{count} submits not sent yet (waiting: {note}). They stay on this station and are "
            "sent when it starts next. Quit now?",
            count,
        ).format(count=count, note=note)
    return ngettext(
        "{count} submit not sent yet. They stay on this station and are sent when it starts "
        "next. Quit now?",
        "{count} submits not sent yet. They stay on this station and are sent when it starts "
        "next. Quit now?",
        count,
    ).format(count=count)


class QuitScreen(StationModal):
    """Quit (ctrl+q again, or the button) or stay (Esc, the default for Enter)."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits: the packer may stay
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "stay", N_("Stay"))]

    def __init__(self, count: int, note: str = "") -> None:
        super().__init__()
        self.count = count
        self.note = note

    def compose(self) -> ComposeResult:
        """The count, what happens to them, the two choices."""
        with Vertical(classes="dialog error-dialog"):
            yield Static(_("SUBMITS STILL PENDING"), classes="title")
            yield Static(Text(pending_message(self.count, self.note)), id="quit-what")
            with Horizontal(classes="buttons"):
                yield Button(_("Quit (ctrl+q)"), id="quit-yes", variant="error")
                yield Button(_("Stay (Esc)"), id="quit-no", variant="primary")
        yield KeyBar()

    def on_mount(self) -> None:
        """Staying is the safe default for Enter."""
        self.query_one("#quit-no", Button).focus()

    async def change_language(self) -> None:
        """Compose the dialog again in the new language; staying stays the default."""
        await self.recompose()
        self.query_one("#quit-no", Button).focus()
        await super().change_language()

    @on(Button.Pressed, "#quit-yes")
    def action_leave(self) -> None:
        """Quit after all."""
        self.dismiss(True)

    @on(Button.Pressed, "#quit-no")
    def action_stay(self) -> None:
        """Back to work."""
        self.dismiss(False)
