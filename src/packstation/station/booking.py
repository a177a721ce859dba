"""After a submit: follow the order while Omnium finishes the steps it runs after its answer.

Steps marked `runAfterOrderIsSaved` (in Omnium's order type settings) complete after the HTTP
answer: typically the carrier's booking, which puts the tracking number and the label link on
the shipment. The station re-reads the order, bounded in time, until every shipment it sent
has both (per package where the carrier books packages), or an error a background step
records on the order (`order.errors`) says it never will.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from packstation.i18n import _
from packstation.omnium.errors import OmniumError
from packstation.omnium.models import EntityError, OmniumOrder, Shipment
from packstation.omnium.order_types import OrderType
from packstation.packing.workflow_preview import find_order_type, scope_of, step_runs

WAITING_TEXT = "waiting for the carrier's tracking number…"


class OrderReader(Protocol):
    """What following needs of the Omnium client."""

    async def get_order(self, order_id: str) -> OmniumOrder:
        """Read an order."""
        ...


def is_booked(shipment: Shipment) -> bool:
    """True when the shipment has its tracking number and a label link (per package when its
    packages are booked one by one)."""
    if not shipment.shipment_tracking_number:
        return False
    package_links = [
        p.shipment_tracking.shipment_label_link
        for p in shipment.packages
        if p.shipment_tracking is not None and p.shipment_tracking.shipment_tracking_number
    ]
    if package_links:
        return all(package_links) and len(package_links) == len(shipment.packages)
    return bool(shipment.shipment_label_link)


def unbooked(order: OmniumOrder, shipment_ids: Iterable[str]) -> list[str]:
    """The carrier shipments among `shipment_ids` that still lack their booking."""
    found = []
    for shipment_id in shipment_ids:
        shipment = order.shipment(shipment_id)
        if shipment is None or shipment.pick_up_warehouse_code:
            continue  # gone, or collected in a store: no carrier books it
        if not is_booked(shipment):
            found.append(shipment_id)
    return found


def background_steps(
    order_types: Sequence[OrderType], order: OmniumOrder, shipment: Shipment
) -> list[str]:
    """The steps Omnium runs after its answer for the shipment's status, per its settings."""
    order_type = find_order_type(order_types, order.order_type)
    if order_type is None or order_type.disable_workflow:
        return []
    status = shipment.order_status or order.status
    setting = next((s for s in order_type.order_statuses if s.name == status), None)
    if setting is None:
        return []
    return [
        step.name
        for step in setting.workflow_steps
        if step.run_after_order_is_saved and step_runs(step, scope_of(order, shipment))
    ]


def needs_following(
    order: OmniumOrder, shipment_ids: Sequence[str], order_types: Sequence[OrderType] | None
) -> bool:
    """True when a shipment sent is not booked yet and Omnium still runs steps for it after
    the answer (without the settings: whenever one is not booked)."""
    waiting = unbooked(order, shipment_ids)
    if not waiting:
        return False
    if order_types is None:
        return True
    return any(
        background_steps(order_types, order, shipment)
        for shipment in (order.shipment(i) for i in waiting)
        if shipment is not None
    )


def _error_key(error: EntityError) -> tuple[object, ...]:
    return (error.key, error.message, error.details, error.occurred)


def new_errors(order: OmniumOrder, before: Sequence[EntityError]) -> list[EntityError]:
    """Errors (severity Error) on the order that were not there before."""
    seen = {_error_key(e) for e in before}
    return [
        e
        for e in order.errors
        if _error_key(e) not in seen and (e.severity or "Error").casefold() == "error"
    ]


@dataclass
class BookingWait:
    """How following an order ended."""

    order: OmniumOrder | None = None
    """The order as last read (None when no read succeeded)."""
    booked: bool = False
    errors: list[EntityError] = field(default_factory=list)
    """Errors the background steps recorded on the order meanwhile."""
    timed_out: bool = False
    read_error: str | None = None
    """Why the last read failed, if it did."""

    @property
    def summary(self) -> str:
        """One line for the packer."""
        if self.errors:
            first = self.errors[0]
            return _("{step} failed after the answer: {reason}").format(
                step=first.key or _("a step"), reason=first.message or "-"
            )
        if self.booked:
            return _("the carrier's tracking number arrived")
        if self.read_error:
            return _("no tracking number yet; the order could not be read ({reason})").format(
                reason=self.read_error
            )
        return _("no tracking number yet: Omnium's booking has not finished; see the desk")


async def follow_booking(
    client: OrderReader,
    order_id: str,
    shipment_ids: Sequence[str],
    before: Sequence[EntityError],
    *,
    wait_seconds: float,
    poll_seconds: float,
    sleep: Callable[[float], Awaitable[None]],
    clock: Callable[[], float] = time.monotonic,
    on_poll: Callable[[float], None] | None = None,
) -> BookingWait:
    """Re-read the order every `poll_seconds` until booked, an error appears, or the wait
    ends (`on_poll` gets the seconds waited so far)."""
    outcome = BookingWait()
    started = clock()
    while True:
        waited = clock() - started
        if waited >= wait_seconds:
            outcome.timed_out = True
            return outcome
        if on_poll is not None:
            on_poll(waited)
        await sleep(min(poll_seconds, max(0.0, wait_seconds - waited)))
        try:
            order = await client.get_order(order_id)
        except OmniumError as err:
            outcome.read_error = str(err)
            continue
        outcome.order, outcome.read_error = order, None
        outcome.errors = new_errors(order, before)
        if outcome.errors:
            return outcome
        if not unbooked(order, shipment_ids):
            outcome.booked = True
            return outcome
