"""Text from outside (scans, names, server messages) is shown as text, never as markup.

`[/]` typed on the order screen crashed the app, and one customer name with `[/]` crashed
every station that loaded the queue. Every field the station shows is tried with markup.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from textual.widgets import Input
from textual.widgets._toast import Toast
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, started, wait_for

from packstation.i18n import MAX_NUMBER_CHARS
from packstation.sandbox.demo_data import demo_orders
from packstation.tui.app import StationApp
from packstation.tui.screens.connection import ConnectionErrorScreen
from packstation.tui.screens.dispatch import DispatchScreen
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.package import PackageScreen
from packstation.tui.screens.resume import ResumeScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen

MARKUP = ["[/]", "[bold]", "[@click=app.quit]", "[link=https://x.io]x[/link]"]
ITEM = "7042113000037"  # ORD-1001's only line


def hostile_order(sandbox_app: FastAPI, n: int, markup: str) -> str:
    """A copy of ORD-1001 whose customer, product and shipping method names are markup."""
    source = next(o for o in demo_orders() if o.id == "ORD-1001")
    order = source.model_copy(deep=True, update={"id": f"MK-{n}", "customer_name": markup})
    for shipment in order.order_form.shipments:
        # An unknown shipping method: PrintShippingLabel fails, with the name in its reason.
        shipment.shipping_method_name = markup
        for line in shipment.line_items:
            line.display_name = f"{markup} lamp"
    for line in order.order_form.line_items:
        line.display_name = f"{markup} lamp"
    assert sandbox_app.state.sandbox.add_orders([order]) == []
    return order.id


@pytest.mark.parametrize("markup", MARKUP)
async def test_markup_is_shown_as_text_on_every_screen(
    station: Callable[..., StationApp], sandbox_app: FastAPI, markup: str
) -> None:
    order_id = hostile_order(sandbox_app, MARKUP.index(markup), markup)
    app = station(supervisors=["boss"])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await started(pilot, app)
        # The queue: the customer name as it is.
        await wait_for(pilot, lambda: markup in screen_text(app), 40)
        # Typed on the order screen: refused as an order id, shown as typed.
        burst(app, scans(markup))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert f"Order {markup}" in screen_text(app)
        burst(app, scans(f"USER-{markup}", order_id))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        text = screen_text(app)
        assert f"{markup} · shipment" in text  # customer and shipping method names
        assert f"{markup} lamp" in text  # the product name in the lines
        assert f"Packer: {markup}" in text
        # Scanned on the pack screen: refused, shown as scanned; then back on the order.
        burst(app, scans(markup))
        await settle(pilot, app)
        assert markup in pack.last_banner[0]
        assert markup in screen_text(app)
        burst(app, scans(order_id, ITEM))
        await settle(pilot, app)
        # Typed into the package dialog's weight field: refused at the field, as typed.
        await pilot.press("f3")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PackageScreen)
        dialog.query_one("#pkg-weight", Input).value = markup
        await pilot.press("f6")
        await settle(pilot, app)
        refusal = "too long" if len(markup) > MAX_NUMBER_CHARS else f"{markup!r} is not a"
        assert refusal in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        burst(app, scans("3103000500", "CMD-REVIEW"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        # Until the sender is done with it: F10 before it looked whether the abort shows
        # raised an alert, which USER-boss then acknowledged instead of opening the desk.
        await wait_for(pilot, lambda: flow.tracker.submit_id not in app.trackers)
        await settle(pilot, app)
        # PrintShippingLabel's reason names the shipping method.
        assert f"unknown shipping method '{markup}'" in screen_text(app)
        app.notify(f"toast {markup}")
        await settle(pilot, app)
        toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any(f"toast {markup}" in toast for toast in toasts)
        await pilot.press("f10")
        await settle(pilot, app)
        burst(app, scans("USER-boss"))
        # The desk reads its cases in a worker: wait for it (bounded) rather than a fixed settle.
        try:
            await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        except AssertionError as err:  # say what stood in the desk's way
            stack = [type(screen).__name__ for screen in app.screen_stack]
            raise AssertionError(
                f"{err}: screens {stack}, alerts {app.alerts}, screen: {screen_text(app)[:900]}"
            ) from None
        desk = app.screen
        assert isinstance(desk, SupervisorScreen)
        await wait_for(pilot, lambda: any(c.order_id == order_id for c in desk.cases.values()))
        burst(app, scans(order_id, markup))
        await settle(pilot, app)
        text = screen_text(app)
        assert f"unknown shipping method '{markup}'" in text
        assert f"{markup!r}: no open case" in text
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        await app.push_screen(ConnectionErrorScreen(f"http://{markup}", f"refused {markup}"))
        await settle(pilot, app)
        assert f"Reason: refused {markup}" in screen_text(app)


@pytest.mark.parametrize("markup", MARKUP)
async def test_markup_on_the_resume_and_dispatch_screens(
    station: Callable[..., StationApp], markup: str
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1001", packer=markup)
        burst(app, scans(ITEM))
        await settle(pilot, app)
    # Started again on the same data: the unfinished order names its packer as scanned.
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        assert f"packer {markup}," in screen_text(app)
        await pilot.press("f8", "f8")
        await started(pilot, app)
        await app.push_screen(DispatchScreen())
        burst(app, scans(markup, f"]C0{markup}"))
        await settle(pilot, app)
        text = screen_text(app)
        assert isinstance(app.screen, DispatchScreen)
        assert text.count(f"{markup!r} is not a package's SSCC") >= 2
