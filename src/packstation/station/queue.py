"""The station's queue: the orders waiting to be packed at its warehouse.

Omnium's order search has no warehouse filter, so the queue asks for the statuses (and
optionally stores) that mean "waiting" in the tenant's flows, pages through every result
(0-based pages of at most 100, under Omnium's 10,000-hit search window) and keeps the orders
with an open shipment sent from this warehouse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from packstation.omnium.models import OmniumOrder
from packstation.omnium.search import MAX_TAKE, OrderSearchRequest, OrderSearchResult
from packstation.packing.errors import OrderNotPackable
from packstation.packing.target import choose_shipment, packable

SEARCH_WINDOW = 10_000
"""Omnium answers page × take only below this (beyond it wants its Scroll endpoint)."""

QUEUE_SORT = "CreatedAscending"
"""Oldest first: the order waiting longest is packed first."""


class SearchClient(Protocol):
    """What the queue needs of `OmniumClient`."""

    async def search_orders(self, request: OrderSearchRequest) -> OrderSearchResult:
        """`POST /api/Orders/Search`."""
        ...


@dataclass(frozen=True)
class QueueEntry:
    """An order waiting here, with what its open shipment holds."""

    order: OmniumOrder
    shipment_id: str
    lines: int
    units: Decimal


@dataclass(frozen=True)
class Queue:
    """The waiting orders, oldest first, and how much of the search was read."""

    entries: list[QueueEntry]
    searched: int
    """Orders the search returned (all of this warehouse's and other warehouses')."""
    truncated: bool
    """True when the search had more hits than Omnium lets one search page through."""


def queue_request(statuses: Sequence[str], stores: Sequence[str], page: int) -> OrderSearchRequest:
    """The search for one page of the queue (only fields of Omnium's search request)."""
    return OrderSearchRequest(
        selected_statuses=list(statuses) or None,
        selected_stores=list(stores) or None,
        sort_order=QUEUE_SORT,
        take=MAX_TAKE,
        page=page,
    )


def queue_entry(order: OmniumOrder, warehouse: str) -> QueueEntry | None:
    """The entry for `order` if it has an open shipment at `warehouse`, else None."""
    if not order.id:
        return None
    try:
        shipment = choose_shipment(order, warehouse)
    except OrderNotPackable:
        return None
    units = sum((packable(line) for line in shipment.line_items), Decimal(0))
    return QueueEntry(order, shipment.shipment_id, len(shipment.line_items), units)


async def read_queue(
    client: SearchClient,
    warehouse: str,
    *,
    statuses: Sequence[str],
    stores: Sequence[str] = (),
) -> Queue:
    """Every order waiting at `warehouse`, read page by page from Omnium's search."""
    entries: list[QueueEntry] = []
    seen: set[str] = set()
    searched = 0
    page = 0
    while True:
        found = await client.search_orders(queue_request(statuses, stores, page))
        searched += len(found.result)
        for order in found.result:
            entry = queue_entry(order, warehouse)
            # An order can move between pages while they are read: list it once.
            if entry is not None and order.id not in seen:
                seen.add(order.id)
                entries.append(entry)
        page += 1
        if len(found.result) < MAX_TAKE or page * MAX_TAKE >= found.total_hits:
            return Queue(entries, searched, truncated=False)
        if (page + 1) * MAX_TAKE > SEARCH_WINDOW:
            return Queue(entries, searched, truncated=True)
