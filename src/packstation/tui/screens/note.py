"""The desk's note dialog: a reason or a note (required), and optionally a status from a list."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from packstation.i18n import N_, _
from packstation.tui.screens.base import StationModal


class NoteScreen(StationModal):
    """Asks for text (a reason or a note; required) and optionally a status from a list."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits for the dialog to close
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("f6", "save", N_("Save")),
    ]

    def __init__(
        self,
        title: str,
        label: str,
        statuses: tuple[str, ...] | None = None,
        status: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.statuses = statuses
        """The statuses offered (the order type's, from Omnium); None: no status asked."""
        self.status = status if statuses and status in statuses else None

    def compose(self) -> ComposeResult:
        """The fields."""
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="title")
            if self.statuses is not None:
                yield Label(_("Status (the order type's, from Omnium)"))
                options = [(name, name) for name in self.statuses]
                yield Select(
                    options,
                    value=self.status or Select.NULL,
                    id="note-status",
                    prompt=_("choose"),
                )
                yield Label("", id="status-error", classes="field-error")
            yield Label(Text(self.label))
            yield Input(id="note-text")
            yield Label("", id="note-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(_("Save (F6)"), id="note-save", variant="primary")
                yield Button(_("Cancel (Esc)"), id="note-cancel")

    def on_mount(self) -> None:
        """Start in the text field."""
        self.query_one("#note-text", Input).focus()

    async def change_language(self) -> None:
        """The fields in the new language, with what was typed and chosen kept (the title,
        made by the desk, stays as it was worded)."""
        typed = self.query_one("#note-text", Input).value
        if self.statuses is not None:
            chosen = self.query_one("#note-status", Select).value
            self.status = chosen if isinstance(chosen, str) else None
        await self.recompose()
        self.query_one("#note-text", Input).value = typed
        self.query_one("#note-text", Input).focus()
        await super().change_language()

    @on(Input.Submitted)
    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        """Refuse an empty reason at the field; otherwise return (status, text)."""
        text = self.query_one("#note-text", Input).value.strip()
        status = None
        if self.statuses is not None:
            chosen = self.query_one("#note-status", Select).value
            status = chosen if isinstance(chosen, str) else None
            if not status:
                self.query_one("#status-error", Label).update(_("a status is required"))
                self.app.bell()
                return
        if not text:
            self.query_one("#note-error", Label).update(_("required: say why"))
            self.app.bell()
            return
        self.dismiss((status, text))

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
