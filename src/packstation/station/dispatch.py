"""Dispatch at the dock: a package's SSCC scanned moves its shipment to the next status.

The next status comes from `dispatch_statuses` (order type -> status; Omnium's common flow
ships an Online order with `Ship`, which captures the payment). Exactly once, as the outbox:
- a package already dispatched (or whose shipment another package moved) sends nothing;
- the dispatch is recorded `pending` before `UpdateStatus` is sent; when the answer is lost
  (timeout, dropped connection, 5xx) the order is re-read after a settling wait, and the status
  is sent again only if the shipment has not reached it; a crash leaves the row pending, and
  the next scan of the package re-reads first;
- a shipment already at the status in Omnium is recorded as done, nothing sent.
The workflow result is stored as a `dispatch` result: an aborted one is a desk case.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from packstation.config import Settings
from packstation.i18n import _, time_text
from packstation.labels.sscc import is_valid_sscc
from packstation.omnium.errors import (
    InvalidResponse,
    OmniumError,
    OmniumUnavailable,
    OrderLocked,
    RateLimited,
    ServerError,
)
from packstation.omnium.models import OmniumOrder, Shipment
from packstation.omnium.search import OrderSearchRequest, OrderSearchResult
from packstation.omnium.workflow import (
    UpdateShipmentInfo,
    UpdateStatusPatch,
    WorkflowExecutionResult,
)
from packstation.packing.symbology import scan_body
from packstation.station import dispatches
from packstation.station.retry_policy import RetryPolicy
from packstation.station.ssccs import issued_for
from packstation.station.store import StationStore

SENT = "sent"
ABORTED = "aborted"
ALREADY = "already"
REFUSED = "refused"
FAILED = "failed"
UNSURE = "unsure"

MAX_TRIES = 5
"""Sends (and re-reads) of one dispatch before it is left pending for the next scan."""

_GS1_SSCC = re.compile(r"^(?:\(00\)|00)(\d{18})$")


class DispatchClient(Protocol):
    """What dispatch needs of the Omnium client."""

    async def get_order(self, order_id: str) -> OmniumOrder:
        """Read an order."""
        ...

    async def search_orders(self, request: OrderSearchRequest) -> OrderSearchResult:
        """Search orders."""
        ...

    async def update_status(
        self, order_id: str, patch: UpdateStatusPatch
    ) -> WorkflowExecutionResult:
        """Set a status and run its workflow."""
        ...


@dataclass(frozen=True)
class DispatchOutcome:
    """What one scan at the dock did."""

    kind: str
    """sent, aborted, already, refused, failed or unsure (left pending: scan it again)."""
    message: str
    sscc: str | None = None
    order_id: str | None = None
    shipment_id: str | None = None
    status: str | None = None
    result: WorkflowExecutionResult | None = None
    order: OmniumOrder | None = None
    """The order as the answer (or the last read) left it."""


def sscc_of(scan: str) -> str | None:
    """The SSCC in a scan: 18 digits, or GS1 AI 00 (with or without parentheses)."""
    text = scan_body(scan).strip()
    match = _GS1_SSCC.match(text)
    digits = match.group(1) if match else text
    return digits if len(digits) == 18 and is_valid_sscc(digits) else None


def shipment_holding(order: OmniumOrder, sscc: str) -> Shipment | None:
    """The shipment one of whose packages is this SSCC (its id or its barcode)."""
    return next(
        (
            s
            for s in order.order_form.shipments
            if any(sscc in (p.id, p.barcode) for p in s.packages)
        ),
        None,
    )


def _status_of(order: OmniumOrder, shipment: Shipment) -> str:
    return shipment.order_status or order.status or ""


class Dispatcher:
    """Moves the shipment of each package scanned at the dock, exactly once."""

    def __init__(
        self,
        store: StationStore,
        client: DispatchClient,
        settings: Settings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        run: Callable[..., Awaitable[object]] | None = None,
        check_order: Callable[[OmniumOrder], Awaitable[object]] | None = None,
    ) -> None:
        self._store = store
        self._client = client
        self._settings = settings
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._rng = random.Random()
        self._in_thread = run or asyncio.to_thread
        # The station's duplicated-station-id check: a package at the dock numbered from this
        # station's range that its store never issued is the same symptom as on packing.
        self._check_order = check_order

    async def _db(self, fn: Callable[..., object], *args: object) -> object:
        return await self._in_thread(fn, *args)

    async def scan(self, text: str, user_id: str | None = None) -> DispatchOutcome:
        """Dispatch the package whose label was scanned."""
        sscc = sscc_of(text)
        if sscc is None:
            return DispatchOutcome(
                REFUSED,
                _("{scan} is not a package's SSCC").format(scan=repr(scan_body(text)[:60])),
            )
        record = await self._db(dispatches.dispatch_of, self._store, sscc)
        assert record is None or isinstance(record, dispatches.Dispatch)
        if record is not None and record.state == dispatches.DONE:
            said = dict(
                sscc=sscc,
                order_id=record.order_id,
                shipment_id=record.shipment_id,
                status=record.status,
            )
            text = (
                _(
                    "Package {sscc} was already dispatched at {time} (order {order_id}, "
                    "shipment {shipment_id} → {status}); nothing sent"
                ).format(time=time_text(record.ended_at.astimezone()), **said)
                if record.ended_at
                else _(
                    "Package {sscc} was already dispatched before (order {order_id}, "
                    "shipment {shipment_id} → {status}); nothing sent"
                ).format(**said)
            )
            return DispatchOutcome(
                ALREADY,
                text,
                sscc,
                record.order_id,
                record.shipment_id,
                record.status,
            )
        try:
            order = await self._find_order(sscc, record)
        except OmniumError as err:
            return DispatchOutcome(
                FAILED,
                _("Package {sscc}: Omnium could not be read ({error})").format(
                    sscc=sscc, error=err
                ),
                sscc,
            )
        if order is None:
            return DispatchOutcome(
                REFUSED,
                _(
                    "Package {sscc} is unknown: not packed at this station and not found in Omnium"
                ).format(sscc=sscc),
                sscc,
            )
        if self._check_order is not None:
            await self._check_order(order)
        shipment = shipment_holding(order, sscc)
        if shipment is None:
            return DispatchOutcome(
                REFUSED,
                _("Order {order_id} has no package {sscc}").format(order_id=order.id, sscc=sscc),
                sscc,
                order.id,
            )
        return await self._dispatch(sscc, order, shipment, user_id)

    async def _find_order(
        self, sscc: str, record: dispatches.Dispatch | None
    ) -> OmniumOrder | None:
        order_id = record.order_id if record is not None else None
        if order_id is None:
            found = await self._db(issued_for, self._store, sscc)
            order_id = found if isinstance(found, str) else None
        if order_id is not None:
            return await self._client.get_order(order_id)
        # Packed at another station: Omnium's order search by the package's number.
        answer = await self._client.search_orders(OrderSearchRequest(search_text=sscc, take=10))
        return next((o for o in answer.result if shipment_holding(o, sscc) is not None), None)

    async def _dispatch(
        self, sscc: str, order: OmniumOrder, shipment: Shipment, user_id: str | None
    ) -> DispatchOutcome:
        where = dict(sscc=sscc, order_id=order.id, shipment_id=shipment.shipment_id)
        target = self._settings.dispatch_statuses.get(order.order_type or "")
        if not target:
            return DispatchOutcome(
                REFUSED,
                _(
                    "Order {order_id} is of type {order_type}, which has no "
                    "dispatch status (dispatch_statuses); nothing sent"
                ).format(order_id=order.id, order_type=order.order_type or _("(none)")),
                **where,
            )
        moved = await self._db(
            dispatches.done_for_shipment, self._store, order.id, shipment.shipment_id
        )
        if isinstance(moved, dispatches.Dispatch) and moved.sscc != sscc:
            return DispatchOutcome(
                ALREADY,
                _(
                    "Shipment {shipment_id} of order {order_id} was already dispatched "
                    "with package {sscc}; nothing sent"
                ).format(shipment_id=shipment.shipment_id, order_id=order.id, sscc=moved.sscc),
                status=target,
                **where,
            )
        current = _status_of(order, shipment)
        if current == target:
            message = _(
                "Shipment {shipment_id} of order {order_id} is already {status} in "
                "Omnium; nothing sent"
            ).format(shipment_id=shipment.shipment_id, order_id=order.id, status=target)
            await self._db(
                dispatches.begin, self._store, sscc, order.id, shipment.shipment_id, target
            )
            await self._db(dispatches.end, self._store, sscc, dispatches.DONE, message)
            return DispatchOutcome(ALREADY, message, status=target, order=order, **where)
        packed = {*self._settings.packed_statuses.values(), self._settings.completion_status}
        if current not in packed:
            return DispatchOutcome(
                REFUSED,
                _(
                    "Shipment {shipment_id} of order {order_id} is {status}, not "
                    "packed ({statuses}); nothing sent"
                ).format(
                    shipment_id=shipment.shipment_id,
                    order_id=order.id,
                    status=current or "-",
                    statuses=", ".join(sorted(packed)),
                ),
                status=target,
                **where,
            )
        await self._db(dispatches.begin, self._store, sscc, order.id, shipment.shipment_id, target)
        patch = UpdateStatusPatch(
            status=target,
            shipment_info=UpdateShipmentInfo(shipment_id=shipment.shipment_id),
            user_id=user_id,
        )
        return await self._send(sscc, order, shipment, patch)

    async def _send(
        self, sscc: str, order: OmniumOrder, shipment: Shipment, patch: UpdateStatusPatch
    ) -> DispatchOutcome:
        where = dict(
            sscc=sscc, order_id=order.id, shipment_id=shipment.shipment_id, status=patch.status
        )
        last_error = ""
        for attempt in range(1, MAX_TRIES + 1):
            try:
                result = await self._client.update_status(order.id, patch)
            except (OmniumUnavailable, ServerError, InvalidResponse) as err:
                last_error = str(err)
                if err.outcome_unknown or isinstance(err, ServerError | InvalidResponse):
                    landed = await self._landed(order.id, shipment.shipment_id, patch.status)
                    if landed is not None:
                        return await self._finish(sscc, shipment, patch, None, landed, where)
                await self._sleep(self._policy.backoff(attempt, self._rng))
                continue
            except (OrderLocked, RateLimited) as err:
                last_error = str(err)
                wait = getattr(err, "retry_after", None)
                await self._sleep(
                    wait if wait is not None else self._policy.backoff(attempt, self._rng)
                )
                continue
            except OmniumError as err:
                message = _("Omnium refused to move shipment {shipment_id}: {error}").format(
                    shipment_id=shipment.shipment_id, error=err
                )
                await self._db(dispatches.end, self._store, sscc, dispatches.FAILED, message)
                return DispatchOutcome(FAILED, message, **where)
            return await self._finish(sscc, shipment, patch, result, result.order, where)
        return DispatchOutcome(
            UNSURE,
            _(
                "Package {sscc}: no answer from Omnium ({error}); scan it again to retry "
                "(it is checked first, nothing is sent twice)"
            ).format(sscc=sscc, error=last_error),
            **where,
        )

    async def _landed(self, order_id: str, shipment_id: str, status: str) -> OmniumOrder | None:
        """After a lost answer: wait for it to settle, re-read; the order if it got there."""
        if self._policy.settle_delay > 0:
            await self._sleep(self._policy.settle_delay)
        try:
            order = await self._client.get_order(order_id)
        except OmniumError:
            return None
        shipment = order.shipment(shipment_id)
        if shipment is not None and _status_of(order, shipment) == status:
            return order
        return None

    async def _finish(
        self,
        sscc: str,
        shipment: Shipment,
        patch: UpdateStatusPatch,
        result: WorkflowExecutionResult | None,
        order: OmniumOrder | None,
        where: dict[str, str],
    ) -> DispatchOutcome:
        order_id = where["order_id"]
        store = self._store

        def record() -> None:
            store.results.record(
                "dispatch",
                order_id,
                shipment_id=shipment.shipment_id,
                user_id=patch.user_id,
                result=result,
                reconciled=result is None,
            )

        await self._db(record)
        said = dict(shipment_id=shipment.shipment_id, order_id=order_id, status=patch.status)
        if result is not None and result.is_aborted:
            step = result.failing_step
            why = f"{step.action_type}: {step.error_reason}" if step else _("see the steps")
            message = _(
                "Shipment {shipment_id} of order {order_id} → {status}, but the workflow "
                "aborted ({why}); a supervisor case"
            ).format(why=why, **said)
            await self._db(dispatches.end, store, sscc, dispatches.DONE, message)
            return DispatchOutcome(ABORTED, message, result=result, order=order, **where)
        message = (
            _("Shipment {shipment_id} of order {order_id} → {status}").format(**said)
            if result is not None
            else _(
                "Shipment {shipment_id} of order {order_id} → {status} "
                "(confirmed by re-reading the order)"
            ).format(**said)
        )
        await self._db(dispatches.end, store, sscc, dispatches.DONE, message)
        return DispatchOutcome(SENT, message, result=result, order=order, **where)
