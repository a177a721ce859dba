"""Warehouse figures from PostgreSQL: per packer, per station and per hour, what every station
published: orders sent, units and packages in them, scans refused, submits aborted or failed
and orders abandoned, counted as the station's own shift figures count them
(station/shift_stats.py), over the same shift window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg

from packstation.i18n import N_, _, datetime_text, time_text
from packstation.shifts import ShiftWindow
from packstation.station.shift_stats import (
    HEADERS,
    Figures,
    ShiftStats,
    StatsRow,
    format_columns,
    stats_cells,
)

_QUERY = """
SELECT station_id, coalesce(payload->>'packer', '-'),
    date_trunc('hour', recorded_at AT TIME ZONE 'UTC'),
    array_agg(DISTINCT payload->>'order_id') FILTER (WHERE kind = 'submit_request'),
    coalesce(sum((payload->>'units')::float8) FILTER (WHERE kind = 'submit_request'), 0),
    coalesce(sum((payload->>'packages')::int) FILTER (WHERE kind = 'submit_request'), 0),
    count(*) FILTER (WHERE kind = 'refused_scan'),
    count(DISTINCT station_uid || ':' || (payload->>'submit_id')) FILTER (WHERE
        (kind = 'submit_outcome' AND payload->>'state' = 'failed')
        OR (kind = 'result' AND payload->>'kind' = 'submit' AND payload->>'aborted' = '1')),
    count(*) FILTER (WHERE kind = 'session' AND payload->>'state' = 'discarded')
FROM records
WHERE kind IN ('submit_request', 'submit_outcome', 'result', 'refused_scan', 'session')
    AND recorded_at >= %s AND recorded_at < %s
GROUP BY 1, 2, 3
"""


@dataclass(frozen=True)
class WarehouseStats:
    """A shift's figures over every station: per packer, per station, per hour and in all."""

    window: ShiftWindow
    by_packer: dict[str, Figures] = field(default_factory=dict)
    by_station: dict[str, Figures] = field(default_factory=dict)
    by_hour: dict[datetime, Figures] = field(default_factory=dict)
    total: Figures = field(default_factory=Figures)


def warehouse_stats(conn: psycopg.Connection, window: ShiftWindow) -> WarehouseStats:
    """The window's figures from the warehouse database (one grouped query)."""
    stats = WarehouseStats(window)
    zone = window.start.tzinfo
    rows = conn.execute(_QUERY.encode(), (window.start, window.end)).fetchall()
    for station_id, packer, hour, orders, units, packages, refused, aborted, abandoned in rows:
        figures = Figures(
            orders=set(orders or []),
            units=float(units),
            packages=int(packages),
            refused=int(refused),
            aborted=int(aborted),
            abandoned=int(abandoned),
        )
        local_hour = hour.replace(tzinfo=UTC).astimezone(zone)
        stats.by_packer.setdefault(packer, Figures()).add(figures)
        stats.by_station.setdefault(station_id, Figures()).add(figures)
        stats.by_hour.setdefault(local_hour, Figures()).add(figures)
        stats.total.add(figures)
    return stats


def format_warehouse_stats(stats: WarehouseStats) -> str:
    """Three aligned tables (per packer, per station, per hour) under the shift's heading."""
    window = stats.window
    heading = _("Warehouse, shift {name}: {start} to {end} (local time), every station").format(
        name=window.name, start=datetime_text(window.start), end=datetime_text(window.end)
    )
    if not stats.by_packer:
        return heading + "\n" + _("Nothing packed, refused or abandoned in this shift.")
    sections = [heading]
    counts = [_(h) for h in HEADERS[2:]]
    everyone = _("all")
    for title, groups in (
        (_("Packer"), {k: stats.by_packer[k] for k in sorted(stats.by_packer)}),
        (_("Station"), {k: stats.by_station[k] for k in sorted(stats.by_station)}),
    ):
        cells = [
            (key, *cell[2:])
            for key, figures in groups.items()
            for cell in stats_cells(_one(stats.window, key, figures))
        ]
        cells.append((everyone, *stats_cells(_one(stats.window, everyone, stats.total))[0][2:]))
        sections.append(format_columns((title, *counts), cells))
    hours = [
        (time_text(h), *stats_cells(_one(stats.window, "", f))[0][2:])
        for h, f in sorted(stats.by_hour.items())
    ]
    sections.append(format_columns((_("Hour"), *counts), hours))
    return "\n\n".join(sections)


WAREHOUSE_HEADERS = (N_("Per"), N_("Packer / station / hour"), *HEADERS[2:])
"""The desk's table of warehouse figures: which grouping, its key, then the counts (English:
`_()` them where they are shown)."""


def warehouse_cells(stats: WarehouseStats) -> list[tuple[str, ...]]:
    """The figures as text cells (WAREHOUSE_HEADERS' order): per packer, per station, per hour,
    then every station together."""
    groups: list[tuple[str, str, Figures]] = [
        *((N_("packer"), k, stats.by_packer[k]) for k in sorted(stats.by_packer)),
        *((N_("station"), k, stats.by_station[k]) for k in sorted(stats.by_station)),
        *((N_("hour"), time_text(h), f) for h, f in sorted(stats.by_hour.items())),
    ]
    if groups:
        groups.append((N_("all"), N_("every station"), stats.total))
    return [
        (
            _(per),
            _(key) if per == "all" else key,
            *stats_cells(_one(stats.window, key, figures))[0][2:],
        )
        for per, key, figures in groups
    ]


def _one(window: ShiftWindow, key: str, figures: Figures) -> ShiftStats:
    return ShiftStats(window, [StatsRow(key, None, figures)], figures, 1)
