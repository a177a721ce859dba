"""The store stays small: no order copies once a session closes or a result is stored, and the
clean-up removes everything older than the retention except what is still open (issue 16)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from station_helpers import delivery_patch, small_order

from packstation.omnium.models import ActionResult, WorkflowExecutionResult
from packstation.station.db import database_path
from packstation.station.migrations import migrate
from packstation.station.retention import clean_up
from packstation.station.store import StationStore
from packstation.station.supervisor_actions import mark_reviewed
from packstation.station.supervisor_cases import station_cases

LONG_AGO = "2020-01-01T00:00:00.000000+00:00"


def _sent(store: StationStore, order_id: str, result: WorkflowExecutionResult | None) -> int:
    sid = store.journal.start(small_order(order_id), "1", "P7")
    submit_id = store.outbox.enqueue(
        order_id, [delivery_patch()], packer="P7", source_shipment_id="1", session_id=sid
    )
    if result is not None:
        submit = store.outbox.get(submit_id)
        store.outbox.complete_request(submit, submit.requests[0], result, reconciled=False)
    return submit_id


def _age_everything(store: StationStore) -> None:
    with store.writing() as conn:
        conn.execute("UPDATE submits SET created_at = ?", (LONG_AGO,))
        conn.execute("UPDATE results SET recorded_at = ?", (LONG_AGO,))
        conn.execute("UPDATE sessions SET ended_at = ? WHERE state != 'open'", (LONG_AGO,))


def test_results_are_stored_without_the_order(store: StationStore) -> None:
    _sent(store, "ORD-1", WorkflowExecutionResult(order=small_order("ORD-1")))
    (record,) = store.results.list()
    assert record.result_json is not None and "order" not in record.result_json
    result = record.result()
    assert result is not None and result.order is None and not result.is_aborted


def test_clean_up_keeps_what_is_open_and_removes_the_rest(store: StationStore) -> None:
    aborted = WorkflowExecutionResult(
        is_aborted=True,
        order_action_execution_results=[
            ActionResult(
                action_type="PrintShippingLabel", action_status="Error", cancel_workflow=True
            )
        ],
    )
    _sent(store, "ORD-DONE", WorkflowExecutionResult(order=small_order("ORD-DONE")))
    _sent(store, "ORD-ABORTED", aborted)
    _sent(store, "ORD-PENDING", None)
    _age_everything(store)

    removed = clean_up(store.connection)

    assert (removed.submits, removed.results) == (1, 1)
    assert [s.order_id for s in store.outbox.list()] == ["ORD-ABORTED", "ORD-PENDING"]
    assert [c.order_id for c in station_cases(store)] == ["ORD-ABORTED"]
    mark_reviewed(store, station_cases(store)[0], "USER-S1", "carrier booked by phone")
    with store.writing() as conn:
        conn.execute("UPDATE supervisor_actions SET at = ?", (LONG_AGO,))
        conn.execute("UPDATE reviews SET reviewed_at = ?", (LONG_AGO,))
    clean_up(store.connection)
    assert [s.order_id for s in store.outbox.list()] == ["ORD-PENDING"]
    with store.reading() as conn:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("results", "reviews", "supervisor_actions", "attempts")
        }
    assert counts == {"results": 0, "reviews": 0, "supervisor_actions": 0, "attempts": 0}


def test_migration_drops_the_order_copies_of_an_existing_store(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=4)
    order = json.dumps(small_order("ORD-OLD").to_json_dict())
    conn.execute(
        "INSERT INTO sessions (order_id, shipment_id, order_json, state, started_at, ended_at)"
        " VALUES ('ORD-OLD', '1', ?, 'finished', ?, ?)",
        (order, LONG_AGO, "2999-01-01T00:00:00.000000+00:00"),
    )
    conn.execute(
        "INSERT INTO results (kind, order_id, recorded_at, aborted, result_json)"
        " VALUES ('rerun', 'ORD-OLD', '2999-01-01T00:00:00.000000+00:00', 0, ?)",
        (json.dumps({"order": json.loads(order), "isAborted": False}),),
    )
    conn.close()
    with StationStore.open(tmp_path) as store, store.reading() as c:
        assert c.execute("SELECT order_json FROM sessions").fetchone()[0] == ""
        assert json.loads(c.execute("SELECT result_json FROM results").fetchone()[0]) == {
            "isAborted": False
        }
