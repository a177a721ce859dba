"""The supervisor desk's data: cases to review and the actions taken on them.

Cases come from this station's store (aborted workflow results, failed submits) and from
Omnium (orders with errors, through search). Actions are UpdateStatus calls (run the
workflow again, or set a status without running it) and reviews; every action is recorded
with the supervisor's id, and a workflow result it produced is stored in `results`.
Supervisor actions are interactive and sent once: the supervisor sees the outcome and decides.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from packstation.omnium.errors import OmniumError
from packstation.omnium.models import (
    OmniumOrder,
    OrderSearchRequest,
    OrderSearchResult,
    UpdateShipmentInfo,
    UpdateStatusPatch,
    WorkflowExecutionResult,
)
from packstation.packing.commands import BADGE_PREFIX
from packstation.station.clock import from_text, now_text
from packstation.station.results import ResultRecord, StepView, steps_of
from packstation.station.ssccs import recorded_conflicts
from packstation.station.store import StationStore

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class SupervisorClient(Protocol):
    """What the desk needs of `OmniumClient`."""

    async def get_order(self, order_id: str) -> OmniumOrder:
        """Read an order."""
        ...

    async def search_orders(self, request: OrderSearchRequest) -> OrderSearchResult:
        """Search orders."""
        ...

    async def update_status(
        self, order_id: str, patch: UpdateStatusPatch
    ) -> WorkflowExecutionResult:
        """Set a status (optionally without the workflow)."""
        ...


class SupervisorsOnly(PermissionError):
    """The badge is not a supervisor's."""


def badge_id(badge: str) -> str:
    """The id in a badge scan (`USER-7` -> `7`); a bare id is returned trimmed."""
    text = badge.strip()
    if text.upper().startswith(BADGE_PREFIX):
        text = text[len(BADGE_PREFIX) :]
    return text.strip()


class _HasSupervisors(Protocol):
    supervisors: list[str]


def is_supervisor(badge: str, settings: _HasSupervisors) -> bool:
    """True if the badge (`USER-<id>` or the id) belongs to a supervisor in the settings."""
    who = badge_id(badge)
    return bool(who) and who in {badge_id(s) for s in settings.supervisors}


@dataclass(frozen=True)
class Review:
    """A supervisor's note that a case was looked at."""

    supervisor: str
    note: str
    reviewed_at: datetime


@dataclass(frozen=True)
class SupervisorCase:
    """One thing a supervisor should look at."""

    key: str
    """Stable id of the case (reviews are stored against it)."""
    source: str
    """'station' (this station's results/outbox) or 'omnium' (an order with errors)."""
    kind: str
    """'aborted' (a workflow aborted), 'failed_submit', 'order_errors' or 'sscc_conflict'."""
    order_id: str
    shipment_id: str | None
    steps: list[StepView]
    packer: str | None
    packed_at: datetime | None
    error: str | None
    """One line saying what went wrong."""
    submit_id: int | None = None
    result_id: int | None = None
    review: Review | None = None
    shipment_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    also_keys: tuple[str, ...] = ()
    """Keys of cases folded into this one (Omnium's errors on the same order)."""
    omnium_errors: tuple[StepView, ...] = ()
    """The errors Omnium holds on the order, when its case was folded into this one."""

    @property
    def sources(self) -> str:
        """Where the case comes from: 'station', 'omnium' or 'station+omnium'."""
        return f"{self.source}+omnium" if self.also_keys else self.source

    @property
    def keys(self) -> tuple[str, ...]:
        """This case's key and those folded into it (a review covers them all)."""
        return (self.key, *self.also_keys)

    @property
    def reviewed(self) -> bool:
        """True once a supervisor marked it reviewed."""
        return self.review is not None


def _reviews(store: StationStore) -> dict[str, Review]:
    with store.reading() as conn:
        rows = conn.execute("SELECT case_key, supervisor, note, reviewed_at FROM reviews")
        return {r[0]: Review(r[1], r[2], from_text(r[3])) for r in rows.fetchall()}


def _abort_text(record: ResultRecord) -> str:
    failing = record.failing_step
    if failing is None:
        return "workflow aborted"
    reason = f": {failing.reason}" if failing.reason else ""
    return f"workflow aborted at {failing.name}{reason}"


