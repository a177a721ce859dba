"""Where a split line's rest goes: another warehouse or a pickup point."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from packstation.packing.decisions import SplitTarget
from packstation.tui.screens.base import StationModal


class SplitTargetScreen(StationModal):
    """Two fields: warehouse code or pickup point id (both empty = this warehouse)."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits for the dialog to close
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("f6", "save", "Split"),
    ]

    def compose(self) -> ComposeResult:
        """The dialog."""
        with Vertical(classes="dialog"):
            yield Static("Split the rest to…", classes="title")
            yield Label("Warehouse code (empty = a new shipment from this warehouse)")
            yield Input(id="split-warehouse", placeholder="e.g. WH-BERGEN")
            yield Label("Pickup point id (optional)")
            yield Input(id="split-point", placeholder="service point id")
            with Horizontal(classes="buttons"):
                yield Button("Split (F6)", id="split-save", variant="primary")
                yield Button("Cancel (Esc)", id="split-cancel")

    @on(Button.Pressed, "#split-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        """Return the target."""
        warehouse = self.query_one("#split-warehouse", Input).value.strip() or None
        point = self.query_one("#split-point", Input).value.strip() or None
        target: SplitTarget = SplitTarget(warehouse_code=warehouse, service_point_id=point)
        self.dismiss(target)

    @on(Button.Pressed, "#split-cancel")
    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
