"""A station with warehouse_db, as people use it: the desk lists every station's cases from a
real PostgreSQL, settles them for every desk, loses a race politely, and a packed order's
labels use the warehouse's serials while its records reach PostgreSQL."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from test_supervisor_desk import open_desk, pack_and_send, rows
from textual.widgets import DataTable
from tui_support import SIZE, make_app, screen_text, settle, started, wait_for

from packstation.omnium.client import OmniumClient
from packstation.omnium.models import EntityError
from packstation.omnium.workflow import ActionResult, WorkflowExecutionResult
from packstation.station.store import StationStore
from packstation.station.supervisor_cases import omnium_cases
from packstation.tui.app import StationApp
from packstation.tui.screens.shift import ShiftScreen
from packstation.warehouse import buffer, known_settled
from packstation.warehouse.connect import open_pool
from packstation.warehouse.desk import act, open_cases, settle_keys
from packstation.warehouse.publisher import publish_batch
from packstation.warehouse.trial_server import free_port

ABORTED = WorkflowExecutionResult(
    is_aborted=True,
    order_action_execution_results=[
        ActionResult(
            action_type="BookShipment",
            action_status="Error",
            error_reason="carrier down",
            cancel_workflow=True,
        )
    ],
)


def abort_on_another_station(data_dir: Path, dsn: str) -> None:
    """Station 01 (elsewhere) had ORD-1003's workflow abort for packer anna, and published it."""
    with StationStore.open(data_dir) as other:
        uid = buffer.enable(other, "01")
        other.results.record(
            "submit", "ORD-1003", shipment_id="1", user_id="anna", packer="anna", result=ABORTED
        )
        pool = open_pool(dsn, wait=True)
        while publish_batch(other, pool, uid):
            pass
        pool.close()


def station_b(client: OmniumClient, tmp_path: Path, dsn: str) -> StationApp:
    """Station 02 with the warehouse database and supervisor boss."""
    return make_app(client, tmp_path / "b", station_id="02", supervisors=["boss"], warehouse_db=dsn)


async def review(app: StationApp, pilot: Any, note: str) -> None:
    """F4 on the selected case, type the note, save."""
    await pilot.press("f4")
    await settle(pilot, app)
    for char in note:
        await pilot.press(char)
    await pilot.press("f6")
    await settle(pilot, app)


async def test_the_desk_lists_every_station_and_settles_for_all(
    omnium_client: OmniumClient, tmp_path: Path, warehouse_dsn: str, pg: Any
) -> None:
    abort_on_another_station(tmp_path / "a", warehouse_dsn)
    app = station_b(omnium_client, tmp_path, warehouse_dsn)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await open_desk(app, pilot)
        await wait_for(pilot, lambda: "station 01" in screen_text(app))
        text = screen_text(app)
        assert "ORD-1003" in text and "anna" in text and "at every station" in text
        await review(app, pilot, "ok")
        await wait_for(pilot, lambda: "SETTLED by boss" in screen_text(app))
    row = pg.execute("SELECT state, acted_by, acted_on_station, note FROM cases").fetchone()
    assert row == ("settled", "boss", "02", "ok")


async def test_a_supervisor_who_comes_second_is_told_who_acted(
    omnium_client: OmniumClient, tmp_path: Path, warehouse_dsn: str, pg: Any
) -> None:
    abort_on_another_station(tmp_path / "a", warehouse_dsn)
    app = station_b(omnium_client, tmp_path, warehouse_dsn)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await open_desk(app, pilot)
        await wait_for(pilot, lambda: "station 01" in screen_text(app))
        # Meanwhile, on station 07's desk, supervisor kari settles the same case.
        act(pg, open_cases(pg)[0], supervisor="kari", station_id="07", action="review", settle=True)
        await review(app, pilot, "mine")
        await wait_for(pilot, lambda: "already settled this case" in screen_text(app))
        assert "supervisor kari on station 07" in screen_text(app)
    assert pg.execute("SELECT acted_by, note FROM cases").fetchone() == ("kari", None)


async def test_a_packed_order_uses_warehouse_serials_and_is_published(
    omnium_client: OmniumClient, tmp_path: Path, warehouse_dsn: str, pg: Any
) -> None:
    app = station_b(omnium_client, tmp_path, warehouse_dsn)
    async with app.run_test(size=SIZE) as pilot:
        await pack_and_send(app, pilot, "ORD-1001", "anna")
        with app.store.reading() as conn:
            ssccs = [row[0] for row in conn.execute("SELECT sscc FROM issued_ssccs")]
        assert ssccs and all(s.startswith("17012345") for s in ssccs)
        deadline = time.monotonic() + 30
        while buffer.waiting_count(app.store) and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert buffer.waiting_count(app.store) == 0
    kinds = dict(pg.execute("SELECT kind, count(*) FROM records GROUP BY kind").fetchall())
    assert kinds["submit_request"] >= 1 and kinds["submit_outcome"] == 1
    assert pg.execute("SELECT station_id FROM sscc_blocks").fetchall() == [("02",)]


