"""The outbox: a submit's requests, written in one transaction before the first is sent.

A submit is the ordered list of `UpdateLineItemStatusPatch` requests the packing session
produced, each already carrying the new shipment id and the package SSCCs, so that a resend
after a crash sends exactly the same thing. Attempts are logged here too: a send attempt
whose outcome is NULL (crash while in flight) or 'unknown' obliges the sender to re-read the
order before it sends that request again.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from packstation.omnium.workflow import UpdateLineItemStatusPatch, WorkflowExecutionResult
from packstation.station import follow_ups
from packstation.station.clock import from_text, now_text
from packstation.station.connection import StoreConnection
from packstation.station.journal import Journal
from packstation.station.results import Results
from packstation.station.ssccs import record_issued

SUBMIT_STATES = ("pending", "done", "failed")
REQUEST_KINDS = ("deliver", "new_shipment", "split")

# Attempt outcomes. "unknown" and NULL mean the server may have applied the request.
OUTCOME_OK = "ok"
OUTCOME_UNKNOWN = "unknown"
OUTCOME_NOT_SENT = "not_sent"
OUTCOME_REFUSED = "refused"
OUTCOME_LANDED = "landed"
OUTCOME_NOT_LANDED = "not_landed"
OUTCOME_READ_FAILED = "read_failed"


@dataclass(frozen=True)
class OutboxRequest:
    """One request of a submit, as stored."""

    submit_id: int
    seq: int
    """1-based position in the submit; requests are sent in this order."""
    kind: str
    """'deliver' (existing shipment), 'new_shipment' (partial delivery) or 'split'."""
    target_shipment_id: str
    patch: UpdateLineItemStatusPatch
    state: str
    reconciled: bool


@dataclass(frozen=True)
class SubmitRecord:
    """A submit with its requests."""

    submit_id: int
    order_id: str
    source_shipment_id: str
    packer: str
    session_id: int | None
    state: str
    created_at: datetime
    ended_at: datetime | None
    error: str | None
    requests: list[OutboxRequest]

    @property
    def request_count(self) -> int:
        """How many requests the submit has."""
        return len(self.requests)

    @property
    def package_ids(self) -> list[str]:
        """Every package id (SSCC) the submit sends, in order."""
        ids: list[str] = []
        for request in self.requests:
            info = request.patch.shipment_info
            for package in info.packages if info and info.packages else []:
                if package.id:
                    ids.append(package.id)
        return ids


@dataclass(frozen=True)
class SubmitSummary:
    """A submit as the history lists it, read without parsing its requests."""

    submit_id: int
    order_id: str
    packer: str
    state: str
    created_at: datetime
    error: str | None
    targets: list[str]
    """The target shipment of each request, in order."""
    kinds: list[str]
    package_count: int
    """Packages with an id (SSCC) over all requests."""


def classify(patch: UpdateLineItemStatusPatch, source_shipment_id: str) -> tuple[str, str]:
    """The request's kind and target shipment id; refuses requests a retry could duplicate."""
    info = patch.shipment_info
    target = info.shipment_id if info is not None else None
    if not target:
        # House rule 10: without an id chosen by us, a retried split would create a second one.
        raise ValueError("every outbox request must name its target shipment id")
    splits = [u for u in patch.line_item_updates if u.split_quantity is not None]
    for update in splits:
        if update.delivered_quantity is not None:
            raise ValueError(
                f"line {update.line_item_id}: deliveredQuantity and splitQuantity in one request"
            )
    if splits:
        if target == source_shipment_id:
            raise ValueError("a split must name a new shipment id, not the source shipment")
        return "split", target
    if target == source_shipment_id:
        return "deliver", target
    return "new_shipment", target


def _request(row: tuple[Any, ...]) -> OutboxRequest:
    return OutboxRequest(
        submit_id=int(row[0]),
        seq=int(row[1]),
        kind=row[2],
        target_shipment_id=row[3],
        patch=UpdateLineItemStatusPatch.model_validate(json.loads(row[4])),
        state=row[5],
        reconciled=bool(row[6]),
    )


_SUBMIT_COLUMNS = (
    "id, order_id, source_shipment_id, packer, session_id, state, created_at, ended_at, error"
)
_REQUEST_COLUMNS = "submit_id, seq, kind, target_shipment_id, patch_json, state, reconciled"


def _submit(row: tuple[Any, ...], requests: list[OutboxRequest]) -> SubmitRecord:
    return SubmitRecord(
        submit_id=int(row[0]),
        order_id=row[1],
        source_shipment_id=row[2],
        packer=row[3],
        session_id=row[4],
        state=row[5],
        created_at=from_text(row[6]),
        ended_at=from_text(row[7]) if row[7] else None,
        error=row[8],
        requests=requests,
    )


