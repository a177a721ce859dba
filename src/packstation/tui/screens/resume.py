"""On start: an unfinished session is offered for resumption, or discarded after a confirm."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from packstation.i18n import N_, _, current_language, datetime_text, ngettext
from packstation.packing.commands import Command
from packstation.packing.symbology import scan_body
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.base import StationModal


class ResumeScreen(StationModal):
    """Resume (F2) or discard (F8, then F8 again to confirm). Dismisses "resume"/"discard"."""

    HOLDS_SCANS = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "resume", N_("Resume")),
        Binding("f8", "discard", N_("Discard")),
        Binding("escape", "cancel_discard", N_("Don't discard"), show=False),
    ]

    def __init__(self, unfinished: Any) -> None:
        super().__init__()
        self.unfinished = unfinished
        self.confirming = False

    def compose(self) -> ComposeResult:
        """What was left, and the two choices."""
        u = self.unfinished
        started = getattr(u, "started_at", None)
        when = "?"
        if started is not None:
            # English keeps the ISO form it always had; the others their local form.
            english = current_language() == "en"
            when = started.strftime("%Y-%m-%d %H:%M") if english else datetime_text(started)
        with Vertical(classes="dialog"):
            yield Static(_("UNFINISHED ORDER"), classes="title")
            yield Static(
                Text(
                    # The English singular says "changes" as it always did (tests compare it).
                    ngettext(
                        "Order {order_id}, shipment {shipment_id}, packer {packer}, "
                        "started {when}, {count} changes recorded.",
                        "Order {order_id}, shipment {shipment_id}, packer {packer}, "
                        "started {when}, {count} changes recorded.",
                        len(u.events),
                    ).format(
                        order_id=u.order.id,
                        shipment_id=u.shipment_id,
                        packer=u.packer or "-",
                        when=when,
                        count=len(u.events),
                    )
                ),
                id="resume-what",
            )
            yield Static(
                _("Scan CMD-RESUME to go on packing it, or CMD-DISCARD twice to throw it away."),
                classes="hint",
            )
            yield Static("", id="resume-confirm", classes="problems")
            with Horizontal(classes="buttons"):
                yield Button(_("Resume (F2)"), id="resume-yes", variant="success")
                yield Button(_("Discard (F8)"), id="resume-discard", variant="error")
        yield KeyBar()

    def on_mount(self) -> None:
        """Resume is the safe default for Enter."""
        self.query_one("#resume-yes", Button).focus()

    async def change_language(self) -> None:
        """Compose the dialog again in the new language, still asking if it asked."""
        await self.recompose()
        self.query_one("#resume-yes", Button).focus()
        if self.confirming:
            self._ask_discard()
        await super().change_language()

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
            self._ask_discard()
            return
        self.dismiss("discard")

    def _ask_discard(self) -> None:
        self.query_one("#resume-confirm", Static).update(
            Text(
                _(
                    "Discard everything packed for order {order_id}? Scan CMD-DISCARD or press "
                    "F8 again to discard; CMD-RESUME or Esc keeps it."
                ).format(order_id=self.unfinished.order.id)
            )
        )

    def action_cancel_discard(self) -> None:
        """Keep the session after all."""
        self.confirming = False
        self.query_one("#resume-confirm", Static).update("")
