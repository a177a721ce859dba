"""Failure injection: decide whether a step must fail on purpose, and with which reason.

Three sources, checked in this order: an order tag `fail:<StepName>` (case-insensitive), then
the config's `[[failures]]` rules by SKU, by warehouse, or with a probability that is
deterministic for a given seed, order, shipment, step and status.

A tag `fail-once:<StepName>` fails the step only while the order has no errors entry from that
injected failure yet, so a supervisor's re-run succeeds (no hidden state: the order says it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from packstation.omnium.models import OmniumOrder, Shipment
from packstation.sandbox.workflow_config import FailureRule, WorkflowConfig

TAG_PREFIX = "fail:"
ONCE_TAG_PREFIX = "fail-once:"

DEFAULT_REASONS: dict[str, str] = {
    "CapturePayments": "Capture declined by payment provider: insufficient authorised amount",
    "Notification": "Notification not sent: mail gateway answered 503 Service Unavailable",
    "ReduceInventory": "Inventory service rejected the reduction: stock record is locked",
    "PrintShippingLabel": "Booking rejected by carrier: service temporarily unavailable (HTTP 503)",
    "CompleteShipment": "Carrier did not accept the shipment as complete: EDI gateway timed out",
    "ValidateTrackingNumber": "Tracking number rejected by carrier: unknown consignment",
    "ExportOrder": "Order export failed: ERP endpoint answered 502 Bad Gateway",
    "AnalyticsIndexing": "Analytics indexing failed: search index unavailable",
    "UpdateShipmentStatus": "Shipment status could not be updated: shipment is locked",
    "SplitShipmentCost": "Shipping cost could not be split: no shipping cost line on the order",
    "SetReadyForPickupDate": "Ready-for-pickup date could not be set: order is read-only",
    "SetShipmentOrOrderReadyForPickup": "Store rejected the pickup: pickup location closed",
    "SetCompletedDate": "Completed date could not be set: order is read-only",
}
"""Realistic reasons used when a tag or rule gives none."""


def tagged_failures(order: OmniumOrder, prefix: str = TAG_PREFIX) -> set[str]:
    """Step names (case-folded) the order's `<prefix><StepName>` tags ask to fail."""
    return {
        tag[len(prefix) :].strip().casefold()
        for tag in order.tags
        if tag.casefold().startswith(prefix)
    }


def roll(seed: int, order_id: str, shipment_id: str, step: str, status: str) -> float:
    """A number in [0, 1) that depends only on its arguments (stable across runs)."""
    digest = hashlib.sha256(f"{seed}|{order_id}|{shipment_id}|{step}|{status}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _rule_matches(
    rule: FailureRule,
    config: WorkflowConfig,
    order: OmniumOrder,
    shipments: Sequence[Shipment],
    status: str,
) -> bool:
    if rule.status is not None and rule.status != status:
        return False
    if rule.sku is not None:
        return any(
            line.code == rule.sku and line.quantity > line.canceled_quantity
            for shipment in shipments
            for line in shipment.line_items
        )
    if rule.warehouse is not None:
        return any(shipment.warehouse_code == rule.warehouse for shipment in shipments)
    if rule.probability is not None:
        target = ",".join(s.shipment_id for s in shipments) or "-"
        return roll(config.seed, order.id, target, rule.step, status) < rule.probability
    return False


def injected_failure(
    step: str,
    order: OmniumOrder,
    shipments: Sequence[Shipment],
    status: str,
    config: WorkflowConfig,
) -> str | None:
    """The reason `step` must fail for this run, or None when it should run normally."""
    tag_reason = DEFAULT_REASONS.get(step, f"{step} failed (injected by order tag)")
    if step.casefold() in tagged_failures(order):
        return tag_reason
    if step.casefold() in tagged_failures(order, ONCE_TAG_PREFIX) and not any(
        error.key == step and error.message == tag_reason for error in order.errors
    ):
        return tag_reason
    for rule in config.failures:
        if rule.step == step and _rule_matches(rule, config, order, shipments, status):
            if rule.reason:
                return rule.reason
            if rule.sku is not None:
                return f"{DEFAULT_REASONS.get(step, step + ' failed')} (SKU {rule.sku})"
            if rule.warehouse is not None:
                return f"{DEFAULT_REASONS.get(step, step + ' failed')} (warehouse {rule.warehouse})"
            return DEFAULT_REASONS.get(step, f"{step} failed")
    return None
