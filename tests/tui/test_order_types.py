"""Omnium's order types at the station: the start-up check and the desk's statuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import MappingProxyType

from fastapi import FastAPI
from test_supervisor_desk import WEIGHT, open_desk, pack_and_send
from textual.widgets import Input, Select
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, started, wait_for

from packstation.sandbox.runtime import SandboxRuntime
from packstation.tui.app import StationApp
from packstation.tui.screens.note import NoteScreen
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.settings_refused import SettingsRefusedScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen


async def test_a_status_the_order_type_lacks_stops_the_station_with_exit_status_2(
    station: Callable[..., StationApp],
) -> None:
    app = station(packed_statuses={"Online": "PackedAndReady", "ClickAndCollect": "Packed"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsRefusedScreen))
        refused = app.screen
        assert isinstance(refused, SettingsRefusedScreen)
        assert refused.problems == (
            "packed_statuses: order type ClickAndCollect has no status 'Packed' (its statuses: "
            "New, InProgress, ReadyForPickup, PickedUp, Completed, NotCollected, "
            "PartiallyShipped, OrderCanceled)",
        )
        assert "order type ClickAndCollect has no status 'Packed'" in screen_text(app)
        assert not app.started.is_set()
        await pilot.press("ctrl+q")
        await settle(pilot, app)
    assert app.return_code == 2


async def test_the_desk_offers_the_statuses_of_the_orders_type_and_sets_the_chosen_one(
    station: Callable[..., StationApp], sandbox_app: FastAPI
) -> None:
    app = station(supervisors=["boss"])
    async with app.run_test(size=SIZE) as pilot:
        await pack_and_send(app, pilot, "ORD-1017", "anna")  # booking fails: a case
        desk = await open_desk(app, pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteScreen))
        note = app.screen
        assert isinstance(note, NoteScreen)
        runtime: SandboxRuntime = sandbox_app.state.sandbox
        online = runtime.workflow_config.status_names("Online")
        assert note.statuses == tuple(online)
        before = runtime.store.get_order("ORD-1017")
        assert before is not None
        now = before.order_form.shipments[0].order_status
        assert now == "PackedAndReady"
        select = note.query_one("#note-status", Select)
        assert select.value == now  # offered first: where the shipment is now
        # Pick InProgress (back to packing) from the list with the keys, as a supervisor does.
        select.focus()
        await pilot.press("enter")
        for _ in range(online.index(now) - online.index("InProgress")):
            await pilot.press("up")
        await pilot.press("enter")
        await settle(pilot, app)
        assert select.value == "InProgress"
        note.query_one("#note-text", Input).value = "carrier booked by phone"
        await pilot.press("f6")
        await wait_for(pilot, lambda: "Status set to InProgress" in screen_text(app))
        assert app.screen is desk and isinstance(desk, SupervisorScreen)
    order = runtime.store.get_order("ORD-1017")
    assert order is not None
    assert order.order_form.shipments[0].order_status == "InProgress"


BORDERS = str.maketrans("", "", "▎▊▔▁▌▐")
"""Border characters the banner and the toasts draw at the ends of wrapped lines."""


def scoped(runtime: SandboxRuntime, status: str, step: str, **scope: tuple[str, ...]) -> None:
    """Give one step of the sandbox's Online `status` enabled/disabled lists."""
    config = runtime.workflow_config
    online = dict(config.order_types["Online"])
    online[status] = tuple(
        replace(s, scope=MappingProxyType(scope)) if s.name == step else s for s in online[status]
    )
    types = MappingProxyType({**config.order_types, "Online": MappingProxyType(online)})
    runtime.workflow_config = replace(config, order_types=types)


async def test_the_review_lists_the_steps_the_packed_status_runs_for_this_shipment(
    station: Callable[..., StationApp], sandbox_app: FastAPI
) -> None:
    runtime: SandboxRuntime = sandbox_app.state.sandbox
    # This warehouse does not validate tracking numbers (Omnium's disabledForWarehouses).
    scoped(
        runtime, "PackedAndReady", "ValidateTrackingNumber", disabled_for_warehouses=("WH-OSLO",)
    )
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        codes = [
            line.ean or line.code or ""
            for line in pack.session.lines()
            for _ in range(int(line.remaining))
        ]
        burst(app, scans(*codes, WEIGHT, "CMD-REVIEW"))
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        expected = "PrintShippingLabel, CompleteShipment, UpdateShipmentStatus"
        assert f"In Omnium: PackedAndReady will run: {expected}" in screen_text(app)
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await wait_for(pilot, lambda: flow.tracker.finished)
    # What the sandbox ran is what the review said.
    [result] = [r for r in flow.tracker.results if r is not None]
    assert ", ".join(r.action_type or "" for r in result.order_action_execution_results) == (
        expected
    )


async def test_the_review_of_a_click_and_collect_order_lists_its_pickup_steps(
    station: Callable[..., StationApp], sandbox_app: FastAPI
) -> None:
    runtime: SandboxRuntime = sandbox_app.state.sandbox
    steps = [s.name for s in runtime.workflow_config.steps_for("ClickAndCollect", "ReadyForPickup")]
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1012", packer="anna")
        codes = [
            line.ean or line.code or ""
            for line in pack.session.lines()
            for _ in range(int(line.remaining))
        ]
        burst(app, scans(*codes, "CMD-REVIEW"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)
        assert f"In Omnium: ReadyForPickup will run: {', '.join(steps)}" in screen_text(app)


async def test_an_order_of_a_type_the_settings_do_not_map_is_refused_when_opened(
    station: Callable[..., StationApp],
) -> None:
    # ClickAndCollect left out of packed_statuses: the start checks only the types mapped
    # (and Omnium's default), so the station starts; the fallback completion_status
    # PackedAndReady is no status of ClickAndCollect.
    app = station(packed_statuses={"Online": "PackedAndReady"})
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-1012"))
        await settle(pilot, app)
        await wait_for(pilot, lambda: "ORD-1012 not opened" in screen_text(app))
        text = " ".join(screen_text(app).translate(BORDERS).split())
        assert isinstance(app.screen, OrderScreen)  # nothing opened: no item scan can land
        assert (
            "Order ORD-1012 not opened: order type ClickAndCollect is not in the station's "
            "packed_statuses, and the fallback completion_status 'PackedAndReady' is not one of "
            "its statuses. Nothing was sent. Set the order aside and call a supervisor"
        ) in text
        # The supervisor's part: the statuses the type has and the setting to change.
        [note] = [n.message for n in app._notifications if n.title == "Order type not set up"]
        assert "Its statuses: New, InProgress, ReadyForPickup, PickedUp" in note
        assert 'packed_statuses.ClickAndCollect = "<one of its statuses>"' in note
        unfinished = app.store.journal.unfinished_session()
        assert unfinished is None
        # An Online order (mapped) still opens.
        pack = await open_order(app, pilot, "ORD-1001")
        assert pack.session.order.id == "ORD-1001"


async def test_a_one_scan_submit_shows_the_steps_that_will_run_while_it_sends(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    # Held in the outbox: what the workflow screen shows before any answer is in.
    app.send_submit = lambda tracker: None  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        codes = [
            line.ean or line.code or ""
            for line in pack.session.lines()
            for _ in range(int(line.remaining))
        ]
        burst(app, scans(*codes, WEIGHT, "CMD-SUBMIT"))  # nothing to decide: one scan sends
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        assert not flow.tracker.finished
        steps = "PrintShippingLabel, CompleteShipment, ValidateTrackingNumber"
        assert f"In Omnium: PackedAndReady will run: {steps}" in screen_text(app)
