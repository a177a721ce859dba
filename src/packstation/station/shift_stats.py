"""A shift's figures per packer and per hour: orders, units, packages, refusals and aborts.

Read from the station's store by time (indexed: submits, refused scans and abandoned sessions
of the shift only, each in one query), so a long history does not slow a shift's figures.
`packstation stats` prints them; the supervisor desk shows them (F8).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from packstation.i18n import N_, _, datetime_text, decimal_symbol, time_text
from packstation.shifts import ShiftWindow
from packstation.station.clock import from_text, to_text
from packstation.station.store import StationStore

NO_BADGE = "-"
"""The packer column when no badge was scanned."""


@dataclass
class Figures:
    """What one packer (or everyone) did in one hour (or the whole shift)."""

    orders: set[str] = field(default_factory=set)
    units: float = 0.0
    packages: int = 0
    refused: int = 0
    """Scans the station refused."""
    aborted: int = 0
    """Submits whose workflow aborted or that failed (each a supervisor case)."""
    abandoned: int = 0
    """Orders the packer gave up (CMD-ABORT) without sending them."""

    def add(self, other: Figures) -> None:
        """Add another's figures to these."""
        self.orders |= other.orders
        self.units += other.units
        self.packages += other.packages
        self.refused += other.refused
        self.aborted += other.aborted
        self.abandoned += other.abandoned


@dataclass(frozen=True)
class StatsRow:
    """One line of the figures: a packer's hour, or (hour None) the packer's whole shift."""

    packer: str
    hour: datetime | None
    figures: Figures


@dataclass(frozen=True)
class ShiftStats:
    """A shift's figures: per packer, each hour then the packer's total; and everyone's."""

    window: ShiftWindow
    rows: list[StatsRow]
    total: Figures
    packers: int


_SUBMITS = """
SELECT s.order_id, s.packer, s.created_at, s.state,
    (SELECT total(coalesce(json_extract(u.value, '$.deliveredQuantity'), 0)
                  + coalesce(json_extract(u.value, '$.readyForPickupQuantity'), 0))
        FROM submit_requests q, json_each(q.patch_json, '$.lineItemUpdates') u
        WHERE q.submit_id = s.id AND q.kind != 'split'),
    (SELECT total(coalesce(json_array_length(q.patch_json, '$.shipmentInfo.packages'), 0))
        FROM submit_requests q WHERE q.submit_id = s.id),
    EXISTS (SELECT 1 FROM results r WHERE r.submit_id = s.id AND r.aborted = 1)
FROM submits s WHERE s.created_at >= ? AND s.created_at < ?
"""


def shift_stats(store: StationStore, window: ShiftWindow) -> ShiftStats:
    """The window's figures from the store: three indexed queries, none per submit."""
    span = (to_text(window.start), to_text(window.end))
    with store.reading() as conn:
        submits = conn.execute(_SUBMITS, span).fetchall()
        refused = conn.execute(
            "SELECT packer, recorded_at FROM refused_scans"
            " WHERE recorded_at >= ? AND recorded_at < ?",
            span,
        ).fetchall()
        abandoned = conn.execute(
            "SELECT packer, ended_at FROM sessions"
            " WHERE state = 'discarded' AND ended_at >= ? AND ended_at < ?",
            span,
        ).fetchall()
    zone = window.start.tzinfo
    cells: dict[tuple[str, datetime], Figures] = {}

    def cell(packer: str | None, at: str) -> Figures:
        hour = from_text(at).astimezone(zone).replace(minute=0, second=0, microsecond=0)
        return cells.setdefault((packer or NO_BADGE, hour), Figures())

    for order_id, packer, at, state, units, packages, aborted in submits:
        figures = cell(packer, at)
        figures.orders.add(order_id)
        figures.units += float(units or 0)
        figures.packages += int(packages or 0)
        figures.aborted += int(bool(aborted) or state == "failed")
    for packer, at in refused:
        cell(packer, at).refused += 1
    for packer, at in abandoned:
        cell(packer, at).abandoned += 1
    return _tabulate(window, cells)


def _tabulate(window: ShiftWindow, cells: dict[tuple[str, datetime], Figures]) -> ShiftStats:
    rows: list[StatsRow] = []
    total = Figures()
    packers = sorted({packer for packer, _hour in cells})
    for packer in packers:
        mine = Figures()
        for (who, hour), figures in sorted(cells.items()):
            if who == packer:
                rows.append(StatsRow(packer, hour, figures))
                mine.add(figures)
        rows.append(StatsRow(packer, None, mine))
        total.add(mine)
    return ShiftStats(window, rows, total, len(packers))


HEADERS = (
    N_("Packer"),
    N_("Hour"),
    N_("Orders"),
    N_("Units"),
    N_("Packages"),
    N_("Refused"),
    N_("Aborted"),
    N_("Abandoned"),
)
"""The figures' columns (English; the desk shows them translated)."""


def _units(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:.3f}".rstrip("0").replace(".", decimal_symbol())


def _cells(packer: str, hour: str, figures: Figures) -> tuple[str, ...]:
    return (
        packer,
        hour,
        str(len(figures.orders)),
        _units(figures.units),
        str(figures.packages),
        str(figures.refused),
        str(figures.aborted),
        str(figures.abandoned),
    )


def hour_label(hour: datetime | None) -> str:
    """`08:00-09:00` (in the language's form), or `whole shift` for a total."""
    if hour is None:
        return _("whole shift")
    return f"{time_text(hour)}-{time_text(hour + timedelta(hours=1))}"


def stats_cells(stats: ShiftStats) -> list[tuple[str, ...]]:
    """The rows as text cells (HEADERS' order), the everyone-total last."""
    cells = [_cells(r.packer, hour_label(r.hour), r.figures) for r in stats.rows]
    if stats.packers > 1:
        cells.append(_cells(_("all packers"), _("whole shift"), stats.total))
    return cells


def format_stats(stats: ShiftStats) -> str:
    """The figures as a plain, aligned text table with a heading line."""
    window = stats.window
    heading = _("Shift {name}: {start} to {end} (local time)").format(
        name=window.name, start=datetime_text(window.start), end=datetime_text(window.end)
    )
    if not stats.rows:
        return heading + "\n" + _("Nothing packed, refused or abandoned in this shift.")
    headers = [_(h) for h in HEADERS]
    return f"{heading}\n{format_columns(headers, stats_cells(stats))}"


def _is_number(text: str) -> bool:
    return text.replace(".", "").replace(",", "").isdigit()


def format_columns(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Aligned columns: text left, numbers right, a dashed rule under the headers."""
    table = [tuple(headers), *(tuple(r) for r in rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    numeric = [all(_is_number(r[i]) for r in table[1:]) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(table[0]), line(["-" * w for w in widths]), *map(line, table[1:])])
