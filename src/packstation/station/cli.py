"""`packstation history` (who packed what, when, with which result) and `packstation stats`
(a shift's orders, units, packages, refusals and aborts per packer and hour)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from typing import Any

from packstation.i18n import _
from packstation.shifts import (
    ShiftWindow,
    check_hours,
    current_shift,
    latest_shift,
    shift_on,
)
from packstation.station.db import database_path
from packstation.station.errors import StoreError


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation history`."""
    history = subparsers.add_parser(
        "history",
        help=_("who packed what, when, with which result"),
        description=_(
            "Print this station's packing history from its database in the data directory: "
            "every submit (who packed it, the shipments, the packages, the workflow result) "
            "and every supervisor action."
        ),
    )
    history.add_argument("--order", metavar="ID", help=_("only this order"))
    history.add_argument(
        "--since",
        metavar="DATE",
        type=parse_since,
        help=_("only from this local date or time on (YYYY-MM-DD or YYYY-MM-DDTHH:MM)"),
    )
    history.set_defaults(handler=run_history)
    stats = subparsers.add_parser(
        "stats",
        help=_("a shift's figures per packer and hour"),
        description=_(
            "Print a shift's figures from this station's database, per packer and per hour: "
            "orders sent, units and packages in them, scans refused, submits aborted or "
            "failed (supervisor cases) and orders abandoned (CMD-ABORT). Without options: "
            "the current shift of the `shifts` setting, or the whole of today. Times are "
            "local."
        ),
    )
    stats.add_argument(
        "--date",
        metavar="DAY",
        type=_day,
        help=_("the day the shift starts (YYYY-MM-DD; default: today); alone: that whole day"),
    )
    stats.add_argument(
        "--shift",
        metavar="HH:MM-HH:MM",
        type=_hours,
        help=_("the shift's hours, e.g. 06:00-14:00 or 22:00-06:00 (default: the whole day)"),
    )
    stats.add_argument(
        "--warehouse",
        dest="from_warehouse",  # the top-level --warehouse is the warehouse code
        action="store_true",
        help=_(
            "every station's figures, per packer, station and hour, from the warehouse database"
        ),
    )
    stats.set_defaults(handler=run_stats)


def parse_since(text: str) -> datetime:
    """A --since value: a date (midnight local time) or an ISO date and time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a date: {text} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)").format(text=repr(text))
        ) from None
    if len(text.strip()) == 10:
        moment = datetime.combine(moment.date(), time())
    return moment if moment.tzinfo else moment.astimezone()


def run_history(args: argparse.Namespace) -> int:
    """Print the history table; 0 even when it is empty, 1 if the database is unusable."""
    # Deferred: `packstation` imports this module to build its parser; the settings and the
    # store load pydantic (~130 ms, ~50-75 ms CPU more here), which `--help` does without.
    from packstation.config import load_settings
    from packstation.station.history import format_table, history_rows
    from packstation.station.store import StationStore

    settings = load_settings(args)
    path = database_path(settings.data_dir)
    if not path.exists():
        print(_("No packing history yet ({path} does not exist).").format(path=path))
        return 0
    try:
        store = StationStore.open(settings.data_dir, set_aside=False)
    except StoreError as err:
        print(_("packstation: error: {reason}").format(reason=err), file=sys.stderr)
        return 1
    with store:
        rows = history_rows(store, order_id=args.order, since=args.since)
    if not rows:
        print(_("No packing history matches."))
        return 0
    print(format_table(rows))
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a date: {text} (use YYYY-MM-DD)").format(text=repr(text))
        ) from None


def _hours(text: str) -> str:
    try:
        return check_hours(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def stats_window(
    now: datetime, day: date | None, hours: str | None, shifts: list[str]
) -> ShiftWindow:
    """The shift the options name; without any, the configured shift now, or all of today."""
    if day is not None:
        return shift_on(day, hours, now.tzinfo)
    if hours is not None:
        return latest_shift(now, hours)
    return current_shift(now, shifts)


def run_stats(args: argparse.Namespace) -> int:
    """Print the shift's figures; 0 even when there are none, 1 if the database is unusable."""
    # Deferred: as in run_history (pydantic through the settings and the store).
    from packstation.config import load_settings
    from packstation.station.shift_stats import format_stats, shift_stats
    from packstation.station.store import StationStore

    settings = load_settings(args)
    window = stats_window(datetime.now().astimezone(), args.date, args.shift, settings.shifts)
    if args.from_warehouse:
        return _print_warehouse_stats(settings.warehouse_url, window)
    path = database_path(settings.data_dir)
    if not path.exists():
        print(_("No packing history yet ({path} does not exist).").format(path=path))
        return 0
    try:
        store = StationStore.open(settings.data_dir, set_aside=False)
    except StoreError as err:
        print(_("packstation: error: {reason}").format(reason=err), file=sys.stderr)
        return 1
    with store:
        print(format_stats(shift_stats(store, window)))
    return 0


def _print_warehouse_stats(url: str, window: ShiftWindow) -> int:
    """`stats --warehouse`: the figures of every station from the warehouse database."""
    # Deferred: psycopg (~80-150 ms CPU) loads only where the warehouse database is used.
    import psycopg

    from packstation.warehouse.stats import format_warehouse_stats, warehouse_stats

    if not url:
        print(
            _(
                "packstation: error: no warehouse database: set warehouse_db"
                " (PACKSTATION_WAREHOUSE_DB=postgresql://...)"
            ),
            file=sys.stderr,
        )
        return 1
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            print(format_warehouse_stats(warehouse_stats(conn, window)))
    except psycopg.Error as err:
        reason = " ".join(str(err).split())
        print(
            _("packstation: error: warehouse database: {reason}").format(reason=reason),
            file=sys.stderr,
        )
        return 1
    return 0
