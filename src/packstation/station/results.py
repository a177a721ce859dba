"""Workflow results the station received (or confirmed by re-reading), kept for history."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from packstation.omnium.workflow import ActionResult, WorkflowExecutionResult
from packstation.station.clock import from_text, now_text, to_text
from packstation.station.connection import StoreConnection

RESULT_KINDS = ("submit", "rerun", "set_status", "dispatch")
"""submit: a packer's OrderLinesUpdate; rerun / set_status: a supervisor's UpdateStatus;
dispatch: the dock's UpdateStatus when a package is scanned out."""


@dataclass(frozen=True)
class StepView:
    """One workflow step as the history and the supervisor desk show it."""

    name: str
    status: str
    reason: str | None = None
    aborted_here: bool = False


def steps_of(result: WorkflowExecutionResult) -> list[StepView]:
    """The visible steps of a workflow result, in order."""
    return [
        StepView(
            name=step.action_type,
            status=step.action_status,
            reason=step.error_reason,
            aborted_here=step.cancel_workflow,
        )
        for step in result.order_action_execution_results
        if not step.is_invisible
    ]


def visible_steps(actions: Sequence[dict[str, Any]]) -> list[StepView]:
    """The visible steps of stored step results (plain dicts: no model to parse for each)."""
    return [
        StepView(
            name=str(a.get("actionType") or ""),
            status=str(a.get("actionStatus") or ""),
            reason=a.get("errorReason"),
            aborted_here=bool(a.get("cancelWorkflow")),
        )
        for a in actions
        if not a.get("isInvisible")
    ]


@dataclass(frozen=True)
class ResultRecord:
    """A stored workflow result with who asked for it and when."""

    result_id: int
    kind: str
    order_id: str
    shipment_id: str | None
    user_id: str | None
    packer: str | None
    submit_id: int | None
    request_seq: int | None
    recorded_at: datetime
    aborted: bool | None
    """None when the request was confirmed by re-reading the order (its steps are unknown)."""
    reconciled: bool
    steps_json: str
    """Every step's result as Omnium answered it (camelCase, invisible steps too), as stored:
    parsed only when asked for (the history of 10,000 submits needs few of them)."""

    @cached_property
    def actions(self) -> list[dict[str, Any]]:
        """Every step's result as Omnium answered it."""
        parsed: list[dict[str, Any]] = json.loads(self.steps_json)
        return parsed

    @property
    def steps(self) -> list[StepView]:
        """The visible steps, in order."""
        return visible_steps(self.actions)

    @property
    def failing_step(self) -> StepView | None:
        """The step that aborted the workflow, if any."""
        return next((s for s in self.steps if s.aborted_here), None)

    def result(self) -> WorkflowExecutionResult | None:
        """The stored result (its steps and outcome; the order is Omnium's to keep), or None
        when the request was confirmed by re-reading the order."""
        if self.aborted is None:
            return None
        return WorkflowExecutionResult(
            is_aborted=self.aborted,
            order_action_execution_results=[ActionResult.model_validate(a) for a in self.actions],
        )


def _stored_steps(result: WorkflowExecutionResult) -> str:
    # The steps only, once, without their default values: the order is Omnium's to keep
    # (labels and reprints read it again), and a copy per result made the store grow by the
    # size of every order sent (issue 16).
    return json.dumps(
        [
            step.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            for step in result.order_action_execution_results
        ],
        separators=(",", ":"),
    )


_COLUMNS = (
    "id, kind, order_id, shipment_id, user_id, packer, submit_id, request_seq, recorded_at,"
    " aborted, reconciled, steps_json"
)


def _record(row: sqlite3.Row | tuple[Any, ...]) -> ResultRecord:
    return ResultRecord(
        result_id=int(row[0]),
        kind=row[1],
        order_id=row[2],
        shipment_id=row[3],
        user_id=row[4],
        packer=row[5],
        submit_id=row[6],
        request_seq=row[7],
        recorded_at=from_text(row[8]),
        aborted=None if row[9] is None else bool(row[9]),
        reconciled=bool(row[10]),
        steps_json=row[11],
    )


@dataclass(frozen=True)
class AbortOrigin:
    """Where an aborted result's run of aborts began, and who packed that shipment."""

    first_id: int
    """The first aborted result since the shipment's last result that did not abort: reruns
    that abort again continue one case, so its key (`result:<first_id>`) stays."""
    packer: str | None
    """The packer of the shipment's latest submit (supervisor actions never change it)."""
    packed_at: datetime | None


