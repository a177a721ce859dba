"""`packstation warehouse-db`: migrate the warehouse database, show its state, or run a trial
PostgreSQL server for trying the warehouse on one machine."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path
from typing import Any

from packstation.i18n import _
from packstation.station.db import database_path
from packstation.warehouse import buffer


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation warehouse-db`."""
    wh = subparsers.add_parser(
        "warehouse-db",
        # The one line `packstation --help` lists; the subcommands are for the IT staff.
        help=_("the warehouse database (PostgreSQL) shared by every station"),
        description=(
            "The warehouse database named by the warehouse_db setting "
            "(PACKSTATION_WAREHOUSE_DB=postgresql://...)."
        ),
    )
    commands = wh.add_subparsers(dest="warehouse_command", metavar="COMMAND", required=True)
    migrate = commands.add_parser(
        "migrate", help="create the schema or bring it to this version (safe to repeat)"
    )
    migrate.set_defaults(handler=run_migrate)
    status = commands.add_parser(
        "status", help="schema version, stations, open cases, records waiting here"
    )
    status.set_defaults(handler=run_status)
    trial = commands.add_parser(
        "trial-server",
        help="run a throwaway PostgreSQL in a folder (for trying, not for production)",
        description=(
            "Start a PostgreSQL server from the machine's PostgreSQL programs in FOLDER "
            "(created if new), print its URL and keep it running until Ctrl+C."
        ),
    )
    trial.add_argument("folder", type=Path)
    trial.add_argument("--port", type=int, default=5433)
    trial.set_defaults(handler=run_trial_server)


def _url(args: argparse.Namespace) -> str | None:
    # Deferred: `packstation` imports this module to build its parser; the settings load
    # pydantic (~130 ms), which `--help` and `--version` do without.
    from packstation.config import load_settings

    url = load_settings(args).warehouse_url
    if not url:
        print(
            "No warehouse database: set warehouse_db (PACKSTATION_WAREHOUSE_DB=postgresql://...)",
            file=sys.stderr,
        )
        return None
    return url


def run_migrate(args: argparse.Namespace) -> int:
    """Create or migrate the schema; 1 when the database cannot be reached."""
    # Deferred: psycopg (~80-150 ms CPU) loads only where the warehouse database is used.
    import psycopg

    from packstation.warehouse.schema import WarehouseSchemaError, migrate

    url = _url(args)
    if url is None:
        return 1
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            before, after = migrate(conn)
    except (psycopg.Error, WarehouseSchemaError) as err:
        print(f"warehouse database: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
    if before == after:
        print(f"warehouse database: schema version {after}, up to date")
    else:
        print(f"warehouse database: schema version {before} -> {after}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print the schema version, the stations that published, open cases, local backlog."""
    # Deferred: psycopg (~80-150 ms CPU), and pydantic through the settings and the store.
    import psycopg

    from packstation.config import load_settings
    from packstation.station.store import StationStore
    from packstation.warehouse.schema import schema_version

    url = _url(args)
    if url is None:
        return 1
    settings = load_settings(args)
    if database_path(settings.data_dir).exists():
        with StationStore.open(settings.data_dir, set_aside=False) as store:
            print(f"this station: {buffer.waiting_count(store)} records waiting to publish")
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            print(f"schema version: {schema_version(conn)}")
            stations = conn.execute(
                "SELECT station_id, station_uid, last_published_at FROM stations"
                " ORDER BY station_id, station_uid"
            ).fetchall()
            for station_id, uid, last in stations:
                print(f"station {station_id} ({uid[:8]}): last published {last:%Y-%m-%d %H:%M:%S}")
            row = conn.execute("SELECT count(*) FROM cases WHERE state = 'open'").fetchone()
            print(f"open cases: {row[0] if row else 0}")
    except psycopg.Error as err:
        print(f"warehouse database: {' '.join(str(err).split())}", file=sys.stderr)
        return 1
    return 0


def run_trial_server(args: argparse.Namespace) -> int:
    """Run the trial server until interrupted."""
    # Deferred: the trial server is POSIX only (pwd); `packstation` must start on Windows.
    from packstation.warehouse.trial_server import NoPostgresServer, TrialServer

    try:
        server = TrialServer.create(args.folder, args.port)
    except NoPostgresServer as err:
        print(str(err), file=sys.stderr)
        return 1
    server.start()
    dsn = server.create_database("warehouse")
    print(f"PostgreSQL runs in {server.folder} on port {server.port}")
    print(f"PACKSTATION_WAREHOUSE_DB={dsn}")
    print("Ctrl+C stops it.", flush=True)
    stop = False

    def interrupted(*_signal: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, interrupted)
    try:
        while not stop:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0