def station_cases(store: StationStore, *, include_reviewed: bool = False) -> list[SupervisorCase]:
    """Aborted workflows, failed submits and SSCC conflicts of this station, oldest first.

    Only the latest result of each order's shipment counts: an aborted workflow stops being a
    case once a later run (e.g. a supervisor's rerun) did not abort, and a rerun that aborts
    again replaces the earlier case.
    """
    reviews = _reviews(store)
    # Only the results that make cases are read (by the indexes), not the whole history.
    failed = store.outbox.list(state="failed")
    by_submit: dict[int, list[ResultRecord]] = {}
    for record in store.results.of_submits([s.submit_id for s in failed]):
        if record.submit_id is not None:
            by_submit.setdefault(record.submit_id, []).append(record)
    cases: list[SupervisorCase] = []
    for record in store.results.latest_aborted():
        key = f"result:{record.result_id}"
        cases.append(
            SupervisorCase(
                key=key,
                source="station",
                kind="aborted",
                order_id=record.order_id,
                shipment_id=record.shipment_id,
                steps=record.steps,
                packer=record.packer or record.user_id,
                packed_at=record.recorded_at,
                error=_abort_text(record),
                submit_id=record.submit_id,
                result_id=record.result_id,
                review=reviews.get(key),
            )
        )
    for submit in failed:
        key = f"submit:{submit.submit_id}"
        steps = [s for r in by_submit.get(submit.submit_id, []) for s in r.steps]
        failed_seq = next((r.seq for r in submit.requests if r.state == "failed"), None)
        target = next(
            (r.target_shipment_id for r in submit.requests if r.seq == failed_seq),
            submit.source_shipment_id,
        )
        cases.append(
            SupervisorCase(
                key=key,
                source="station",
                kind="failed_submit",
                order_id=submit.order_id,
                shipment_id=target,
                steps=steps,
                packer=submit.packer,
                packed_at=submit.created_at,
                error=f"submit failed: {submit.error}",
                submit_id=submit.submit_id,
                review=reviews.get(key),
                extra={"failed_request": failed_seq, "requests": submit.request_count},
            )
        )
    for conflict in recorded_conflicts(store):
        key = f"sscc:{conflict.conflict_id}"
        cases.append(
            SupervisorCase(
                key=key,
                source="station",
                kind="sscc_conflict",
                order_id=conflict.order_id,
                shipment_id=conflict.shipment_id,
                steps=[],
                packer=None,
                packed_at=conflict.seen_at,
                error=conflict.message,
                review=reviews.get(key),
                extra={"sscc": conflict.sscc, "issued_for": conflict.issued_for},
            )
        )
    cases.sort(key=lambda c: (c.packed_at or _EPOCH, c.key))
    return [c for c in cases if include_reviewed or c.review is None]