class Outbox:
    """Submits waiting to be sent, and their history."""

    def __init__(self, connection: StoreConnection, journal: Journal, results: Results) -> None:
        self._db = connection
        self._journal = journal
        self._results = results

    def enqueue(
        self,
        order_id: str,
        requests: Sequence[UpdateLineItemStatusPatch],
        *,
        packer: str,
        source_shipment_id: str,
        session_id: int | None = None,
    ) -> int:
        """Store a submit's requests in one transaction (finishing the session); its id."""
        if not requests:
            raise ValueError("a submit needs at least one request")
        if not packer:
            raise ValueError("a submit needs the packer's badge id")
        rows: list[tuple[str, str, str]] = []
        for number, patch in enumerate(requests, start=1):
            # Audit: every request must carry the packer's badge id as userId.
            if patch.user_id != packer:
                raise ValueError(
                    f"request {number} has userId {patch.user_id!r}, expected the packer {packer!r}"
                )
            kind, target = classify(patch, source_shipment_id)
            rows.append((kind, target, json.dumps(patch.to_json_dict(), separators=(",", ":"))))
        with self._db.writing() as conn:
            cur = conn.execute(
                "INSERT INTO submits (order_id, source_shipment_id, packer, session_id,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (order_id, source_shipment_id, packer, session_id, now_text()),
            )
            submit_id = int(cur.lastrowid or 0)
            conn.executemany(
                "INSERT INTO submit_requests (submit_id, seq, kind, target_shipment_id,"
                " patch_json) VALUES (?, ?, ?, ?, ?)",
                [(submit_id, n, *row) for n, row in enumerate(rows, start=1)],
            )
            # The package SSCCs are this station's from now on (see station.ssccs).
            record_issued(conn, order_id, requests)
            # What follows the answer is owed from now on: no crash can come between the
            # answer and a record that it is (station.follow_ups).
            follow_ups.mark_due(conn, submit_id)
            if session_id is not None:
                self._journal.finish(session_id)
        return submit_id

    def pending_count(self) -> int:
        """How many submits are not yet done or failed."""
        with self._db.reading() as conn:
            row = conn.execute("SELECT count(*) FROM submits WHERE state = 'pending'").fetchone()
        return int(row[0])

    def pending(self) -> list[SubmitRecord]:
        """The pending submits, oldest first."""
        return self.list(state="pending")

    def list(self, state: str | None = None, order_id: str | None = None) -> list[SubmitRecord]:
        """Submits, oldest first, optionally in one state or for one order (two queries)."""
        where: list[str] = []
        params: list[Any] = []
        if state is not None:
            where.append("state = ?")
            params.append(state)
        if order_id is not None:
            where.append("order_id = ?")
            params.append(order_id)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._db.reading() as conn:
            rows = conn.execute(
                f"SELECT {_SUBMIT_COLUMNS} FROM submits{clause} ORDER BY id", params
            )
            submits = rows.fetchall()
            requests: dict[int, list[OutboxRequest]] = {}
            for r in conn.execute(
                f"SELECT {_REQUEST_COLUMNS} FROM submit_requests WHERE submit_id IN"
                f" (SELECT id FROM submits{clause}) ORDER BY submit_id, seq",
                params,
            ):
                requests.setdefault(int(r[0]), []).append(_request(r))
        return [_submit(row, requests.get(int(row[0]), [])) for row in submits]

    def summaries(
        self, order_id: str | None = None, since: str | None = None
    ) -> builtins.list[SubmitSummary]:
        """Every submit (of one order, created at or after the stored time `since`), oldest
        first, in two queries (not one per submit) and without parsing the requests."""
        where: list[str] = []
        params: list[Any] = []
        if order_id is not None:
            where.append("order_id = ?")
            params.append(order_id)
        if since is not None:
            where.append("created_at >= ?")
            params.append(since)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        requests: dict[int, list[tuple[str, str, int]]] = {}
        with self._db.reading() as conn:
            submits = conn.execute(
                "SELECT id, order_id, packer, state, created_at, error FROM submits"
                f"{clause} ORDER BY id",
                params,
            ).fetchall()
            for submit_id, kind, target, packages in conn.execute(
                "SELECT submit_id, kind, target_shipment_id, (SELECT count(*) FROM"
                " json_each(patch_json, '$.shipmentInfo.packages') p"
                " WHERE json_extract(p.value, '$.id') IS NOT NULL)"
                f" FROM submit_requests WHERE submit_id IN (SELECT id FROM submits{clause})"
                " ORDER BY submit_id, seq",
                params,
            ):
                requests.setdefault(int(submit_id), []).append((kind, target, int(packages)))
        found: list[SubmitSummary] = []
        for row in submits:
            mine = requests.get(int(row[0]), [])
            found.append(
                SubmitSummary(
                    submit_id=int(row[0]),
                    order_id=row[1],
                    packer=row[2],
                    state=row[3],
                    created_at=from_text(row[4]),
                    error=row[5],
                    targets=[target for _, target, _ in mine],
                    kinds=[kind for kind, _, _ in mine],
                    package_count=sum(count for _, _, count in mine),
                )
            )
        return found

    def get(self, submit_id: int) -> SubmitRecord:
        """One submit with its requests (KeyError if there is none)."""
        with self._db.reading() as conn:
            row = conn.execute(
                f"SELECT {_SUBMIT_COLUMNS} FROM submits WHERE id = ?", (submit_id,)
            ).fetchone()
            if row is None:
                raise KeyError(submit_id)
            requests = [
                _request(r)
                for r in conn.execute(
                    f"SELECT {_REQUEST_COLUMNS} FROM submit_requests WHERE submit_id = ?"
                    " ORDER BY seq",
                    (submit_id,),
                )
            ]
        return _submit(row, requests)

    # --- used by the sender ----------------------------------------------------------------

    def begin_attempt(self, submit_id: int, seq: int, action: str) -> int:
        """Log (and commit) that a send or a re-read starts; its id for end_attempt."""
        with self._db.writing() as conn:
            cur = conn.execute(
                "INSERT INTO attempts (submit_id, seq, action, started_at) VALUES (?, ?, ?, ?)",
                (submit_id, seq, action, now_text()),
            )
            return int(cur.lastrowid or 0)

    def end_attempt(
        self,
        attempt_id: int,
        outcome: str,
        *,
        http_status: int | None = None,
        detail: str | None = None,
    ) -> None:
        """Log how an attempt ended."""
        with self._db.writing() as conn:
            conn.execute(
                "UPDATE attempts SET ended_at = ?, outcome = ?, http_status = ?, detail = ?"
                " WHERE id = ?",
                (now_text(), outcome, http_status, detail, attempt_id),
            )

    def attempts(self, submit_id: int) -> builtins.list[dict[str, Any]]:
        """Every attempt of a submit, in order (for tests, history and the supervisor)."""
        with self._db.reading() as conn:
            rows = conn.execute(
                "SELECT id, seq, action, started_at, ended_at, outcome, http_status, detail"
                " FROM attempts WHERE submit_id = ? ORDER BY id",
                (submit_id,),
            ).fetchall()
        keys = ("id", "seq", "action", "started_at", "ended_at", "outcome", "http_status", "detail")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def may_have_landed(self, submit_id: int, seq: int) -> bool:
        """True if some send of this request may have been applied (unknown, cut short, or
        answered but not marked done, which only a crash in between can leave behind)."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT count(*) FROM attempts WHERE submit_id = ? AND seq = ?"
                " AND action = 'send' AND (outcome IS NULL OR outcome IN (?, ?))",
                (submit_id, seq, OUTCOME_UNKNOWN, OUTCOME_OK),
            ).fetchone()
        return int(row[0]) > 0

    def last_uncertain_send(self, submit_id: int, seq: int) -> datetime | None:
        """When the latest send of this request that may have been applied started, or None."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT max(started_at) FROM attempts WHERE submit_id = ? AND seq = ?"
                " AND action = 'send' AND (outcome IS NULL OR outcome IN (?, ?))",
                (submit_id, seq, OUTCOME_UNKNOWN, OUTCOME_OK),
            ).fetchone()
        return from_text(row[0]) if row and row[0] else None

    def complete_request(
        self,
        submit: SubmitRecord,
        request: OutboxRequest,
        result: WorkflowExecutionResult | None,
        *,
        reconciled: bool,
        attempt_id: int | None = None,
        attempt_outcome: str = OUTCOME_OK,
    ) -> int:
        """Mark one request done, store its result and close its attempt, in one transaction."""
        with self._db.writing() as conn:
            if attempt_id is not None:
                self.end_attempt(attempt_id, attempt_outcome, http_status=200)
            result_id = self._results.record(
                "submit",
                submit.order_id,
                shipment_id=request.target_shipment_id,
                user_id=request.patch.user_id,
                packer=submit.packer,
                result=result,
                submit_id=submit.submit_id,
                request_seq=request.seq,
                reconciled=reconciled,
            )
            conn.execute(
                "UPDATE submit_requests SET state = 'done', reconciled = ?, ended_at = ?"
                " WHERE submit_id = ? AND seq = ?",
                (int(reconciled), now_text(), submit.submit_id, request.seq),
            )
            left = conn.execute(
                "SELECT count(*) FROM submit_requests WHERE submit_id = ? AND state != 'done'",
                (submit.submit_id,),
            ).fetchone()
            if int(left[0]) == 0:
                conn.execute(
                    "UPDATE submits SET state = 'done', ended_at = ? WHERE id = ?",
                    (now_text(), submit.submit_id),
                )
        return result_id

    def fail(self, submit_id: int, seq: int | None, error: str) -> None:
        """Give up on a submit: it becomes a supervisor case with this one-line reason."""
        with self._db.writing() as conn:
            if seq is not None:
                conn.execute(
                    "UPDATE submit_requests SET state = 'failed', ended_at = ?"
                    " WHERE submit_id = ? AND seq = ?",
                    (now_text(), submit_id, seq),
                )
            conn.execute(
                "UPDATE submits SET state = 'failed', ended_at = ?, error = ? WHERE id = ?",
                (now_text(), error, submit_id),
            )
