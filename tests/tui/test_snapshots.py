"""SVG snapshots of every screen in the default and the high-contrast theme.

Deterministic: a fresh sandbox and station store per test (same order ids, SSCCs and tracking
numbers every run) and a fixed clock for everything the screens show with a time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from tui_support import burst, make_app, scans, settle, started, wait_for, workflow_done

from packstation.omnium.client import OmniumClient
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.tui.app import StationApp
from packstation.tui.screens.connection import ConnectionErrorScreen
from packstation.tui.screens.resume import ResumeScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen

THEMES = ["packstation-dark", "packstation-high-contrast"]
SNAP_SIZE = (150, 42)
FIXED = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)
EAN_1 = "7042113000020"
EAN_2 = "084213000064"
EAN_3 = "084213000149"

Steps = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every time a screen could show comes from one fixed moment."""
    monkeypatch.setattr("packstation.station.clock.utc_now", lambda: FIXED)
    monkeypatch.setattr("packstation.station.retention.utc_now", lambda: FIXED)
    monkeypatch.setattr("packstation.sandbox.engine._utc_now", lambda: FIXED)


def client_for(sandbox_app: FastAPI) -> OmniumClient:
    return OmniumClient(
        "http://sandbox.test",
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        transport=httpx.ASGITransport(app=sandbox_app),
    )


def app_for(sandbox_app: FastAPI, tmp_path: Path, theme: str, **settings: Any) -> StationApp:
    return make_app(client_for(sandbox_app), tmp_path / "station", theme=theme, **settings)


def steps(app: StationApp, *codes: str, after: Steps | None = None) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await started(pilot, app)
        if codes:
            burst(app, scans(*codes))
        await settle(pilot, app)
        if after is not None:
            await after(pilot)
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return run


def sent(app: StationApp, *codes: str, then: Steps | None = None) -> Steps:
    """Steps that scan `codes` (ending in a submit), await the workflow outcome, then `then`."""

    async def done(pilot: Pilot[Any]) -> None:
        await workflow_done(pilot, app)
        if then is not None:
            await then(pilot)

    return steps(app, *codes, after=done)


def showing(app: StationApp, screen_type: type[Any]) -> Steps:
    """Steps that only wait until a screen of `screen_type` shows."""

    async def run(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, screen_type))

    return run


async def queue_loaded(pilot: Pilot[Any], app: StationApp) -> None:
    """Wait until the order screen's queue has rows."""
    table = app.screen.query_one("#queue", DataTable)
    await wait_for(pilot, lambda: table.row_count > 0)


PACKED = ("USER-anna", "ORD-1003", EAN_1, "BOX-M", "3103001200", "CMD-NEW-PACKAGE", EAN_2)
# ORD-1017's workflow aborts (at PrintShippingLabel): packed and weighed, one CMD-SUBMIT sends.
ABORTING = ("USER-anna", "ORD-1017", "NH-1012", "3103000500", "CMD-SUBMIT")


@pytest.mark.parametrize("theme", THEMES)
def test_order_screen(snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str) -> None:
    app = app_for(sandbox_app, tmp_path, theme)
    run = steps(app, after=lambda pilot: queue_loaded(pilot, app))
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_order_not_found(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str
) -> None:
    app = app_for(sandbox_app, tmp_path, theme)

    async def run(pilot: Pilot[Any]) -> None:
        await started(pilot, app)
        await queue_loaded(pilot, app)  # the queue first, then the scan
        burst(app, scans("ORD-9999"))
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_pack_screen(snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str) -> None:
    app = app_for(sandbox_app, tmp_path, theme)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=steps(app, *PACKED))


@pytest.mark.parametrize("theme", THEMES)
def test_pack_screen_rejection(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str
) -> None:
    app = app_for(sandbox_app, tmp_path, theme)
    run = steps(app, *PACKED, "7042113000013")
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


def test_pack_screen_in_norwegian(snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path) -> None:
    app = app_for(sandbox_app, tmp_path, THEMES[0], language="nb")
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=steps(app, *PACKED))


