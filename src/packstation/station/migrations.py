"""The station database's schema, as an ordered list of migrations.

The schema version is `PRAGMA user_version`: migration N brings a database from version N-1 to
N. Each migration runs in the same transaction as the version bump, so a crash during a
migration leaves the previous version intact. Never edit a released migration; append one.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x5053544E
"""`PRAGMA application_id` of every station database ("PSTN"): tells ours from foreign files."""

_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL,
    shipment_id TEXT NOT NULL,
    packer TEXT,
    order_json TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'finished', 'discarded')),
    started_at TEXT NOT NULL,
    ended_at TEXT
);
-- A station packs one order at a time: at most one unfinished session.
CREATE UNIQUE INDEX sessions_one_open ON sessions(state) WHERE state = 'open';

CREATE TABLE session_events (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    event_json TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;

CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('sscc_serial', 0);

CREATE TABLE submits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL,
    source_shipment_id TEXT NOT NULL,
    packer TEXT NOT NULL,
    session_id INTEGER REFERENCES sessions(id),
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    created_at TEXT NOT NULL,
    ended_at TEXT,
    error TEXT
);
CREATE INDEX submits_state ON submits(state);

CREATE TABLE submit_requests (
    submit_id INTEGER NOT NULL REFERENCES submits(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('deliver', 'new_shipment', 'split')),
    target_shipment_id TEXT NOT NULL,
    patch_json TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    reconciled INTEGER NOT NULL DEFAULT 0,
    ended_at TEXT,
    PRIMARY KEY (submit_id, seq)
) WITHOUT ROWID;

-- One row per send or re-read. outcome stays NULL while in flight: after a crash a NULL
-- outcome means "may have been applied", so the sender reconciles before resending.
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    submit_id INTEGER NOT NULL REFERENCES submits(id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('send', 'reconcile')),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT,
    http_status INTEGER,
    detail TEXT
);
CREATE INDEX attempts_submit ON attempts(submit_id, seq);

CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    order_id TEXT NOT NULL,
    shipment_id TEXT,
    user_id TEXT,
    packer TEXT,
    submit_id INTEGER REFERENCES submits(id),
    request_seq INTEGER,
    recorded_at TEXT NOT NULL,
    aborted INTEGER,
    reconciled INTEGER NOT NULL DEFAULT 0,
    steps_json TEXT NOT NULL DEFAULT '[]',
    result_json TEXT
);
CREATE INDEX results_order ON results(order_id, recorded_at);
CREATE INDEX results_time ON results(recorded_at);
"""

_V2 = """
CREATE TABLE reviews (
    case_key TEXT PRIMARY KEY,
    supervisor TEXT NOT NULL,
    note TEXT NOT NULL,
    reviewed_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE supervisor_actions (
    id INTEGER PRIMARY KEY,
    case_key TEXT,
    order_id TEXT NOT NULL,
    shipment_id TEXT,
    action TEXT NOT NULL CHECK (action IN ('rerun', 'set_status', 'review')),
    supervisor TEXT NOT NULL,
    detail TEXT,
    result_id INTEGER REFERENCES results(id),
    error TEXT,
    at TEXT NOT NULL
);
CREATE INDEX supervisor_actions_order ON supervisor_actions(order_id);
"""

_V3 = """
-- History and the desk read every submit's results and an order's submits: without these
-- each lookup scanned the whole table (quadratic over a long history, issue 16).
CREATE INDEX results_submit ON results(submit_id, request_seq);
CREATE INDEX submits_order ON submits(order_id);
"""

_V4 = """
-- Every SSCC this station put on a package, and sightings of SSCCs from its range that it did
-- not issue (two stations with one station id: issue 12). Earlier submits are read back in.
CREATE TABLE issued_ssccs (
    sscc TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    issued_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO issued_ssccs (sscc, order_id, issued_at)
    SELECT json_extract(p.value, '$.id'), s.order_id, s.created_at
    FROM submit_requests r
    JOIN submits s ON s.id = r.submit_id
    JOIN json_each(r.patch_json, '$.shipmentInfo.packages') p
    WHERE json_extract(p.value, '$.id') IS NOT NULL;
CREATE TABLE sscc_conflicts (
    id INTEGER PRIMARY KEY,
    sscc TEXT NOT NULL,
    order_id TEXT NOT NULL,
    shipment_id TEXT,
    issued_for TEXT,
    station_id TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    UNIQUE (sscc, order_id)
);
"""

