"""The supervisor desk's actions on cases, each recorded with the supervisor's id.

Actions are UpdateStatus calls (run the workflow again, or set a status without running it)
and reviews; a workflow result an action produced is stored in `results`, with the
supervisor as its user and the shipment's packer kept as its packer. An action whose workflow
did not abort closes its case (a review by the supervisor, at that time). Supervisor actions
are interactive and sent once: the supervisor sees the outcome and decides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from packstation.i18n import _
from packstation.omnium.errors import OmniumError
from packstation.omnium.models import OmniumOrder
from packstation.omnium.search import OrderSearchRequest, OrderSearchResult
from packstation.omnium.workflow import (
    UpdateShipmentInfo,
    UpdateStatusPatch,
    WorkflowExecutionResult,
)
from packstation.station.clock import from_text, now_text
from packstation.station.store import StationStore
from packstation.station.supervisor_cases import SupervisorCase
from packstation.station.supervisors import require_supervisor


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


def packer_of(store: StationStore, order_id: str, shipment_id: str | None) -> str | None:
    """Who packed the shipment (else the order) here: its latest result's packer or submit's."""
    with store.reading() as conn:
        row = conn.execute(
            "SELECT packer FROM results WHERE order_id = ? AND packer IS NOT NULL"
            " ORDER BY (shipment_id IS ?) DESC, id DESC LIMIT 1",
            (order_id, shipment_id),
        ).fetchone()
        if row is None:
            row = conn.execute(
                "SELECT packer FROM submits WHERE order_id = ? ORDER BY id DESC LIMIT 1",
                (order_id,),
            ).fetchone()
    return str(row[0]) if row else None


def _review(store: StationStore, keys: Sequence[str], who: str, note: str) -> None:
    with store.writing() as conn:
        conn.executemany(
            "INSERT INTO reviews (case_key, supervisor, note, reviewed_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (case_key) DO UPDATE SET supervisor = excluded.supervisor,"
            " note = excluded.note, reviewed_at = excluded.reviewed_at",
            [(k, who, note, now_text()) for k in keys],
        )


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
    case_keys: Sequence[str],
    detail: str,
) -> WorkflowExecutionResult:
    try:
        result = await client.update_status(order_id, patch)
    except (asyncio.CancelledError, OmniumError) as err:
        # Cancelled (Escape on the desk) after the request left: Omnium may have applied it.
        cancelled = "cancelled while waiting for Omnium's answer; it may have been applied"
        await asyncio.to_thread(
            _record_action,
            store,
            case_key=case_key,
            order_id=order_id,
            shipment_id=shipment_id,
            action=kind,
            supervisor=supervisor,
            detail=detail,
            error=cancelled if isinstance(err, asyncio.CancelledError) else str(err),
        )
        raise

    def record() -> None:
        # The result, the action that produced it and the case's closing are one commit.
        with store.writing():
            result_id = store.results.record(
                kind,
                order_id,
                shipment_id=shipment_id,
                user_id=supervisor,
                packer=packer_of(store, order_id, shipment_id),
                result=result,
            )
            if not result.is_aborted:
                closing = case_keys or ((case_key,) if case_key else ())
                _review(store, closing, supervisor, f"closed: {detail}")
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
    case_keys: Sequence[str] = (),
) -> WorkflowExecutionResult:
    """Run the shipment's workflow again: UpdateStatus with the shipment's own orderStatus.

    When it does not abort, the case (`case_keys`, else `case_key`) is closed."""
    who = require_supervisor(supervisor)
    order = await client.get_order(order_id)
    shipment = order.shipment(shipment_id)
    if shipment is None:
        raise ValueError(
            _("order {order_id} has no shipment {shipment_id}").format(
                order_id=order_id, shipment_id=shipment_id
            )
        )
    status = shipment.order_status or order.status
    if not status:
        raise ValueError(
            _("shipment {shipment_id} of order {order_id} has no status to rerun").format(
                shipment_id=shipment_id, order_id=order_id
            )
        )
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
        case_keys=case_keys,
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
    case_keys: Sequence[str] = (),
) -> WorkflowExecutionResult:
    """Set a status with `skipRunWorkflow` (a reason is required and recorded); closes the
    case (`case_keys`, else `case_key`) unless Omnium answers that it aborted."""
    who = require_supervisor(supervisor)
    if not reason.strip():
        raise ValueError(_("a reason is required to set a status without running the workflow"))
    if not status.strip():
        raise ValueError(_("a status is required"))
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
        case_keys=case_keys,
        detail=f"set status {status.strip()} without workflow: {reason.strip()}",
    )


def mark_reviewed(
    store: StationStore, case: SupervisorCase | str, supervisor: str, note: str
) -> None:
    """Mark a case reviewed with a note; it leaves the open list."""
    who = require_supervisor(supervisor)
    if not note.strip():
        raise ValueError(_("a note is required to mark a case reviewed"))
    if isinstance(case, SupervisorCase):
        key, order_id, shipment_id = case.key, case.order_id, case.shipment_id
        keys = case.keys
    else:
        key = case
        order_id, shipment_id = _case_target(store, key)
        keys = (key,)
    with store.writing():
        _review(store, keys, who, note.strip())
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
    source, _sep, rest = key.partition(":")
    if source == "result":
        record = store.results.get(int(rest))
        return record.order_id, record.shipment_id
    if source == "submit":
        submit = store.outbox.get(int(rest))
        return submit.order_id, submit.source_shipment_id
    if source == "omnium" and rest:
        return rest.rsplit(":", 1)[0], None
    raise ValueError(f"not a case key: {key!r}")