def _errors_digest(order: OmniumOrder) -> str:
    payload = json.dumps([e.to_json_dict() for e in order.errors], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


async def omnium_cases(
    client: SupervisorClient,
    store: StationStore,
    *,
    take: int = 50,
    include_reviewed: bool = False,
) -> list[SupervisorCase]:
    """Orders with errors in Omnium (search `hasErrors`), with who packed them here, if known."""
    found = await client.search_orders(OrderSearchRequest(has_errors=True, take=take))
    reviews = _reviews(store)
    cases: list[SupervisorCase] = []
    for order in found.result:
        if not order.errors:
            continue
        key = f"omnium:{order.id}:{_errors_digest(order)}"
        ours = store.results.list(order_id=order.id)
        last = ours[-1] if ours else None
        shipment_id = last.shipment_id if last else None
        shipment = order.shipment(shipment_id) if shipment_id else None
        if shipment is None and len(order.order_form.shipments) == 1:
            shipment = order.order_form.shipments[0]
        steps = [
            StepView(name=e.key or "?", status=e.severity or "Error", reason=e.message)
            for e in order.errors
        ]
        first_line = order.errors[-1]
        cases.append(
            SupervisorCase(
                key=key,
                source="omnium",
                kind="order_errors",
                order_id=order.id,
                shipment_id=shipment.shipment_id if shipment else shipment_id,
                steps=steps,
                packer=last.packer if last else None,
                packed_at=last.recorded_at if last else None,
                error=f"{first_line.key or 'error'}: {first_line.message or ''}".strip(),
                result_id=last.result_id if last else None,
                review=reviews.get(key),
                shipment_status=shipment.order_status if shipment else order.status,
            )
        )
    return [c for c in cases if include_reviewed or c.review is None]


def merge_cases(
    station: Iterable[SupervisorCase], omnium: Iterable[SupervisorCase]
) -> list[SupervisorCase]:
    """One row per problem: Omnium's errors on an order this station has a case for join it.

    An aborted booking shows up twice otherwise: as this station's aborted workflow and as
    the error Omnium records on the order. The station's case (with its steps and packer)
    carries Omnium's errors; a review of it covers both.
    """
    merged = list(station)
    latest = {case.order_id: i for i, case in enumerate(merged)}
    for case in omnium:
        i = latest.get(case.order_id)
        if i is None:
            merged.append(case)
            continue
        host = merged[i]
        merged[i] = replace(
            host,
            also_keys=(*host.also_keys, case.key),
            omnium_errors=(*host.omnium_errors, *case.steps),
        )
    return merged


@dataclass(frozen=True)
class SupervisorAction:
    """A recorded supervisor action."""

    action_id: int
    case_key: str | None
    order_id: str
    shipment_id: str | None
    action: str
    supervisor: str
    detail: str | None
    result_id: int | None
    error: str | None
    at: datetime


def _record_action(
    store: StationStore,
    *,
    case_key: str | None,
    order_id: str,
    shipment_id: str | None,
    action: str,
    supervisor: str,
    detail: str | None,
    result_id: int | None = None,
    error: str | None = None,
) -> int:
    with store.writing() as conn:
        cur = conn.execute(
            "INSERT INTO supervisor_actions (case_key, order_id, shipment_id, action, supervisor,"
            " detail, result_id, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_key,
                order_id,
                shipment_id,
                action,
                supervisor,
                detail,
                result_id,
                error,
                now_text(),
            ),
        )
        return int(cur.lastrowid or 0)


def actions(store: StationStore, order_id: str | None = None) -> list[SupervisorAction]:
    """Recorded supervisor actions, oldest first."""
    clause, params = ("WHERE order_id = ?", [order_id]) if order_id else ("", [])
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT id, case_key, order_id, shipment_id, action, supervisor, detail, result_id,"
            f" error, at FROM supervisor_actions {clause} ORDER BY id",
            params,
        ).fetchall()
    return [
        SupervisorAction(
            action_id=int(row[0]),
            case_key=row[1],
            order_id=row[2],
            shipment_id=row[3],
            action=row[4],
            supervisor=row[5],
            detail=row[6],
            result_id=row[7],
            error=row[8],
            at=from_text(row[9]),
        )
        for row in rows
    ]


def _require(supervisor: str) -> str:
    who = badge_id(supervisor)
    if not who:
        raise SupervisorsOnly("a supervisor's id is required")
    return who


async def _update_status(
    client: SupervisorClient,
    store: StationStore,
    *,
    kind: str,
    order_id: str,
    shipment_id: str | None,
    patch: UpdateStatusPatch,
    supervisor: str,
    case_key: str | None,
    detail: str,
) -> WorkflowExecutionResult:
    try:
        result = await client.update_status(order_id, patch)
    except OmniumError as err:
        await asyncio.to_thread(
            _record_action,
            store,
            case_key=case_key,
            order_id=order_id,
            shipment_id=shipment_id,
            action=kind,
            supervisor=supervisor,
            detail=detail,
            error=str(err),
        )
        raise

    def record() -> None:
        # The result and the action that produced it are committed together.
        with store.writing():
            result_id = store.results.record(
                kind, order_id, shipment_id=shipment_id, user_id=supervisor, result=result
            )
            _record_action(
                store,
                case_key=case_key,
                order_id=order_id,
                shipment_id=shipment_id,
                action=kind,
                supervisor=supervisor,
                detail=detail,
                result_id=result_id,
            )

    await asyncio.to_thread(record)
    return result


