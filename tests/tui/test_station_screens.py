"""Start-up, resume, connection errors, the supervisor desk, themes and the command palette."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
from fastapi import FastAPI
from textual.widgets import Button
from tui_support import (
    SIZE,
    burst,
    make_app,
    open_order,
    scans,
    screen_text,
    settle,
    started,
    wait_for,
)

from packstation.omnium.client import OmniumClient
from packstation.sandbox.process import SandboxProcess
from packstation.tui.app import StationApp
from packstation.tui.screens.connection import ConnectionErrorScreen
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.resume import ResumeScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen

EAN_1 = "7042113000020"
EAN_2 = "084213000064"


async def leave_unfinished(station: Callable[..., StationApp]) -> object:
    """Pack part of ORD-1003 with an open second package, then quit without submitting."""
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-anna", "ORD-1003", EAN_1, "BOX-S", "3103000400"))
        burst(app, scans("CMD-NEW-PACKAGE", EAN_2, EAN_1, "CMD-UNDO"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        return pack.session.snapshot()


async def test_unfinished_session_resumes_exactly(station: Callable[..., StationApp]) -> None:
    before = await leave_unfinished(station)
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        assert "Order ORD-1003" in screen_text(app)
        # A scan typed while the question is open waits for the answer.
        burst(app, scans(EAN_1))
        await pilot.press("f2")
        await started(pilot, app)
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        assert app.packer == "anna"
        assert pack.session.line("1").packed == Decimal(2)  # the held scan applied after resume
        burst(app, scans("CMD-UNDO"))
        await settle(pilot, app)
        assert pack.session.snapshot() == before


async def test_unfinished_session_discarded_after_confirmation(
    station: Callable[..., StationApp],
) -> None:
    await leave_unfinished(station)
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ResumeScreen))
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)  # the first press only asks
        assert "press F8 again" in screen_text(app)
        await pilot.press("f8")
        await started(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert app.store.journal.unfinished_session() is None


async def test_unreachable_backend_shows_url_reason_and_retry(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    client = OmniumClient(url, "demo-station", "demo-secret", connect_timeout=1.0)
    app = make_app(client, tmp_path / "station")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionErrorScreen))
        text = screen_text(app)
        assert "CANNOT REACH OMNIUM" in text
        assert url in text
        assert "Traceback" not in text
        assert app.screen.query_one("#conn-retry", Button).has_focus
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionErrorScreen))
    await client.aclose()


async def test_refused_credentials_are_not_called_a_network_problem(
    sandbox_app: FastAPI, tmp_path: Path
) -> None:
    transport = httpx.ASGITransport(app=sandbox_app)
    secret = "not-the-secret-93"
    client = OmniumClient("http://sandbox.test", "demo-station", secret, transport=transport)
    app = make_app(client, tmp_path / "station")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionErrorScreen))
        text = screen_text(app)
        assert "OMNIUM REFUSED THE CREDENTIALS" in text and "client_secret" in text
        assert "demo-station" in text and secret not in text
        assert "CANNOT REACH" not in text and "network cable" not in text
    await client.aclose()


async def test_supervisor_desk_needs_a_supervisor_badge(
    station: Callable[..., StationApp], omnium_client: OmniumClient
) -> None:
    app = station(supervisors=["boss"])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        # Produce an aborted workflow first.
        burst(app, scans("USER-anna", "ORD-1017"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        line = pack.session.lines()[0]
        burst(app, scans(*[line.ean or ""] * int(line.remaining)))
        burst(app, scans("3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await wait_for(pilot, lambda: flow.tracker.finished)
        await pilot.press("f10")
        await settle(pilot, app)
        # A packer's badge does not open the desk, F7 neither.
        burst(app, scans("USER-anna"))
        await settle(pilot, app)
        await pilot.press("f7")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        burst(app, scans("USER-boss"))
        await settle(pilot, app)
        desk = app.screen
        assert isinstance(desk, SupervisorScreen)
        await wait_for(pilot, lambda: any(c.order_id == "ORD-1017" for c in desk.cases.values()))
        key = next(k for k, c in desk.cases.items() if c.order_id == "ORD-1017")
        burst(app, scans("ORD-1017"))  # selects its case
        await settle(pilot, app)
        assert desk.selected().key == key
        text = screen_text(app)
        assert "PrintShippingLabel" in text
        # Rerun: the order still carries fail:PrintShippingLabel, so it aborts again, and says so.
        await pilot.press("f2")
        await wait_for(pilot, lambda: "ABORTED again" in screen_text(app))
        # Set the status without the workflow: a reason is required.
        await pilot.press("f3")
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        assert "required: say why" in screen_text(app)
        await pilot.press(*"carrier booked by phone")
        await pilot.press("f6")
        await wait_for(pilot, lambda: "Closed by boss" in screen_text(app))
        assert desk.selected().key == key and key in desk.closed
        # Omnium's errors on the order were part of the case: nothing is left open, and a
        # closed case takes no second action (the note dialog does not open).
        assert [k for k in desk.cases if k not in desk.closed] == []
        await pilot.press("f4")
        await settle(pilot, app)
        assert app.screen is desk and "That case is closed" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)


async def test_themes_from_settings_and_palette(station: Callable[..., StationApp]) -> None:
    app = station(theme="packstation-high-contrast")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        assert app.theme == "packstation-high-contrast"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"packstation-16")
        await wait_for(pilot, lambda: "packstation-16" in screen_text(app).replace(" ", ""))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.theme == "packstation-16")


async def test_palette_lists_the_screen_actions(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-1003", EAN_1))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Undo")
        await wait_for(pilot, lambda: "key f4" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, app)
        assert pack.session.totals().units_packed == 0


async def test_unknown_theme_falls_back_to_default(station: Callable[..., StationApp]) -> None:
    app = station(theme="no-such-theme")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        assert app.theme == "packstation-dark"


async def test_every_shipped_theme_applies_on_the_pack_screen(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-1003", EAN_1))
        await settle(pilot, app)
        for name in app.theme_set.names:
            app.theme = name
            await pilot.pause()
            assert app.theme == name
            assert "1 / 5 units packed" in screen_text(app)


async def test_a_stopped_embedded_sandbox_is_named_and_restarted_on_retry(tmp_path: Path) -> None:
    sandbox = SandboxProcess(tmp_path / "sandbox")
    sandbox.data_dir.mkdir()
    # A directory where the sandbox's database belongs: the child cannot start.
    (sandbox.data_dir / "sandbox.sqlite3").mkdir()
    sandbox.start()
    client = OmniumClient(sandbox.url, "demo-station", "demo-secret", timeout=60)
    app = make_app(client, tmp_path / "station")
    app.services.sandbox_process = sandbox
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, ConnectionErrorScreen), 60)
            text = screen_text(app)
            assert "embedded sandbox stopped" in text
            assert "unable to open database file" in text
            (sandbox.data_dir / "sandbox.sqlite3").rmdir()
            await pilot.press("f5")
            await started(pilot, app)
            assert isinstance(app.screen, OrderScreen)
            assert sandbox.running
    finally:
        await client.aclose()
        sandbox.stop()


async def test_a_damaged_store_is_set_aside_with_a_notice_and_the_station_starts(
    station: Callable[..., StationApp], tmp_path: Path
) -> None:
    from packstation.station.store import database_path

    data_dir = tmp_path / "station"
    data_dir.mkdir()
    database_path(data_dir).write_text("these are my notes, not a database\n")
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        notices = [n for n in app._notifications if n.title == "Station store set aside"]
        assert len(notices) == 1
        assert "not an SQLite database" in notices[0].message
        assert notices[0].severity == "warning"
        kept = [p for p in data_dir.iterdir() if ".set-aside-" in p.name]
        assert [p.read_text() for p in kept] == ["these are my notes, not a database\n"]
        await open_order(app, pilot, "ORD-1002")  # the fresh store works


async def test_at_80x24_the_package_dialog_fits_with_save_in_view_and_no_overlap(
    station: Callable[..., StationApp],
) -> None:
    from textual.widgets import Input, Label

    from packstation.tui.screens.package import PackageScreen

    app = station()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(app, pilot, "ORD-1003")
        await pilot.press("f3")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PackageScreen)
        save = dialog.query_one("#pkg-save", Button)
        assert save.region.y >= 0 and save.region.bottom <= 24  # in view without scrolling
        shown = [w for w in dialog.query(Label).results() if w.display and w.region.area]
        shown += [w for w in dialog.query(Input).results() if w.region.area]
        for i, first in enumerate(shown):
            for second in shown[i + 1 :]:
                assert not first.region.overlaps(second.region), (first, second)
        # A refusal shows under its field, still with Save in view.
        dialog.query_one("#pkg-weight", Input).value = "1,5x"
        await pilot.press("f6")
        await settle(pilot, app)
        assert "is not a number" in screen_text(app)
        assert save.region.bottom <= 24


async def test_on_a_narrow_terminal_the_review_keeps_the_decisions_in_view(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(app, pilot, "ORD-1003", packer="anna")
        burst(app, scans("7042113000020", "3103000400", "CMD-SUBMIT"))
        await settle(pilot, app)
        text = screen_text(app)
        assert "REVIEW ORDER ORD-1003" in text
        assert "Decision" in text and text.count("KEEP") == 4


async def test_at_80x24_every_review_row_is_readable_whole(
    station: Callable[..., StationApp],
) -> None:
    from packstation.tui.screens.review import ReviewScreen

    app = station()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(app, pilot, "ORD-1003", packer="anna")
        burst(app, scans("7042113000020", "3103001200", "CMD-NEW-PACKAGE"))
        burst(app, scans("7042113000020", "3103000800", "CMD-SUBMIT"))
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        text = screen_text(app)
        open_lines = [line for line in review.session.lines() if line.remaining > 0]
        assert len(open_lines) == 3
        for line in open_lines:  # each name whole, on its row with its decision
            assert f"{line.code} {line.display_name} 0 / 1 1 KEEP" in text, line.display_name
        # Both packages with their weight and contents (the second was cut off); the SVG
        # splits the bold head from the rest with a space.
        text = text.replace(" : ", ": ")
        assert "Package 1: no box / dimensions · 1.2 kg · 1 × NH-1002" in text
        assert "Package 2 OPEN: no box / dimensions · 0.8 kg · 1 × NH-1002" in text


async def test_a_killed_embedded_sandbox_shows_the_connection_screen_and_f5_restarts_it(
    tmp_path: Path,
) -> None:
    sandbox = SandboxProcess(tmp_path / "sandbox")
    sandbox.start()
    client = OmniumClient(sandbox.url, "demo-station", "demo-secret", timeout=60)
    app = make_app(client, tmp_path / "station")
    app.services.sandbox_process = sandbox
    try:
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot, app)
            assert sandbox.pid is not None
            os.kill(sandbox.pid, signal.SIGKILL)
            await wait_for(pilot, lambda: isinstance(app.screen, ConnectionErrorScreen), 30)
            assert "embedded sandbox stopped" in screen_text(app)
            await pilot.press("f5")
            await wait_for(pilot, lambda: not isinstance(app.screen, ConnectionErrorScreen), 60)
            assert sandbox.running
            # Requests work again: an order opens.
            burst(app, scans("ORD-1001"))
            await wait_for(pilot, lambda: isinstance(app.screen, PackScreen), 60)
    finally:
        await client.aclose()
        sandbox.stop()