_V5 = """
-- The store keeps no order copies but the open session's: closed sessions and stored results
-- lose theirs (issue 16: 12 KB a small order, 76 MB for one 5,000-line order).
UPDATE sessions SET order_json = '' WHERE state != 'open';
UPDATE results SET result_json = json_remove(result_json, '$.order')
    WHERE result_json IS NOT NULL;
"""

_V6 = """
-- The shift's figures (issue 15 item 15): scans the station refused, who got them and when;
-- and the time indexes that let `packstation stats` read one shift, not the whole history.
-- session_id has no REFERENCES: the clean-up removes old sessions without these rows.
CREATE TABLE refused_scans (
    id INTEGER PRIMARY KEY,
    session_id INTEGER,
    packer TEXT,
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX refused_scans_time ON refused_scans(recorded_at);
CREATE INDEX submits_created ON submits(created_at);
CREATE INDEX sessions_discarded ON sessions(ended_at) WHERE state = 'discarded';
"""

_V7 = """
-- The open session's order copy lives in a table of its own, deleted when the session closes:
-- emptied in place, a large copy left its pages of the sessions table mostly empty (issue 16).
CREATE TABLE session_orders (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
    order_json TEXT NOT NULL
);
INSERT INTO session_orders (session_id, order_json)
    SELECT id, order_json FROM sessions WHERE state = 'open';
ALTER TABLE sessions DROP COLUMN order_json;
-- A result's steps are stored once, as Omnium answered them (invisible steps too); the
-- answer itself held them a second time.
UPDATE results SET steps_json = coalesce(
        json_extract(result_json, '$.orderActionExecutionResults'), '[]')
    WHERE result_json IS NOT NULL;
UPDATE results SET steps_json = '[]' WHERE result_json IS NULL;
ALTER TABLE results DROP COLUMN result_json;
"""