async def rerun_workflow(
    client: SupervisorClient,
    store: StationStore,
    *,
    order_id: str,
    shipment_id: str,
    supervisor: str,
    case_key: str | None = None,
) -> WorkflowExecutionResult:
    """Run the shipment's workflow again: UpdateStatus with the shipment's own orderStatus."""
    who = _require(supervisor)
    order = await client.get_order(order_id)
    shipment = order.shipment(shipment_id)
    if shipment is None:
        raise ValueError(f"order {order_id} has no shipment {shipment_id}")
    status = shipment.order_status or order.status
    if not status:
        raise ValueError(f"shipment {shipment_id} of order {order_id} has no status to rerun")
    patch = UpdateStatusPatch(
        status=status,
        shipment_info=UpdateShipmentInfo(shipment_id=shipment_id),
        user_id=who,
    )
    return await _update_status(
        client,
        store,
        kind="rerun",
        order_id=order_id,
        shipment_id=shipment_id,
        patch=patch,
        supervisor=who,
        case_key=case_key,
        detail=f"rerun workflow (status {status})",
    )


async def set_status_without_workflow(
    client: SupervisorClient,
    store: StationStore,
    *,
    order_id: str,
    shipment_id: str | None,
    status: str,
    reason: str,
    supervisor: str,
    case_key: str | None = None,
) -> WorkflowExecutionResult:
    """Set a status with `skipRunWorkflow` (a reason is required and recorded)."""
    who = _require(supervisor)
    if not reason.strip():
        raise ValueError("a reason is required to set a status without running the workflow")
    if not status.strip():
        raise ValueError("a status is required")
    patch = UpdateStatusPatch(
        status=status.strip(),
        shipment_info=UpdateShipmentInfo(shipment_id=shipment_id) if shipment_id else None,
        skip_run_workflow=True,
        user_id=who,
    )
    return await _update_status(
        client,
        store,
        kind="set_status",
        order_id=order_id,
        shipment_id=shipment_id,
        patch=patch,
        supervisor=who,
        case_key=case_key,
        detail=f"set status {status.strip()} without workflow: {reason.strip()}",
    )


def mark_reviewed(
    store: StationStore, case: SupervisorCase | str, supervisor: str, note: str
) -> None:
    """Mark a case reviewed with a note; it leaves the open list."""
    who = _require(supervisor)
    if not note.strip():
        raise ValueError("a note is required to mark a case reviewed")
    if isinstance(case, SupervisorCase):
        key, order_id, shipment_id = case.key, case.order_id, case.shipment_id
        keys = case.keys
    else:
        key = case
        order_id, shipment_id = _case_target(store, key)
        keys = (key,)
    reviewed_at = now_text()
    with store.writing() as conn:
        conn.executemany(
            "INSERT INTO reviews (case_key, supervisor, note, reviewed_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (case_key) DO UPDATE SET supervisor = excluded.supervisor,"
            " note = excluded.note, reviewed_at = excluded.reviewed_at",
            [(k, who, note.strip(), reviewed_at) for k in keys],
        )
        _record_action(
            store,
            case_key=key,
            order_id=order_id,
            shipment_id=shipment_id,
            action="review",
            supervisor=who,
            detail=note.strip(),
        )


def _case_target(store: StationStore, key: str) -> tuple[str, str | None]:
    """The order and shipment a case key points at."""
    source, _, rest = key.partition(":")
    if source == "result":
        record = store.results.get(int(rest))
        return record.order_id, record.shipment_id
    if source == "submit":
        submit = store.outbox.get(int(rest))
        return submit.order_id, submit.source_shipment_id
    if source == "omnium" and rest:
        return rest.rsplit(":", 1)[0], None
    raise ValueError(f"not a case key: {key!r}")


def steps_for(result: WorkflowExecutionResult) -> list[StepView]:
    """The steps of an action's result, for the screen."""
    return steps_of(result)


def unique_orders(cases: Iterable[SupervisorCase]) -> list[str]:
    """The order ids of some cases, first appearance order."""
    return list(dict.fromkeys(c.order_id for c in cases))
