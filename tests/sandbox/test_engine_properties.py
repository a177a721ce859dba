"""Invariants of the workflow engine over random sequences of deliveries (hypothesis, bounded)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from one_step_config import all_in_one_config

from packstation.omnium.models import OmniumOrder, OrderForm, OrderLine, Payment, Shipment
from packstation.sandbox.engine import run_workflow
from packstation.sandbox.memory_state import MemoryState

CONFIG = all_in_one_config().without_latency()
QUANTITIES = (3, 2)
PRICES = (Decimal("149.50"), Decimal(80))
STOP_STEPS = {"CapturePayments", "ReduceInventory", "PrintShippingLabel"}


def order_with(authorised: int) -> OmniumOrder:
    def lines() -> list[OrderLine]:
        return [
            OrderLine(line_item_id=str(i), code=f"SKU-{i}", quantity=Decimal(q), placed_price=p)
            for i, (q, p) in enumerate(zip(QUANTITIES, PRICES, strict=True), start=1)
        ]

    return OmniumOrder(
        id="P-1",
        order_type="Online",
        customer_email="p@example.com",
        order_form=OrderForm(
            line_items=lines(),
            shipments=[
                Shipment(
                    shipment_id="1",
                    line_items=lines(),
                    warehouse_code="WH-P",
                    shipping_method_name="Helthjem",
                    shipping_total=Decimal(69),
                )
            ],
            payments=[
                Payment(
                    amount=Decimal(authorised), transaction_type="Authorization", status="Processed"
                )
            ],
            shipping_total=Decimal(69),
        ),
    )


def deliver(order: OmniumOrder, delivered: tuple[int, ...]) -> OmniumOrder:
    order = order.model_copy(deep=True)
    for copies in (order.order_form.line_items, order.order_form.shipments[0].line_items):
        for line, units in zip(copies, delivered, strict=True):
            line.delivered_quantity = Decimal(units)
    return order


def snapshot(state: MemoryState) -> tuple[object, ...]:
    return (dict(state.stock), dict(state.reductions), list(state.notifications))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    authorised=st.integers(min_value=0, max_value=800),
    stock=st.tuples(st.integers(0, 4), st.integers(0, 3)),
    deliveries=st.lists(
        st.tuples(st.integers(0, QUANTITIES[0]), st.integers(0, QUANTITIES[1])),
        min_size=1,
        max_size=5,
    ),
)
async def test_repeated_completions_never_overdraw_money_or_stock(
    authorised: int, stock: tuple[int, int], deliveries: list[tuple[int, int]]
) -> None:
    initial = {("WH-P", f"SKU-{i}"): Decimal(units) for i, units in enumerate(stock, start=1)}
    state = MemoryState(initial)
    order = order_with(authorised)
    tracking: str | None = None
    most_delivered = [0, 0]
    for delivered in deliveries:
        most_delivered = [max(a, b) for a, b in zip(most_delivered, delivered, strict=True)]
        request = deliver(order, delivered)

        before = snapshot(state)
        preview = await run_workflow(
            request, "Completed", shipment_id="1", state=state, config=CONFIG, dry_run=True
        )
        assert snapshot(state) == before  # the dry run changed nothing

        result = await run_workflow(
            request, "Completed", shipment_id="1", state=state, config=CONFIG
        )
        assert [
            (r.action_type, r.action_status) for r in preview.order_action_execution_results
        ] == [(r.action_type, r.action_status) for r in result.order_action_execution_results]
        assert result.order is not None
        order = result.order

        # aborts: only a stop-on-error step aborts, and it is the last result
        if result.is_aborted:
            last = result.order_action_execution_results[-1]
            assert last.cancel_workflow and last.action_type in STOP_STEPS
            assert order.errors[-1].key == last.action_type
        assert sum(r.cancel_workflow for r in result.order_action_execution_results) == int(
            result.is_aborted
        )

        # money: captures never exceed the authorisation
        captured = sum(
            (p.amount for p in order.order_form.payments if p.transaction_type == "Capture"),
            Decimal(0),
        )
        assert captured <= authorised
        best_value = sum(
            (Decimal(n) * p for n, p in zip(most_delivered, PRICES, strict=True)), Decimal(0)
        )
        assert captured <= best_value + 69

        # stock: never negative, and every unit out of stock is booked against a line
        for i, key in enumerate(initial, start=1):
            assert state.stock[key] >= 0
            reduced = state.reduced_quantity("P-1", "1", str(i))
            assert initial[key] - state.stock[key] == reduced
            assert reduced <= most_delivered[i - 1]

        # booking happens once
        number = order.order_form.shipments[0].shipment_tracking_number
        if tracking is not None:
            assert number == tracking
        tracking = number