async def test_offline_the_desk_does_not_offer_a_case_settled_on_another_desk(
    omnium_client: OmniumClient, tmp_path: Path, warehouse_dsn: str, pg: Any
) -> None:
    # This station (01) had ORD-1003 abort and published it; kari settled it on station 07's
    # desk; this station's publisher learned so before the database went away.
    abort_on_another_station(tmp_path / "a", warehouse_dsn)
    act(pg, open_cases(pg)[0], supervisor="kari", station_id="07", action="review", settle=True)
    with StationStore.open(tmp_path / "a") as store:
        pool = open_pool(warehouse_dsn, wait=True)
        assert known_settled.check_own_cases(store, pool, buffer.station_uid(store)) == 1
        pool.close()
    away = f"postgresql://postgres@127.0.0.1:{free_port()}/warehouse"
    app = make_app(
        omnium_client, tmp_path / "a", station_id="01", supervisors=["boss"], warehouse_db=away
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await open_desk(app, pilot)
        await wait_for(pilot, lambda: "warehouse database not reached" in screen_text(app))
        text = screen_text(app)
        assert "SETTLED by kari" in text and "known as of" in text
        await pilot.press("f4")
        await settle(pilot, app)
        assert "That case is settled (by kari" in screen_text(app)
    with StationStore.open(tmp_path / "a") as store, store.reading() as conn:
        assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (0,)


async def test_offline_the_desk_leaves_out_an_omnium_case_settled_while_it_was_closed(
    omnium_client: OmniumClient,
    sandbox_app: FastAPI,
    tmp_path: Path,
    warehouse_dsn: str,
    pg: Any,
) -> None:
    # ORD-1004 has an error in Omnium: a case on every desk. kari settled it on station 07's
    # desk while this station's desk was closed; this station's publisher checked the
    # database afterwards, and then the database went away.
    runtime = sandbox_app.state.sandbox
    order = runtime.store.get_order("ORD-1004")
    order.errors.append(EntityError(key="BookShipment", message="carrier down", severity="Error"))
    runtime.store.save_order(order)
    with StationStore.open(tmp_path / "a") as store:
        uid = buffer.enable(store, "01")
        [case] = [c for c in await omnium_cases(omnium_client, store) if c.order_id == "ORD-1004"]
        settle_keys(pg, [case.key], supervisor="kari", station_id="07")
        pool = open_pool(warehouse_dsn, wait=True)
        known_settled.check_own_cases(store, pool, uid)
        pool.close()
        assert known_settled.recall(store)[case.key].supervisor == "kari"
    away = f"postgresql://postgres@127.0.0.1:{free_port()}/warehouse"
    app = make_app(
        omnium_client, tmp_path / "a", station_id="01", supervisors=["boss"], warehouse_db=away
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        desk = await open_desk(app, pilot)
        await wait_for(pilot, lambda: "warehouse database not reached" in screen_text(app))
        assert "ORD-1004" not in [c.order_id for c in desk.cases.values()]
        assert "carrier down" not in screen_text(app)


async def test_the_desks_shift_view_shows_every_stations_figures(
    omnium_client: OmniumClient, tmp_path: Path, warehouse_dsn: str, pg: Any
) -> None:
    # Station 01 (elsewhere) published: packer P7 sent two orders, the second one aborted.
    records = [
        ("submit_request", {"order_id": "ORD-1", "packer": "P7", "units": 2, "packages": 1}),
        ("submit_request", {"order_id": "ORD-2", "packer": "P7", "units": 1, "packages": 2}),
        (
            "result",
            {"order_id": "ORD-2", "packer": "P7", "kind": "submit", "aborted": 1, "submit_id": 2},
        ),
    ]
    for n, (kind, payload) in enumerate(records):
        pg.execute(
            "INSERT INTO records (record_id, station_uid, station_id, kind, payload, recorded_at)"
            " VALUES (%s, 'uid-a', '01', %s, %s, now())",
            (f"uid-a:{n}", kind, json.dumps(payload)),
        )
    app = station_b(omnium_client, tmp_path, warehouse_dsn)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await open_desk(app, pilot)
        await pilot.press("f8")
        await settle(pilot, app)
        shift = app.screen
        assert isinstance(shift, ShiftScreen)
        table = shift.query_one("#shift-warehouse", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        assert "Every station (warehouse database)" in screen_text(app)
        # Per, key, orders, units, packages, refused, aborted, abandoned.
        assert rows(table)[:2] == [
            ["packer", "P7", "2", "3", "3", "0", "1", "0"],
            ["station", "01", "2", "3", "3", "0", "1", "0"],
        ]
        assert rows(table)[-1][:3] == ["all", "every station", "2"]
