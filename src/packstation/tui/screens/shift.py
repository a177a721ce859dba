"""The desk's shift view: a shift's figures per packer and hour, and what happened in it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from packstation.i18n import N_, _, ngettext
from packstation.shifts import ShiftWindow, current_shift
from packstation.station.clock import utc_now
from packstation.station.history import HEADERS as HISTORY_HEADERS
from packstation.station.history import HistoryRow, history_rows
from packstation.station.shift_stats import HEADERS, ShiftStats, shift_stats, stats_cells
from packstation.station.store import StationStore
from packstation.tui.screens.base import StationScreen
from packstation.tui.widgets import ScanBanner

if TYPE_CHECKING:
    # Annotations only: psycopg loads only on stations with warehouse_db (see warehouse_cells).
    from packstation.warehouse.stats import WarehouseStats

_INSTANT = timedelta(microseconds=1)


def shift_history(store: StationStore, window: ShiftWindow) -> tuple[ShiftStats, list[HistoryRow]]:
    """The window's figures and its history rows (submits and supervisor actions)."""
    rows = [r for r in history_rows(store, since=window.start) if r.when < window.end]
    return shift_stats(store, window), rows


class ShiftScreen(StationScreen):
    """Figures per packer and hour for a shift, and its history; F2/F3 step between shifts."""

    BLOCKS_SCANS = True  # a scan here would reach the desk underneath, unseen
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "earlier", N_("Earlier shift")),
        Binding("f3", "later", N_("Later shift")),
        Binding("f5", "refresh", N_("Refresh")),
        Binding("escape", "close", N_("Back to the desk")),
    ]

    def __init__(self, shifts: list[str]) -> None:
        super().__init__()
        self.shifts = shifts
        self.window = current_shift(utc_now().astimezone(), shifts)
        self.stats: ShiftStats | None = None

    def compose_body(self) -> ComposeResult:
        """Heading, figures, history."""
        yield ScanBanner(_("Loading the shift…"), id="shift-banner")
        yield Static("", id="shift-title", classes="title")
        yield DataTable(id="shift-figures", cursor_type="row", zebra_stripes=True)
        # With the warehouse database: the same figures over every station.
        yield Static("", id="shift-warehouse-title", classes="title")
        yield DataTable(id="shift-warehouse", cursor_type="row", zebra_stripes=True)
        yield Static(Text(_("What happened in this shift"), style="bold"), classes="title")
        yield DataTable(id="shift-history", cursor_type="row")

    def on_mount(self) -> None:
        """Columns, then load."""
        self._add_columns()
        self.action_refresh()

    async def change_language(self) -> None:
        """Compose the view again in the new language and read the shift again."""
        await self.recompose()
        self._add_columns()
        self.action_refresh()
        await super().change_language()

    def _add_columns(self) -> None:
        """The tables' columns in the current language (keyed by the English titles)."""
        figures = self.query_one("#shift-figures", DataTable)
        for label in HEADERS:
            figures.add_column(_(label), key=label.lower())
        shared = self.query_one("#shift-warehouse", DataTable)
        if self.station.services.warehouse is None:
            shared.display = False
            self.query_one("#shift-warehouse-title", Static).display = False
        else:
            # Here, not at the top: psycopg loads only on stations with warehouse_db.
            from packstation.warehouse.stats import WAREHOUSE_HEADERS

            for label in WAREHOUSE_HEADERS:
                shared.add_column(_(label), key=label.lower())
        history = self.query_one("#shift-history", DataTable)
        for label in HISTORY_HEADERS:
            history.add_column(_(label), key=label.lower())
        figures.focus()

    def action_refresh(self) -> None:
        """Read the shift again."""
        self.run_worker(self._load(self.window), exclusive=True, group="shift")

    async def _load(self, window: ShiftWindow) -> None:
        stats, rows = await self.station.in_thread(shift_history, self.station.store, window)
        self.stats = stats
        self.query_one("#shift-title", Static).update(
            Text(
                _("Shift {name}: {start} to {end} (local time)").format(
                    name=window.name,
                    start=f"{window.start:%Y-%m-%d %H:%M}",
                    end=f"{window.end:%Y-%m-%d %H:%M}",
                )
            )
        )
        figures = self.query_one("#shift-figures", DataTable)
        figures.clear()
        for cells in stats_cells(stats):
            # Packer and hour as text, the counts right-aligned.
            figures.add_row(
                *(Text(c, justify="right" if i > 1 else "left") for i, c in enumerate(cells))
            )
        if self.station.services.warehouse is not None:
            await self._load_warehouse(window)
        history = self.query_one("#shift-history", DataTable)
        history.clear()
        for row in rows:
            history.add_row(
                Text(row.when.astimezone().strftime("%H:%M:%S")),
                *(Text(c) for c in (row.order_id, row.shipment, row.who, row.what, row.result)),
            )
        banner = self.query_one("#shift-banner", ScanBanner)
        if stats.rows:
            orders = ngettext(
                "{count} orders by {packers} packer(s); "
                "F2 / F3 earlier / later shift, Esc back to the desk",
                "{count} orders by {packers} packer(s); "
                "F2 / F3 earlier / later shift, Esc back to the desk",
                len(stats.total.orders),
            )
            banner.show(orders.format(count=len(stats.total.orders), packers=stats.packers), "info")
        else:
            banner.show(_("Nothing packed in this shift; F2 / F3 earlier / later shift"), "info")

    async def _load_warehouse(self, window: ShiftWindow) -> None:
        """Every station's figures from the warehouse database (or why they are not shown)."""
        # Deferred: psycopg (~130 ms CPU) loads only where the warehouse database is used.
        from packstation.warehouse.stats import warehouse_cells, warehouse_stats

        warehouse = self.station.services.warehouse
        assert warehouse is not None

        def read() -> WarehouseStats:
            with warehouse.pool.connection() as conn:
                return warehouse_stats(conn, window)

        title = self.query_one("#shift-warehouse-title", Static)
        table = self.query_one("#shift-warehouse", DataTable)
        table.clear()
        try:
            stats = await self.station.in_thread(read)
        except Exception as err:  # unreachable or refused: this station's figures still show
            reason = " ".join(str(err).split()) or type(err).__name__
            title.update(
                Text(
                    _("Every station: warehouse database not reached ({reason})").format(
                        reason=reason
                    )
                )
            )
            return
        title.update(Text(_("Every station (warehouse database)"), style="bold"))
        for cells in warehouse_cells(stats):
            table.add_row(
                *(Text(c, justify="right" if i > 1 else "left") for i, c in enumerate(cells))
            )

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
