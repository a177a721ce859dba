"""Omnium's order search: the request and its page of orders."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from packstation.omnium.models import OmniumOrder
from packstation.omnium.wire import (
    RequestModel,
    WireModel,
    null_as,
)

SORT_ORDERS = ("CreatedAscending", "CreatedDescending", "ModifiedAscending", "ModifiedDescending")
"""`sortOrder` values of Omnium's order search this station uses (documented; newest first is
Omnium's default)."""

MAX_TAKE = 100
"""Most orders one search page may hold."""


class OrderSearchRequest(RequestModel):
    """Body of `POST /api/Orders/Search` (`OmniumOrderSearchRequest`): fields of the contract
    only. There is no warehouse filter in Omnium's search."""

    selected_statuses: list[str] | None = None
    selected_stores: list[str] | None = None
    selected_markets: list[str] | None = None
    tags: list[str] | None = None
    shipping_method_names: list[str] | None = None
    order_type: str | None = None
    take: int = Field(default=20, ge=0, le=MAX_TAKE)
    page: int = Field(default=0, ge=0)
    sort_order: str | None = None
    has_errors: bool | None = None
    search_text: str | None = None


class OrderSearchResult(WireModel):
    """`{result: [OmniumOrder], totalHits}` from search and GetOrders."""

    result: Annotated[list[OmniumOrder], null_as([])] = Field(default_factory=list)
    total_hits: Annotated[int, null_as(0)] = 0
