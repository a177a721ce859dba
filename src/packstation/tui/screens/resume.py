"""On start: an unfinished session is offered for resumption, or discarded after a confirm."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from packstation.packing.commands import Command
from packstation.packing.symbology import scan_body
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal


class ResumeScreen(StationModal):
    """Resume (F2) or discard (F8, then F8 again to confirm). Dismisses "resume"/"discard"."""

    HOLDS_SCANS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "resume", "Resume"),
        Binding("f8", "discard", "Discard"),
        Binding("escape", "cancel_discard", "Don't discard", show=False),
    ]

    def __init__(self, unfinished: Any) -> None:
        super().__init__()
        self.unfinished = unfinished
        self.confirming = False

    def compose(self) -> ComposeResult:
        """What was left, and the two choices."""
        u = self.unfinished
        started = getattr(u, "started_at", None)
        when = started.strftime("%Y-%m-%d %H:%M") if started is not None else "?"
        with Vertical(classes="dialog"):
            yield Static("UNFINISHED ORDER", classes="title")
            yield Static(
                Text(
                    f"Order {u.order.id}, shipment {u.shipment_id}, packer {u.packer or '-'}, "
                    f"started {when}, {len(u.events)} changes recorded."
                ),
                id="resume-what",
            )
            yield Static(
                "Scan CMD-RESUME to go on packing it, or CMD-DISCARD twice to throw it away.",
                classes="hint",
            )
            yield Static("", id="resume-confirm", classes="problems")
            with Horizontal(classes="buttons"):
                yield Button("Resume (F2)", id="resume-yes", variant="success")
                yield Button("Discard (F8)", id="resume-discard", variant="error")
        yield KeyBar()

    def on_mount(self) -> None:
        """Resume is the safe default for Enter."""
        self.query_one("#resume-yes", Button).focus()

    def answer_scan(self, text: str) -> bool:
        """CMD-RESUME and CMD-DISCARD answer the question; other scans wait behind it."""
        command = scan_body(text).upper()
        if command == Command.RESUME.value:
            self.action_resume()
            return True
        if command == Command.DISCARD.value:
            self.action_discard()
            return True
        return False

    @on(Button.Pressed, "#resume-yes")
    def action_resume(self) -> None:
        """Bring the session back."""
        self.dismiss("resume")

    @on(Button.Pressed, "#resume-discard")
    def action_discard(self) -> None:
        """First press asks; the second discards."""
        if not self.confirming:
            self.confirming = True
            self.app.bell()
            self.query_one("#resume-confirm", Static).update(
                Text(
                    f"Discard everything packed for order {self.unfinished.order.id}? "
                    "Scan CMD-DISCARD or press F8 again to discard; CMD-RESUME or Esc keeps it."
                )
            )
            return
        self.dismiss("discard")

    def action_cancel_discard(self) -> None:
        """Keep the session after all."""
        self.confirming = False
        self.query_one("#resume-confirm", Static).update("")