# Per aborted result: the first of its run of aborts, and the shipment's latest packer's
# submit. Each subquery is a search of results_order (order_id) for one order's few results.
_ORIGINS = """
SELECT r.id,
    (SELECT min(a.id) FROM results a WHERE a.order_id = r.order_id
        AND a.shipment_id IS r.shipment_id AND a.aborted = 1 AND a.id <= r.id
        AND a.id > coalesce((SELECT max(o.id) FROM results o WHERE o.order_id = r.order_id
            AND o.shipment_id IS r.shipment_id AND coalesce(o.aborted, 0) = 0
            AND o.id < r.id), 0)),
    (SELECT p.packer FROM results p WHERE p.order_id = r.order_id
        AND p.shipment_id IS r.shipment_id AND p.kind = 'submit' ORDER BY p.id DESC LIMIT 1),
    (SELECT p.recorded_at FROM results p WHERE p.order_id = r.order_id
        AND p.shipment_id IS r.shipment_id AND p.kind = 'submit' ORDER BY p.id DESC LIMIT 1)
FROM results r WHERE r.id IN ({marks})
"""

_IN_CHUNK = 500
"""Ids per `IN (...)`: well under SQLite's limit of bound parameters."""


class Results:
    """The results table."""

    def __init__(self, connection: StoreConnection) -> None:
        self._db = connection

    def record(
        self,
        kind: str,
        order_id: str,
        *,
        shipment_id: str | None,
        user_id: str | None,
        result: WorkflowExecutionResult | None,
        packer: str | None = None,
        submit_id: int | None = None,
        request_seq: int | None = None,
        reconciled: bool = False,
    ) -> int:
        """Store one workflow result (None = confirmed by re-reading); returns its id."""
        if kind not in RESULT_KINDS:
            raise ValueError(f"unknown result kind {kind!r}")
        with self._db.writing() as conn:
            cur = conn.execute(
                "INSERT INTO results (kind, order_id, shipment_id, user_id, packer, submit_id,"
                " request_seq, recorded_at, aborted, reconciled, steps_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    order_id,
                    shipment_id,
                    user_id,
                    packer,
                    submit_id,
                    request_seq,
                    now_text(),
                    None if result is None else int(result.is_aborted),
                    int(reconciled),
                    _stored_steps(result) if result is not None else "[]",
                ),
            )
            return int(cur.lastrowid or 0)

    def get(self, result_id: int) -> ResultRecord:
        """One stored result (KeyError if there is none)."""
        with self._db.reading() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM results WHERE id = ?", (result_id,))
            found = row.fetchone()
        if found is None:
            raise KeyError(result_id)
        return _record(found)

    def latest_aborted(self) -> list[ResultRecord]:
        """Aborted results that are still the latest of their order's shipment, oldest first:
        the desk's cases, found by the index, not by reading every result."""
        with self._db.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM results r WHERE aborted = 1 AND NOT EXISTS"
                " (SELECT 1 FROM results l WHERE l.order_id = r.order_id"
                " AND l.shipment_id IS r.shipment_id AND l.id > r.id)"
                " ORDER BY recorded_at, id"
            ).fetchall()
        return [_record(row) for row in rows]

    def abort_origins(self, result_ids: Sequence[int]) -> dict[int, AbortOrigin]:
        """For aborted results: where their run of aborts began and who packed (by id)."""
        found: dict[int, AbortOrigin] = {}
        with self._db.reading() as conn:
            for start in range(0, len(result_ids), _IN_CHUNK):
                chunk = list(result_ids[start : start + _IN_CHUNK])
                sql = _ORIGINS.format(marks=", ".join("?" * len(chunk)))
                for row in conn.execute(sql, chunk).fetchall():
                    found[int(row[0])] = AbortOrigin(
                        first_id=int(row[1] if row[1] is not None else row[0]),
                        packer=row[2],
                        packed_at=from_text(row[3]) if row[3] else None,
                    )
        return found

    def of_submits(self, submit_ids: Sequence[int]) -> list[ResultRecord]:
        """The results of these submits, oldest first."""
        found: list[ResultRecord] = []
        with self._db.reading() as conn:
            for submit_id in submit_ids:
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM results WHERE submit_id = ? ORDER BY recorded_at, id",
                    (submit_id,),
                ).fetchall()
                found.extend(_record(row) for row in rows)
        return found

    def list(
        self,
        order_id: str | None = None,
        since: datetime | None = None,
        *,
        submit_id: int | None = None,
        aborted_only: bool = False,
    ) -> list[ResultRecord]:
        """Stored results, oldest first, optionally for one order / submit / since a time."""
        where: list[str] = []
        params: list[Any] = []
        if order_id is not None:
            where.append("order_id = ?")
            params.append(order_id)
        if since is not None:
            where.append("recorded_at >= ?")
            params.append(to_text(since))
        if submit_id is not None:
            where.append("submit_id = ?")
            params.append(submit_id)
        if aborted_only:
            where.append("aborted = 1")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._db.reading() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM results{clause} ORDER BY recorded_at, id",
                params,
            ).fetchall()
        return [_record(row) for row in rows]
