"""The payment steps: CapturePayments and SplitShipmentCost."""

from __future__ import annotations

from decimal import Decimal

from packstation.omnium.models import Payment, Shipment
from packstation.sandbox.step_context import (
    StepContext,
    StepOutcome,
    delivered_value,
    money,
    nok,
    same_text,
)

# --- CapturePayments ------------------------------------------------------------------------


def capture_payment(ctx: StepContext) -> StepOutcome:
    """Capture each target shipment's delivered value plus its shipping against authorisations."""
    form = ctx.order.order_form
    processed = [p for p in form.payments if same_text(p.status, "Processed")]
    authorisations = [p for p in processed if same_text(p.transaction_type, "Authorization")]
    captures = [p for p in processed if same_text(p.transaction_type, "Capture")]
    due: list[tuple[Shipment, Decimal]] = []
    for shipment in ctx.shipments:
        goods = delivered_value(shipment)
        if goods <= 0:
            continue  # nothing delivered: nothing to charge, not even shipping
        value = money(goods + (shipment.shipping_total or Decimal(0)))
        already = sum(
            (p.amount for p in captures if p.shipment_id == shipment.shipment_id), Decimal(0)
        )
        if value > already:
            due.append((shipment, money(value - already)))
    needed = sum((amount for _, amount in due), Decimal(0))
    if needed == 0:
        return StepOutcome.ok()
    if not authorisations:
        return StepOutcome.error(
            "Capture declined by payment provider: no authorised payment on the order"
        )
    available = sum((p.amount for p in authorisations), Decimal(0)) - sum(
        (p.amount for p in captures), Decimal(0)
    )
    if needed > available:
        return StepOutcome.error(
            "Capture declined by payment provider: insufficient authorised amount "
            f"(needed {nok(needed)}, available {nok(max(available, Decimal(0)))})"
        )
    method = authorisations[0].payment_method_name
    new_payments = []
    for shipment, amount in due:
        count = sum(
            1
            for p in form.payments
            if same_text(p.transaction_type, "Capture") and p.shipment_id == shipment.shipment_id
        )
        new_payments.append(
            Payment(
                id=f"{ctx.order.id}-CAP-{shipment.shipment_id}-{count + 1}",
                payment_method_name=method,
                amount=amount,
                transaction_type="Capture",
                status="Processed",
                shipment_id=shipment.shipment_id,
            )
        )
    form.payments = [*form.payments, *new_payments]
    return StepOutcome.ok()


# --- SplitShipmentCost ----------------------------------------------------------------------


def split_shipment_cost(ctx: StepContext) -> StepOutcome:
    """Give a target shipment without a shipping cost the part of the order's not yet allocated.

    Omnium's shipping totals are never null: 0 on the order means it states none, 0 on a
    shipment that nothing was allocated to it yet."""
    form = ctx.order.order_form
    if not form.shipping_total:
        return StepOutcome.ok()
    for shipment in ctx.shipments:
        if shipment.shipping_total:
            continue
        others = sum(
            (s.shipping_total or Decimal(0) for s in form.shipments if s is not shipment),
            Decimal(0),
        )
        rest = max(money(form.shipping_total - others), Decimal(0))
        shipment.shipping_total = rest
        if not shipment.shipping_sub_total:
            shipment.shipping_sub_total = rest
    allocated = sum((s.shipping_total or Decimal(0) for s in form.shipments), Decimal(0))
    if allocated > form.shipping_total:
        return StepOutcome.warning(
            f"Shipping cost allocated to shipments ({nok(allocated)}) exceeds the order's "
            f"shipping total ({nok(form.shipping_total)})"
        )
    return StepOutcome.ok()
