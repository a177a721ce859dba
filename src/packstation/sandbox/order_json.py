"""How the sandbox writes orders and dates: Omnium's camelCase JSON and ISO-8601 UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from packstation.omnium.models import OmniumOrder


def utc_now_iso() -> str:
    """Now as Omnium writes dates (ISO-8601, UTC)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def order_to_json(order: OmniumOrder) -> str:
    """The stored (and answered) JSON of an order: camelCase, every field."""
    return order.model_dump_json(by_alias=True)
