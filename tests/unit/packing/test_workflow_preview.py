"""Which steps a status runs for a shipment: active, enabled/disabled lists, disabled workflow."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from packing_factories import L, make_order

from packstation.omnium.order_types import OrderStatusSetting, OrderType, WorkflowStep
from packstation.packing.workflow_preview import StepScope, preview_steps, scope_of, step_runs

OSLO = StepScope(warehouse="WH-OSLO", store="store-1", market="NOR", shipment_option="Bring")


def online(*steps: WorkflowStep, disable_workflow: bool = False) -> list[OrderType]:
    return [
        OrderType(
            name="Online",
            disable_workflow=disable_workflow,
            order_statuses=[
                OrderStatusSetting(name="InProgress"),
                OrderStatusSetting(name="PackedAndReady", workflow_steps=list(steps)),
            ],
        )
    ]


def test_active_steps_run_top_to_bottom_and_inactive_ones_not() -> None:
    types = online(
        WorkflowStep(name="PrintShippingLabel"),
        WorkflowStep(name="ExportOrder", active=False),
        WorkflowStep(name="CompleteShipment"),
        WorkflowStep(name="ValidateTrackingNumber"),
    )
    preview = preview_steps(types, "Online", "PackedAndReady", OSLO)
    assert preview.steps == ("PrintShippingLabel", "CompleteShipment", "ValidateTrackingNumber")
    assert preview.text == (
        "PackedAndReady will run: PrintShippingLabel, CompleteShipment, ValidateTrackingNumber"
    )


def test_enabled_lists_limit_where_a_step_runs_and_empty_means_everywhere() -> None:
    assert step_runs(WorkflowStep(name="A", enabled_for_warehouses=[]), OSLO)
    assert step_runs(WorkflowStep(name="A", enabled_for_warehouses=["wh-oslo"]), OSLO)
    assert not step_runs(WorkflowStep(name="A", enabled_for_warehouses=["WH-BERGEN"]), OSLO)
    assert not step_runs(WorkflowStep(name="A", enabled_for_stores=["store-2"]), OSLO)
    assert not step_runs(WorkflowStep(name="A", enabled_for_markets=["SWE"]), OSLO)
    assert not step_runs(WorkflowStep(name="A", enabled_for_shipment_options=["Posten"]), OSLO)
    assert step_runs(WorkflowStep(name="A", enabled_for_shipment_options=["Posten", "Bring"]), OSLO)


def test_a_disabled_list_overrides_the_enabled_one() -> None:
    step = WorkflowStep(
        name="A", enabled_for_warehouses=["WH-OSLO"], disabled_for_warehouses=["WH-OSLO"]
    )
    assert not step_runs(step, OSLO)
    assert not step_runs(WorkflowStep(name="A", disabled_for_stores=["store-1"]), OSLO)
    assert not step_runs(WorkflowStep(name="A", disabled_for_markets=["NOR"]), OSLO)
    assert not step_runs(WorkflowStep(name="A", disabled_for_shipment_options=["Bring"]), OSLO)
    assert step_runs(WorkflowStep(name="A", disabled_for_shipment_options=["Posten"]), OSLO)


def test_an_enabled_list_excludes_a_shipment_that_does_not_say_where_it_is() -> None:
    nowhere = StepScope()
    assert not step_runs(WorkflowStep(name="A", enabled_for_stores=["store-1"]), nowhere)
    assert step_runs(WorkflowStep(name="A", disabled_for_stores=["store-1"]), nowhere)


@given(
    here=st.sampled_from(["WH-OSLO", "WH-BERGEN", "WH-TRONDHEIM"]),
    enabled=st.lists(st.sampled_from(["WH-OSLO", "WH-BERGEN"]), max_size=2),
    disabled=st.lists(st.sampled_from(["WH-OSLO", "WH-BERGEN"]), max_size=2),
    active=st.booleans(),
)
def test_the_rule_for_any_lists(
    here: str, enabled: list[str], disabled: list[str], active: bool
) -> None:
    step = WorkflowStep(
        name="A", active=active, enabled_for_warehouses=enabled, disabled_for_warehouses=disabled
    )
    expected = active and here not in disabled and (not enabled or here in enabled)
    assert step_runs(step, StepScope(warehouse=here)) is expected


def test_a_disabled_workflow_runs_nothing_and_unknown_types_or_statuses_say_so() -> None:
    steps = online(WorkflowStep(name="PrintShippingLabel"), disable_workflow=True)
    assert preview_steps(steps, "Online", "PackedAndReady", OSLO).text == (
        "PackedAndReady: runs no workflow steps"
    )
    types = online(WorkflowStep(name="PrintShippingLabel"))
    assert preview_steps(types, None, "PackedAndReady", OSLO).steps == ("PrintShippingLabel",)
    assert preview_steps(types, "Pos", "PackedAndReady", OSLO).problem == (
        "Omnium has no order type 'Pos'"
    )
    assert preview_steps(types, "Online", "Picked", OSLO).problem == (
        "order type Online has no status 'Picked' (its statuses: InProgress, PackedAndReady)"
    )


def test_the_scope_of_a_shipment() -> None:
    order = make_order(L("SKU-1", quantity=2)).model_copy(
        update={"store_id": "store-9", "market_id": "NOR"}
    )
    shipment = order.order_form.shipments[0]
    assert scope_of(order, shipment) == StepScope("WH-OSLO", "store-9", "NOR", "Bring")