def test_pack_screen_rejection_in_norwegian(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path
) -> None:
    app = app_for(sandbox_app, tmp_path, THEMES[0], language="nb")
    run = steps(app, *PACKED, "7042113000013")
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_package_dialog(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str
) -> None:
    app = app_for(sandbox_app, tmp_path, theme)

    async def open_dialog(pilot: Pilot[Any]) -> None:
        await pilot.press("f3")
        await settle(pilot, app)
        burst(app, "abc\r")
        await settle(pilot, app)

    run = steps(app, *PACKED, after=open_dialog)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_review_screen(snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str) -> None:
    app = app_for(sandbox_app, tmp_path, theme)
    run = steps(app, *PACKED, "3103000800", "CMD-CANCEL-LINE", EAN_3, "CMD-SUBMIT")
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


def test_review_screen_in_norwegian(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path
) -> None:
    app = app_for(sandbox_app, tmp_path, THEMES[0], language="nb")
    run = steps(app, *PACKED, "3103000800", "CMD-CANCEL-LINE", EAN_3, "CMD-SUBMIT")
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


def test_workflow_sent_in_norwegian(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path
) -> None:
    app = app_for(
        sandbox_app,
        tmp_path,
        THEMES[0],
        language="nb",
        printers={"carrier_label": "command:true"},
    )

    async def labels_printed(pilot: Pilot[Any]) -> None:
        screen = app.screen
        assert isinstance(screen, WorkflowScreen)
        await wait_for(pilot, lambda: bool(screen.tracker.carrier_labels))

    run = sent(app, *PACKED, "3103000800", "CMD-SUBMIT", "CMD-SUBMIT", then=labels_printed)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


def test_workflow_aborted_in_norwegian(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path
) -> None:
    app = app_for(sandbox_app, tmp_path, THEMES[0], language="nb")
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=sent(app, *ABORTING))


@pytest.mark.parametrize("theme", THEMES)
def test_workflow_sent(snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str) -> None:
    # A printer that takes every carrier label, so the screen's last line is always the same.
    app = app_for(sandbox_app, tmp_path, theme, printers={"carrier_label": "command:true"})

    async def labels_printed(pilot: Pilot[Any]) -> None:
        screen = app.screen
        assert isinstance(screen, WorkflowScreen)
        await wait_for(pilot, lambda: bool(screen.tracker.carrier_labels))

    run = sent(app, *PACKED, "3103000800", "CMD-SUBMIT", "CMD-SUBMIT", then=labels_printed)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_workflow_aborted(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str
) -> None:
    app = app_for(sandbox_app, tmp_path, theme)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=sent(app, *ABORTING))


@pytest.mark.parametrize("theme", THEMES)
def test_connection_error(snap_compare: Any, tmp_path: Path, theme: str) -> None:
    client = OmniumClient("http://127.0.0.1:9", "demo-station", "demo-secret", connect_timeout=1)
    app = make_app(client, tmp_path / "station", theme=theme)
    run = showing(app, ConnectionErrorScreen)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)


@pytest.mark.parametrize("theme", THEMES)
def test_resume_prompt(snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str) -> None:
    from packstation.station.store import StationStore
    from packstation.tui.flow import rules_for  # noqa: F401  (same rules as the app)

    with StationStore.open(tmp_path / "station") as store:
        from packstation.sandbox.demo_data import demo_orders

        order = next(o for o in demo_orders() if o.id == "ORD-1003")
        sid = store.journal.start(order, "1", "anna")
        store.journal.append(sid, {"type": "packer_set", "user_id": "anna"})
    app = app_for(sandbox_app, tmp_path, theme)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=showing(app, ResumeScreen))


@pytest.mark.parametrize("theme", THEMES)
def test_supervisor_desk(
    snap_compare: Any, sandbox_app: FastAPI, tmp_path: Path, theme: str
) -> None:
    app = app_for(sandbox_app, tmp_path, theme, supervisors=["boss"])

    async def open_desk(pilot: Pilot[Any]) -> None:
        await pilot.press("f10")
        await settle(pilot, app)
        burst(app, scans("USER-boss"))
        await settle(pilot, app)
        desk = app.screen
        assert isinstance(desk, SupervisorScreen)
        await wait_for(pilot, lambda: any(c.order_id == "ORD-1017" for c in desk.cases.values()))
        burst(app, scans("ORD-1017"))
        await settle(pilot, app)

    run = sent(app, *ABORTING, then=open_desk)
    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=run)