_V8 = """
-- The warehouse database (issue 18): what this station shares goes through this outbox, written
-- by the triggers below in the same transaction as the row it describes, so a record can be
-- neither lost nor made twice by a crash. The triggers write only while `enabled` is 1 (the
-- station has warehouse_db set); without it nothing is buffered.
CREATE TABLE warehouse_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    station_uid TEXT NOT NULL,
    station_id TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 0
);
INSERT INTO warehouse_state (id, station_uid) VALUES (1, lower(hex(randomblob(16))));
CREATE TABLE warehouse_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- SSCC serial blocks reserved for this station in the warehouse database; `next` is the next
-- serial to hand out, the block is used up when next_serial > last_serial.
CREATE TABLE warehouse_serial_blocks (
    first_serial INTEGER PRIMARY KEY,
    last_serial INTEGER NOT NULL,
    next_serial INTEGER NOT NULL,
    reserved_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER warehouse_submit_request AFTER INSERT ON submit_requests
WHEN (SELECT enabled FROM warehouse_state) = 1
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':submit:' || s.id || ':' || NEW.seq || ':' || s.created_at,
        'submit_request',
        json_object(
            'station_id', w.station_id, 'submit_id', s.id, 'seq', NEW.seq,
            'order_id', s.order_id, 'shipment_id', NEW.target_shipment_id,
            'packer', s.packer, 'kind', NEW.kind, 'at', s.created_at,
            'units', CASE WHEN NEW.kind = 'split' THEN 0 ELSE
                (SELECT total(coalesce(json_extract(u.value, '$.deliveredQuantity'), 0)
                    + coalesce(json_extract(u.value, '$.readyForPickupQuantity'), 0))
                 FROM json_each(NEW.patch_json, '$.lineItemUpdates') u) END,
            'packages', coalesce(
                json_array_length(NEW.patch_json, '$.shipmentInfo.packages'), 0)),
        s.created_at
    FROM submits s, warehouse_state w WHERE s.id = NEW.submit_id;
END;

CREATE TRIGGER warehouse_submit_outcome AFTER UPDATE OF state ON submits
WHEN (SELECT enabled FROM warehouse_state) = 1 AND NEW.state != OLD.state
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':outcome:' || NEW.id || ':' || NEW.state || ':' || NEW.created_at,
        'submit_outcome',
        json_object(
            'station_id', w.station_id, 'submit_id', NEW.id, 'order_id', NEW.order_id,
            'shipment_id', NEW.source_shipment_id, 'packer', NEW.packer,
            'state', NEW.state, 'error', NEW.error, 'at', coalesce(NEW.ended_at, NEW.created_at)),
        coalesce(NEW.ended_at, NEW.created_at)
    FROM warehouse_state w;
END;

CREATE TRIGGER warehouse_result AFTER INSERT ON results
WHEN (SELECT enabled FROM warehouse_state) = 1
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':result:' || NEW.id || ':' || NEW.recorded_at,
        'result',
        json_object(
            'station_id', w.station_id, 'result_id', NEW.id, 'kind', NEW.kind,
            'order_id', NEW.order_id, 'shipment_id', NEW.shipment_id,
            'packer', coalesce(NEW.packer, NEW.user_id), 'user_id', NEW.user_id,
            'submit_id', NEW.submit_id, 'aborted', NEW.aborted,
            'steps', json(NEW.steps_json), 'at', NEW.recorded_at),
        NEW.recorded_at
    FROM warehouse_state w;
END;

CREATE TRIGGER warehouse_supervisor_action AFTER INSERT ON supervisor_actions
WHEN (SELECT enabled FROM warehouse_state) = 1
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':action:' || NEW.id || ':' || NEW.at,
        'supervisor_action',
        json_object(
            'station_id', w.station_id, 'action_id', NEW.id, 'case_key', NEW.case_key,
            'order_id', NEW.order_id, 'shipment_id', NEW.shipment_id, 'action', NEW.action,
            'supervisor', NEW.supervisor, 'detail', NEW.detail, 'error', NEW.error,
            'at', NEW.at),
        NEW.at
    FROM warehouse_state w;
END;

CREATE TRIGGER warehouse_review AFTER INSERT ON reviews
WHEN (SELECT enabled FROM warehouse_state) = 1
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':review:' || NEW.case_key || ':' || NEW.reviewed_at,
        'review',
        json_object(
            'station_id', w.station_id, 'case_key', NEW.case_key,
            'supervisor', NEW.supervisor, 'note', NEW.note, 'at', NEW.reviewed_at),
        NEW.reviewed_at
    FROM warehouse_state w;
END;

CREATE TRIGGER warehouse_sscc_conflict AFTER INSERT ON sscc_conflicts
WHEN (SELECT enabled FROM warehouse_state) = 1
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':sscc:' || NEW.id || ':' || NEW.seen_at,
        'sscc_conflict',
        json_object(
            'station_id', w.station_id, 'conflict_id', NEW.id, 'sscc', NEW.sscc,
            'order_id', NEW.order_id, 'shipment_id', NEW.shipment_id,
            'issued_for', NEW.issued_for, 'at', NEW.seen_at),
        NEW.seen_at
    FROM warehouse_state w;
END;

CREATE TRIGGER warehouse_session_start AFTER INSERT ON sessions
WHEN (SELECT enabled FROM warehouse_state) = 1
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':session:' || NEW.id || ':open:' || NEW.started_at,
        'session',
        json_object(
            'station_id', w.station_id, 'session_id', NEW.id, 'order_id', NEW.order_id,
            'shipment_id', NEW.shipment_id, 'packer', NEW.packer, 'state', 'open',
            'at', NEW.started_at),
        NEW.started_at
    FROM warehouse_state w;
END;

CREATE TRIGGER warehouse_session_end AFTER UPDATE OF state ON sessions
WHEN (SELECT enabled FROM warehouse_state) = 1 AND NEW.state != OLD.state
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':session:' || NEW.id || ':' || NEW.state || ':' || NEW.started_at,
        'session',
        json_object(
            'station_id', w.station_id, 'session_id', NEW.id, 'order_id', NEW.order_id,
            'shipment_id', NEW.shipment_id, 'packer', NEW.packer, 'state', NEW.state,
            'at', coalesce(NEW.ended_at, NEW.started_at)),
        coalesce(NEW.ended_at, NEW.started_at)
    FROM warehouse_state w;
END;

CREATE TRIGGER warehouse_refused_scan AFTER INSERT ON refused_scans
WHEN (SELECT enabled FROM warehouse_state) = 1
BEGIN
    INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)
    SELECT w.station_uid || ':refused:' || NEW.id || ':' || NEW.recorded_at,
        'refused_scan',
        json_object(
            'station_id', w.station_id, 'refused_id', NEW.id, 'session_id', NEW.session_id,
            'packer', NEW.packer, 'kind', NEW.kind, 'reason', NEW.reason,
            'at', NEW.recorded_at),
        NEW.recorded_at
    FROM warehouse_state w;
END;
"""

