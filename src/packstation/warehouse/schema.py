"""The warehouse database's schema, as an ordered list of migrations (like the station store's).

`warehouse_schema.version` is the version: migration N brings the database from N-1 to N, in
one transaction under an advisory lock, so stations migrating at once apply each step once.
Never edit a released migration; append one.
"""

from __future__ import annotations

import psycopg

SERIAL_BLOCK_SIZE = 500
"""SSCC serials per block: the sequence hands out block starts, 500 apart (its INCREMENT)."""

_MIGRATION_LOCK = 0x5053_5748  # "PSWH": one advisory lock for every migrating station

_V1 = f"""
CREATE TABLE records (
    record_id text PRIMARY KEY,
    station_uid text NOT NULL,
    station_id text NOT NULL,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    recorded_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX records_kind_time ON records (kind, recorded_at);

CREATE TABLE stations (
    station_uid text PRIMARY KEY,
    station_id text NOT NULL,
    last_published_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cases (
    case_id text PRIMARY KEY,
    station_uid text NOT NULL,
    station_id text NOT NULL,
    case_key text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('aborted', 'failed_submit', 'sscc_conflict')),
    order_id text NOT NULL,
    shipment_id text,
    packer text,
    error text,
    steps jsonb NOT NULL DEFAULT '[]',
    opened_at timestamptz NOT NULL,
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'settled', 'superseded')),
    version integer NOT NULL DEFAULT 1,
    acted_by text,
    acted_on_station text,
    acted_at timestamptz,
    action text,
    note text
);
CREATE INDEX cases_open ON cases (opened_at, case_id) WHERE state = 'open';
CREATE INDEX cases_open_order ON cases (order_id) WHERE state = 'open';

CREATE SEQUENCE sscc_serial_blocks START 1 MINVALUE 1 INCREMENT {SERIAL_BLOCK_SIZE};
CREATE TABLE sscc_blocks (
    first_serial bigint PRIMARY KEY,
    last_serial bigint NOT NULL,
    station_uid text NOT NULL,
    station_id text NOT NULL,
    reserved_at timestamptz NOT NULL DEFAULT now()
);
"""

_V2 = """
-- Omnium's errors on an order are a case on every desk (key omnium:ORDER:DIGEST, the same
-- everywhere): a desk that settles one says so here, so the other desks stop listing it.
CREATE TABLE settled_keys (
    case_key text PRIMARY KEY,
    supervisor text NOT NULL,
    station_id text NOT NULL,
    settled_at timestamptz NOT NULL DEFAULT now()
);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
"""MIGRATIONS[i] brings the schema from version i to i + 1."""

LATEST_VERSION = len(MIGRATIONS)


class WarehouseSchemaError(Exception):
    """The warehouse database is not at the schema version this packstation needs."""


def schema_version(conn: psycopg.Connection) -> int:
    """The database's schema version (0 before the first migration)."""
    row = conn.execute("SELECT to_regclass('warehouse_schema') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return 0
    found = conn.execute("SELECT version FROM warehouse_schema").fetchone()
    return int(found[0]) if found else 0


def migrate(conn: psycopg.Connection, target: int = LATEST_VERSION) -> tuple[int, int]:
    """Apply the missing migrations, one transaction each; (version before, version after)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS warehouse_schema (version integer NOT NULL)")
        if conn.execute("SELECT count(*) FROM warehouse_schema").fetchone() == (0,):
            conn.execute("INSERT INTO warehouse_schema (version) VALUES (0)")
    before = schema_version(conn)
    if before > LATEST_VERSION:
        raise WarehouseSchemaError(
            f"the warehouse database has schema version {before}; this packstation knows "
            f"{LATEST_VERSION}: update packstation"
        )
    version = before
    while version < target:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            # Re-read under the lock: another station may have migrated meanwhile.
            version = schema_version(conn)
            if version >= target:
                break
            conn.execute(MIGRATIONS[version].encode())
            conn.execute("UPDATE warehouse_schema SET version = %s", (version + 1,))
        version += 1
    return before, version


def require_current(conn: psycopg.Connection) -> None:
    """Raise when the database is not at this packstation's schema version."""
    version = schema_version(conn)
    if version != LATEST_VERSION:
        raise WarehouseSchemaError(
            f"the warehouse database has schema version {version}, this packstation needs "
            f"{LATEST_VERSION}: run `packstation warehouse-db migrate`"
        )
