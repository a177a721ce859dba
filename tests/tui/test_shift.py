"""A packer's shift by scans alone (issue 15): the badge first, one-scan submit, counts and
cases, split destinations, open lines and finding a line, the abort frame, cues, CMD-NEXT,
CMD-RESUME, CMD-SIGN-OUT, and the line just scanned in view on a small terminal."""

from __future__ import annotations

from collections.abc import Callable

from tui_support import (
    SIZE,
    burst,
    open_order,
    scans,
    screen_text,
    settle,
    started,
    wait_for,
    workflow_done,
)

from packstation.sandbox.demo_data import demo_catalogue
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.resume import ResumeScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.workflow import WorkflowScreen
from packstation.tui.widgets import BigResult

ORD_1002_ITEM = "7042113000051"  # 3 units


def count_cues(app: StationApp) -> list[str]:
    """Record every cue the app gives (and still give it)."""
    cues: list[str] = []
    give = app.cue

    def cue(kind: str) -> None:
        cues.append(kind)
        give(kind)  # type: ignore[arg-type]

    app.cue = cue  # type: ignore[method-assign]
    return cues


async def test_no_order_opens_before_a_badge_and_sign_out_asks_again(
    station: Callable[..., StationApp],
) -> None:
    app = station(allow_packing_before_badge=False, packers=["anna"])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        assert "NO PACKER SIGNED IN" in screen_text(app)
        burst(app, scans("ORD-1002"))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert "ORD-1002 not opened: no packer is signed in" in screen_text(app)
        burst(app, scans("USER-bob"))  # not on the packers list
        await settle(pilot, app)
        assert app.packer == "" and "not on this station's packers list" in screen_text(app)
        burst(app, scans("USER-anna", "ORD-1002"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        burst(app, scans("CMD-SIGN-OUT"))  # not while an order is open
        await settle(pilot, app)
        assert app.packer == "anna" and "send or abort order ORD-1002 first" in screen_text(app)
        burst(app, scans("CMD-ABORT", "CMD-ABORT", "CMD-SIGN-OUT"))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert app.packer == "" and "Packer anna signed out" in screen_text(app)
        assert "NO PACKER SIGNED IN" in screen_text(app)


async def test_one_submit_sends_a_fully_packed_order_and_cmd_next_goes_on(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1002", packer="anna")
        burst(app, scans(*[ORD_1002_ITEM] * 3, "3103001000", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = await workflow_done(pilot, app)
        assert flow.tracker.outcome is not None and flow.tracker.outcome.state == "done"
        # A second CMD-SUBMIT from habit is refused with the reason; nothing else happens.
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        assert app.screen is flow
        burst(app, scans("CMD-NEXT"))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)


async def test_the_review_lists_the_packages_beside_the_open_lines(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1002", packer="anna")
        burst(app, scans(ORD_1002_ITEM, "BOX-M", "3103001000", "CMD-SUBMIT"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)  # a line still open: review first
        packages = str(app.screen.query_one("#review-packages").render())
        assert "Package 1" in packages and "box M" in packages and "40×30×20 cm" in packages
        assert "1 kg" in packages and "1 × NH-1005" in packages


async def test_a_keyed_count_and_a_case_of_known_size(station: Callable[..., StationApp]) -> None:
    # ORD-1006: 48 fire starters sold in units, in cases of 24. The station's settings know no
    # case size: the order's line says it (its CaseSize property, read from the sandbox).
    case = next(item for item in demo_catalogue().values() if item.case_size == 24).case_gtin
    assert case is not None
    app = station()
    assert not app.settings.case_sizes
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1006", packer="anna")
        line = next(v for v in pack.session.lines() if v.packable == 48)
        burst(app, scans(case))
        await settle(pilot, app)
        assert pack.session.packed(line.line_item_id) == 24
        burst(app, scans("30"))
        await settle(pilot, app)
        assert "30 × the next item" in screen_text(app)
        assert pack.query_one("#pack-big", BigResult).has_class("wait")
        burst(app, scans(line.ean or ""))  # only 24 left: refused, nothing packed
        await settle(pilot, app)
        assert "only 24 of 48 units left, not 30" in screen_text(app)
        burst(app, scans("QTY-24", line.ean or ""))
        await settle(pilot, app)
        assert pack.session.packed(line.line_item_id) == 48
        assert pack.query_one("#pack-big", BigResult).has_class("ok")


async def test_a_split_to_a_listed_warehouse_by_scans(station: Callable[..., StationApp]) -> None:
    app = station(split_warehouses=["WH-BERGEN"])
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1002", packer="anna")
        burst(app, scans(ORD_1002_ITEM, "CMD-SPLIT-LINE", ORD_1002_ITEM, "TO-WH-BERGN"))
        await settle(pilot, app)
        assert "TO-WH-BERGN is not a destination" in screen_text(app)
        burst(app, scans("TO-WH-BERGEN"))
        await settle(pilot, app)
        target = pack.session.lines()[0].split_target
        assert target is not None and target.warehouse_code == "WH-BERGEN"


async def test_a_scan_on_the_abort_frame_is_not_applied_and_says_why(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1002", packer="anna")
        cues = count_cues(app)
        burst(app, scans("CMD-ABORT", ORD_1002_ITEM))
        await settle(pilot, app)
        assert pack.session.totals().units_packed == 0
        text = screen_text(app)
        assert "not applied" in text and "waiting for CMD-ABORT to be confirmed" in text
        assert "CMD-ABORT twice" in text
        assert cues == ["refused", "refused"]  # the question, then the scan not applied
        burst(app, scans(ORD_1002_ITEM))
        await settle(pilot, app)
        assert pack.session.totals().units_packed == 1
        assert cues[-1] == "accepted"


async def test_open_lines_only_find_a_line_and_the_scanned_line_in_view(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=(80, 24)) as pilot:
        pack = await open_order(app, pilot, "ORD-1009", packer="anna")
        table = pack.lines_view
        lines = pack.session.lines()
        last = lines[-1]
        burst(app, scans(last.code or ""))
        await settle(pilot, app)
        row = table.index[last.line_item_id]
        top = table.scroll_offset.y
        # The row just scanned is among the rows really visible (not under a scrollbar).
        assert top <= row < top + table.scrollable_content_region.height
        assert table.scrollable_content_region.height == table.size.height
        # Open lines only: a line packed in full leaves the list at the next toggle.
        first = lines[0]
        burst(app, scans(*[first.code or ""] * int(first.packable), "CMD-OPEN-LINES"))
        await settle(pilot, app)
        assert pack.open_only and not table.has(first.line_item_id)
        assert "OPEN LINES ONLY" in screen_text(app)
        await pilot.press("f9")
        await settle(pilot, app)
        assert not pack.open_only and table.has(first.line_item_id)
        # Finding a line by part of its name.
        target = lines[120]
        await pilot.press("f11")
        await pilot.pause()
        field = pack.query_one("#find-line")
        assert field.display
        word = (target.code or "")[-5:]
        for char in word:
            await pilot.press(char)
        await pilot.pause()
        assert table.cursor_key == target.line_item_id
        await pilot.press("escape")
        await pilot.pause()
        assert not field.display


async def test_reopening_an_order_says_what_was_shipped(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1010", packer="anna")
        assert "3 already shipped in shipment 1" in screen_text(app)


async def test_cmd_resume_answers_the_resume_question(station: Callable[..., StationApp]) -> None:
    first = station()
    async with first.run_test(size=SIZE) as pilot:
        await open_order(first, pilot, "ORD-1002", packer="anna")
        burst(first, scans(ORD_1002_ITEM))
        await settle(pilot, first)
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        assert "CMD-RESUME" in screen_text(app)
        burst(app, scans("CMD-RESUME"))
        await started(pilot, app)
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen) and pack.session.totals().units_packed == 1


async def test_cmd_discard_twice_discards_the_unfinished_order(
    station: Callable[..., StationApp],
) -> None:
    first = station()
    async with first.run_test(size=SIZE) as pilot:
        await open_order(first, pilot, "ORD-1002", packer="anna")
        burst(first, scans(ORD_1002_ITEM))
        await settle(pilot, first)
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        burst(app, scans("CMD-DISCARD"))
        await pilot.pause(0.2)
        assert isinstance(app.screen, ResumeScreen)  # the first scan only asks
        burst(app, scans("CMD-DISCARD"))
        await started(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert app.store.journal.unfinished_session() is None


async def test_an_aborted_workflow_rings_the_aborted_cue(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1017", packer="anna")
        cues = count_cues(app)
        burst(app, scans("NH-1012", "3103000500", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = await workflow_done(pilot, app)
        assert flow.tracker.aborted
        assert cues.count("aborted") == 1 and "refused" not in cues
        burst(app, scans("CMD-NEXT"))  # acknowledges the abort by scan
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen) and not isinstance(app.screen, WorkflowScreen)


async def test_find_line_on_a_pack_screen_that_has_closed_does_nothing(
    station: Callable[..., StationApp],
) -> None:
    # The fuzz test's F11 reached a pack screen whose widgets were already removed: the
    # action's query raised NoMatches and the app crashed.
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-anna", "ORD-1003"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        await pack.remove_children()  # as when the screen is being closed
        pack.action_find_line()
        pack._close_find()
        assert not pack.query("#find-line")
