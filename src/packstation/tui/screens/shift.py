"""The desk's shift view: a shift's figures per packer and hour, and what happened in it."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from packstation.shifts import ShiftWindow, current_shift
from packstation.station.clock import utc_now
from packstation.station.history import HEADERS as HISTORY_HEADERS
from packstation.station.history import HistoryRow, history_rows
from packstation.station.shift_stats import HEADERS, ShiftStats, shift_stats, stats_cells
from packstation.station.store import StationStore
from packstation.tui.screens.base import StationScreen
from packstation.tui.widgets import ScanBanner

_INSTANT = timedelta(microseconds=1)


def shift_history(store: StationStore, window: ShiftWindow) -> tuple[ShiftStats, list[HistoryRow]]:
    """The window's figures and its history rows (submits and supervisor actions)."""
    rows = [r for r in history_rows(store, since=window.start) if r.when < window.end]
    return shift_stats(store, window), rows


class ShiftScreen(StationScreen):
    """Figures per packer and hour for a shift, and its history; F2/F3 step between shifts."""

    BLOCKS_SCANS = True  # a scan here would reach the desk underneath, unseen
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "earlier", "Earlier shift"),
        Binding("f3", "later", "Later shift"),
        Binding("f5", "refresh", "Refresh"),
        Binding("escape", "close", "Back to the desk"),
    ]

    def __init__(self, shifts: list[str]) -> None:
        super().__init__()
        self.shifts = shifts
        self.window = current_shift(utc_now().astimezone(), shifts)
        self.stats: ShiftStats | None = None

    def compose_body(self) -> ComposeResult:
        """Heading, figures, history."""
        yield ScanBanner("Loading the shift…", id="shift-banner")
        yield Static("", id="shift-title", classes="title")
        yield DataTable(id="shift-figures", cursor_type="row", zebra_stripes=True)
        yield Static(Text("What happened in this shift", style="bold"), classes="title")
        yield DataTable(id="shift-history", cursor_type="row")

    def on_mount(self) -> None:
        """Columns, then load."""
        figures = self.query_one("#shift-figures", DataTable)
        for label in HEADERS:
            figures.add_column(label, key=label.lower())
        history = self.query_one("#shift-history", DataTable)
        for label in HISTORY_HEADERS:
            history.add_column(label, key=label.lower())
        figures.focus()
        self.action_refresh()

    def action_refresh(self) -> None:
        """Read the shift again."""
        self.run_worker(self._load(self.window), exclusive=True, group="shift")

    async def _load(self, window: ShiftWindow) -> None:
        stats, rows = await self.station.in_thread(shift_history, self.station.store, window)
        self.stats = stats
        self.query_one("#shift-title", Static).update(
            Text(
                f"Shift {window.name}: {window.start:%Y-%m-%d %H:%M} to "
                f"{window.end:%Y-%m-%d %H:%M} (local time)"
            )
        )
        figures = self.query_one("#shift-figures", DataTable)
        figures.clear()
        for cells in stats_cells(stats):
            # Packer and hour as text, the counts right-aligned.
            figures.add_row(
                *(Text(c, justify="right" if i > 1 else "left") for i, c in enumerate(cells))
            )
        history = self.query_one("#shift-history", DataTable)
        history.clear()
        for row in rows:
            history.add_row(
                Text(row.when.astimezone().strftime("%H:%M:%S")),
                *(Text(c) for c in (row.order_id, row.shipment, row.who, row.what, row.result)),
            )
        banner = self.query_one("#shift-banner", ScanBanner)
        if stats.rows:
            banner.show(
                f"{len(stats.total.orders)} orders by {stats.packers} packer(s); "
                "F2 / F3 earlier / later shift, Esc back to the desk",
                "info",
            )
        else:
            banner.show("Nothing packed in this shift; F2 / F3 earlier / later shift", "info")

    def action_earlier(self) -> None:
        """The shift before this one."""
        self.window = current_shift(self.window.start - _INSTANT, self.shifts)
        self.action_refresh()

    def action_later(self) -> None:
        """The shift after this one."""
        self.window = current_shift(self.window.end, self.shifts)
        self.action_refresh()

    def action_close(self) -> None:
        """Back to the desk."""
        self.app.pop_screen()
