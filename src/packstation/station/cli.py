"""`packstation history`: who packed what, when, with which result."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, time
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation history`."""
    history = subparsers.add_parser(
        "history",
        help="who packed what, when, with which result",
        description=(
            "Print this station's packing history from its database in the data directory: "
            "every submit (who packed it, the shipments, the packages, the workflow result) "
            "and every supervisor action."
        ),
    )
    history.add_argument("--order", metavar="ID", help="only this order")
    history.add_argument(
        "--since",
        metavar="DATE",
        type=parse_since,
        help="only from this local date or time on (YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
    )
    history.set_defaults(handler=run_history)


def parse_since(text: str) -> datetime:
    """A --since value: a date (midnight local time) or an ISO date and time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None
    if len(text.strip()) == 10:
        moment = datetime.combine(moment.date(), time())
    return moment if moment.tzinfo else moment.astimezone()


def run_history(args: argparse.Namespace) -> int:
    """Print the history table; 0 even when it is empty, 1 if the database is unusable."""
    from packstation.config import load_settings
    from packstation.station.db import database_path
    from packstation.station.errors import StoreError
    from packstation.station.history import format_table, history_rows
    from packstation.station.store import StationStore

    settings = load_settings(args)
    path = database_path(settings.data_dir)
    if not path.exists():
        print(f"No packing history yet ({path} does not exist).")
        return 0
    try:
        store = StationStore.open(settings.data_dir, set_aside=False)
    except StoreError as err:
        print(f"packstation: error: {err}", file=sys.stderr)
        return 1
    with store:
        rows = history_rows(store, order_id=args.order, since=args.since)
    if not rows:
        print("No packing history matches.")
        return 0
    print(format_table(rows))
    return 0
