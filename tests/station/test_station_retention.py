"""The store stays small: no order copies once a session closes or a result is stored, and the
clean-up removes everything older than the retention except what is still open (issue 16)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from station_helpers import delivery_patch, small_order, split_patch

from packstation.omnium.workflow import ActionResult, WorkflowExecutionResult
from packstation.station.clock import now_text
from packstation.station.db import database_path
from packstation.station.history import history_rows
from packstation.station.migrations import migrate
from packstation.station.retention import clean_up
from packstation.station.ssccs import issued_for
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


def test_results_keep_their_steps_once_and_no_order(store: StationStore) -> None:
    answer = WorkflowExecutionResult(
        order=small_order("ORD-1"),
        order_action_execution_results=[
            ActionResult(action_type="PrintShippingLabel", action_status="Success"),
            ActionResult(
                action_type="SetCompletedDate", action_status="Success", is_invisible=True
            ),
        ],
    )
    _sent(store, "ORD-1", answer)
    (record,) = store.results.list()
    with store.reading() as conn:
        (stored,) = conn.execute("SELECT steps_json FROM results").fetchone()
    assert json.loads(stored) == [
        {"actionType": "PrintShippingLabel", "actionStatus": "Success"},
        {"actionType": "SetCompletedDate", "actionStatus": "Success", "isInvisible": True},
    ]
    assert [s.name for s in record.steps] == ["PrintShippingLabel"]  # visible steps only
    assert record.result() == answer.model_copy(update={"order": None})


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


def _old_store(tmp_path: Path) -> None:
    """A store at schema version 6 with what an earlier station kept: an open and a finished
    session with their order copies, an answered result and one confirmed by re-reading."""
    conn = sqlite3.connect(database_path(tmp_path), isolation_level=None)
    migrate(conn, target=6)
    order = json.dumps(small_order("ORD-OPEN").to_json_dict())
    for state, ended in (("finished", LONG_AGO), ("open", None)):
        conn.execute(
            "INSERT INTO sessions (order_id, shipment_id, order_json, state, started_at,"
            " ended_at) VALUES ('ORD-OPEN', '1', ?, ?, ?, ?)",
            (order if state == "open" else "", state, LONG_AGO, ended),
        )
    conn.execute('INSERT INTO session_events VALUES (2, 1, \'{"type":"x"}\', ?)', (LONG_AGO,))
    steps = [
        {"actionType": "PrintShippingLabel", "actionStatus": "Error", "cancelWorkflow": True},
        {"actionType": "Hidden", "actionStatus": "Success", "isInvisible": True},
    ]
    old_steps = [{"name": "PrintShippingLabel", "status": "Error", "abortedHere": True}]
    for aborted, answer in ((1, {"isAborted": True, "orderActionExecutionResults": steps}),):
        conn.execute(
            "INSERT INTO results (kind, order_id, recorded_at, aborted, steps_json, result_json)"
            " VALUES ('rerun', 'ORD-OLD', ?, ?, ?, ?)",
            (LONG_AGO, aborted, json.dumps(old_steps), json.dumps(answer)),
        )
    conn.execute(
        "INSERT INTO results (kind, order_id, recorded_at, aborted, reconciled)"
        " VALUES ('rerun', 'ORD-OLD', ?, NULL, 1)",
        (now_text(),),
    )
    conn.close()


def test_migration_keeps_steps_once_and_only_the_open_session_s_order(tmp_path: Path) -> None:
    _old_store(tmp_path)
    with StationStore.open(tmp_path) as store:
        unfinished = store.journal.unfinished_session()
        assert unfinished is not None and unfinished.order == small_order("ORD-OPEN")
        assert store.journal.events(unfinished.session_id) == [{"type": "x"}]
        answered, confirmed = store.results.list()
        assert [(s.name, s.aborted_here) for s in answered.steps] == [("PrintShippingLabel", True)]
        result = answered.result()
        assert result is not None and result.is_aborted
        assert [a.action_type for a in result.order_action_execution_results] == [
            "PrintShippingLabel",
            "Hidden",
        ]
        assert confirmed.result() is None and confirmed.steps == [] and confirmed.reconciled
        with store.reading() as c:
            assert c.execute("SELECT count(*) FROM session_orders").fetchone()[0] == 1
            columns = {row[1] for row in c.execute("PRAGMA table_info(results)")}
            columns |= {row[1] for row in c.execute("PRAGMA table_info(sessions)")}
        assert "result_json" not in columns and "order_json" not in columns
        # The open session's order stays through a clean-up; the rest is older than 90 days.
        clean_up(store.connection)
        assert store.journal.unfinished_session() is not None
        # An open supervisor case stays whatever its age, a recent result too.
        assert store.results.list() == [answered, confirmed]


def test_schema_version_5_dropped_the_order_copies(tmp_path: Path) -> None:
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
    assert migrate(conn, target=5) == 5
    assert conn.execute("SELECT order_json FROM sessions").fetchone()[0] == ""
    assert json.loads(conn.execute("SELECT result_json FROM results").fetchone()[0]) == {
        "isAborted": False
    }
    conn.close()


def test_recovery_desk_history_and_issued_ssccs_after_a_clean_up(store: StationStore) -> None:
    aborted = WorkflowExecutionResult(
        is_aborted=True,
        order_action_execution_results=[
            ActionResult(
                action_type="PrintShippingLabel",
                action_status="Error",
                error_reason="carrier down",
                cancel_workflow=True,
            )
        ],
    )
    _sent(store, "ORD-OLD", WorkflowExecutionResult())
    _sent(store, "ORD-OLD-ABORTED", aborted)
    _age_everything(store)
    sid = store.journal.start(small_order("ORD-NEW"), "1", "P8")
    split = store.outbox.enqueue(
        "ORD-NEW",
        [split_patch("P8"), delivery_patch("P8", "2", "370123450100000029", (("2", 1),))],
        packer="P8",
        source_shipment_id="1",
        session_id=sid,
    )
    submit = store.outbox.get(split)
    for request in submit.requests:
        store.outbox.complete_request(submit, request, WorkflowExecutionResult(), reconciled=False)
    open_sid = store.journal.start(small_order("ORD-OPEN"), "1", "P8")
    store.journal.append_all(open_sid, [{"type": "scan", "code": "A"}])

    removed = clean_up(store.connection)

    assert (removed.submits, removed.results) == (1, 1)
    rows = history_rows(store)
    assert [(r.order_id, r.who, r.shipment, r.what, r.result) for r in rows] == [
        (
            "ORD-OLD-ABORTED",
            "P7",
            "1",
            "packed 1 package",
            "ABORTED at PrintShippingLabel: carrier down",
        ),
        ("ORD-NEW", "P8", "2", "packed 1 package, split", "done"),
    ]
    (case,) = station_cases(store)
    assert case.order_id == "ORD-OLD-ABORTED" and "PrintShippingLabel" in (case.error or "")
    unfinished = store.journal.unfinished_session()
    assert unfinished is not None and unfinished.order == small_order("ORD-OPEN")
    assert unfinished.events == [{"type": "scan", "code": "A"}]
    # The SSCCs this station issued stay (the submit that issued this one is gone): an old
    # order read again raises no false duplicate-station alarm.
    assert issued_for(store, "370123450100000012") == "ORD-OLD"
    assert issued_for(store, "370123450100000029") == "ORD-NEW"