_V9 = """
-- Dispatch at the dock (issue 14 item 8): each package scanned, the shipment it moved and how
-- that ended. 'pending' is written before the status change is sent, so a crash or a lost
-- answer is checked against Omnium before anything is sent again.
CREATE TABLE dispatches (
    sscc TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    shipment_id TEXT NOT NULL,
    status TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
    scanned_at TEXT NOT NULL,
    ended_at TEXT,
    message TEXT
) WITHOUT ROWID;
CREATE INDEX dispatches_shipment ON dispatches(order_id, shipment_id);
"""

_V10 = """
-- What the warehouse database last said of this station's cases another desk settled (or a later
-- result superseded), and of Omnium's cases some desk settled (issue 18): a desk that cannot
-- reach PostgreSQL shows them settled instead of offering to settle them again. `result_id` is
-- the case's latest local result when it was learned: a later abort here reopens it.
CREATE TABLE warehouse_settled (
    case_key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    result_id INTEGER,
    supervisor TEXT,
    station_id TEXT,
    action TEXT,
    note TEXT,
    acted_at TEXT,
    learned_at TEXT NOT NULL
) WITHOUT ROWID;
-- When this station last compared its open cases with the warehouse database's.
ALTER TABLE warehouse_state ADD COLUMN checked_at TEXT;
"""

_V11 = """
-- Waits for a carrier booking that Omnium finishes after its answer (issue 14 item 4): written
-- 'waiting' before the station follows the order, so a wait cut short by a quit or a crash is
-- taken up at the next start. submit_id has no REFERENCES: the clean-up removes old submits.
CREATE TABLE booking_waits (
    submit_id INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL,
    shipment_ids TEXT NOT NULL,
    errors_before TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL DEFAULT 'waiting'
        CHECK (state IN ('waiting', 'done', 'failed', 'timed_out')),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    message TEXT
);
CREATE INDEX booking_waits_waiting ON booking_waits(started_at) WHERE state = 'waiting';
"""

_V12 = """
-- What follows a submit's answer (issue 14: booking wait, labels, slips), recorded so that a
-- quit or a crash neither loses it nor does it twice. step '' is the whole follow-up: 'due'
-- from the outbox write (same transaction) until it ends 'done'. Each print is a step of its
-- own: 'printing' before the document goes out, 'done' after; a 'printing' row found at start
-- was cut short ('interrupted': the packer is told, it is not printed again by itself).
CREATE TABLE follow_ups (
    submit_id INTEGER NOT NULL,
    step TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('due', 'printing', 'done', 'interrupted')),
    at TEXT NOT NULL,
    PRIMARY KEY (submit_id, step)
) WITHOUT ROWID;
CREATE INDEX follow_ups_due ON follow_ups(submit_id) WHERE state = 'due';
"""

MIGRATIONS: tuple[str, ...] = (
    _V1,
    _V2,
    _V3,
    _V4,
    _V5,
    _V6,
    _V7,
    _V8,
    _V9,
    _V10,
    _V11,
    _V12,
)
"""MIGRATIONS[i] brings the schema from version i to i + 1."""

LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's schema version (0 for a new, empty database)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> int:
    """Apply the missing migrations up to `target`, one transaction each; return the version."""
    version = schema_version(conn)
    while version < target:
        statements = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = schema_version(conn)
            if version >= target:
                conn.execute("COMMIT")
                break
            statements = MIGRATIONS[version]
            for statement in _split(statements):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return version


def _split(script: str) -> list[str]:
    """The script's statements (executescript would commit the open transaction).

    A piece ending in ";" joins the next until SQLite calls it complete: a trigger's body holds
    several statements of its own."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    statements: list[str] = []
    pending = ""
    for piece in "\n".join(lines).split(";"):
        pending = f"{pending};{piece}" if pending else piece
        if sqlite3.complete_statement(pending + ";"):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements
