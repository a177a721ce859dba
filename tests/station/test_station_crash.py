"""SIGKILL a real process packing an order at random points; the journal keeps every ack.

The driver (crash_driver.py) journals one event per scan and prints an ACK after each commit.
After each kill the journal must hold exactly a prefix of the uninterrupted run's events, at
least as long as the last acknowledged count, and the session replayed from it must equal the
uninterrupted session at that point (open package, undo history and all). The driver then
resumes from the journal; after all kills the final session equals the uninterrupted one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from packstation.omnium.models import OmniumOrder
from packstation.packing.events import event_to_dict
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession
from packstation.sandbox.demo_data import demo_orders
from packstation.station.store import StationStore

DRIVER = Path(__file__).with_name("crash_driver.py")
RULES = PackingRules(warehouse="WH-OSLO")
SHIP_RULES = PackingRules(warehouse="WH-OSLO", packed_statuses={"Online": "Ship"})


def _scan_script(order: OmniumOrder, rng: random.Random) -> tuple[list[str], list[dict]]:
    """Scans that each yield exactly one event (items, new packages, undos) and those events."""
    session = PackingSession(order, RULES)
    units = [
        line.code or "" for line in session.shipment.line_items for _ in range(int(line.quantity))
    ]
    rng.shuffle(units)
    units = units[:90]
    candidates: list[str] = []
    for n, code in enumerate(units, start=1):
        candidates.append(code)
        if n % 7 == 0:
            candidates.append("CMD-NEW-PACKAGE")
        if n % 5 == 0:
            candidates.append("CMD-UNDO")
    scans: list[str] = []
    events: list[dict] = []
    for raw in candidates:
        outcome = session.handle_scan(raw)
        if len(outcome.events) == 1:
            scans.append(raw)
            events.append(event_to_dict(outcome.events[0]))
    return scans, events


def _replay(order: OmniumOrder, events: list[dict]) -> PackingSession:
    return PackingSession.replay(order, RULES, events)


def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(20261127)
    order = next(o for o in demo_orders() if o.id == "ORD-1009")  # 250 lines
    scans, expected = _scan_script(order, rng)
    assert len(scans) > 80
    assert any(e["type"] == "undone" for e in expected)
    assert any(e["type"] == "package_opened" for e in expected)
    script = tmp_path / "script.json"
    script.write_text(json.dumps({"order": order.to_json_dict(), "scans": scans}))
    data_dir = tmp_path / "station"
    kills = 0
    finished = False
    rounds = 0
    while not finished:
        rounds += 1
        assert rounds < 30
        proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(data_dir), str(script)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        resumed_line = proc.stdout.readline()
        assert resumed_line.startswith("RESUMED"), resumed_line + proc.stderr.read()  # type: ignore[union-attr]
        resumed_at = int(resumed_line.split()[1])
        acked = resumed_at
        kill_after = rng.randint(1, 12) if kills < 6 else None
        for line in proc.stdout:
            if line.startswith("ACK"):
                acked = int(line.split()[1])
                if kill_after is not None and acked - resumed_at >= kill_after:
                    time.sleep(rng.random() * 0.004)  # land the kill inside the next append
                    os.kill(proc.pid, signal.SIGKILL)
                    kills += 1
                    break
            elif line.startswith("DONE"):
                finished = True
                break
            else:
                raise AssertionError(f"driver said {line!r}")
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()  # type: ignore[union-attr]
        with StationStore.open(data_dir) as store:
            unfinished = store.journal.unfinished_session()
            assert unfinished is not None
            recovered = unfinished.events
        assert len(recovered) >= acked, "an acknowledged event was lost"
        assert recovered == expected[: len(recovered)], "journal is not a prefix of the run"
        rebuilt = _replay(order, recovered)
        reference = _replay(order, expected[: len(recovered)])
        assert rebuilt.snapshot() == reference.snapshot()
        assert rebuilt.events == reference.events  # the undo history too
    assert kills == 6
    with StationStore.open(data_dir) as store:
        unfinished = store.journal.unfinished_session()
        assert unfinished is not None
        final = unfinished.events
    assert final == expected
    uninterrupted = PackingSession(order, RULES)
    for raw in scans:
        uninterrupted.handle_scan(raw)
    resumed = _replay(order, final)
    assert resumed.snapshot() == uninterrupted.snapshot()
    # Undo after recovery behaves as if nothing had happened.
    assert resumed.handle_scan("CMD-UNDO").events == uninterrupted.handle_scan("CMD-UNDO").events
    assert resumed.snapshot() == uninterrupted.snapshot()


def test_sigkill_while_sending_never_applies_twice(tmp_path: Path) -> None:
    """Kill a real sending process at random points; resuming never runs a workflow twice."""
    import asyncio

    from station_sandbox import assert_exactly_once, enqueue, packed_session

    import packstation.sandbox as sandbox_package
    from packstation.omnium.client import OmniumClient
    from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from packstation.sandbox.server import SandboxServer

    default = Path(sandbox_package.__file__).with_name("default_workflows.toml").read_text()
    config = tmp_path / "instant.toml"
    config.write_text(default.replace("latencyScale = 1.0", "latencyScale = 0.0"))
    order_ids = ["ORD-1001", "ORD-1002", "ORD-1003", "ORD-1004", "ORD-1024", "ORD-1025"]
    rng = random.Random(6)
    data_dir = tmp_path / "station"
    with SandboxServer(tmp_path / "sandbox", config_path=config) as server:

        async def with_client(fn):  # type: ignore[no-untyped-def]
            async with OmniumClient(server.url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) as client:
                return await fn(client)

        async def read_orders(client):  # type: ignore[no-untyped-def]
            return [await client.get_order(o) for o in order_ids]

        befores = asyncio.run(with_client(read_orders))
        plans = []
        with StationStore.open(data_dir) as store:
            for order in befores:
                scans = [
                    line.code or ""
                    for line in order.order_form.shipments[0].line_items
                    for _ in range(int(line.quantity))
                ]
                # Straight to Ship, whose workflow tells the customer once per run: the
                # messages counted below show that no delivery ran twice.
                session = packed_session(order, scans, rules=SHIP_RULES)
                plans.append((session, enqueue(store, session)[1]))
        kills = 0
        done = False
        while not done:
            assert kills < 20
            proc = subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__).with_name("send_driver.py")),
                    str(data_dir),
                    server.url,
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            assert proc.stdout is not None and proc.stderr is not None
            kill_after = rng.randint(1, 6) if kills < 4 else None
            for seen, line in enumerate(proc.stdout, start=1):
                if line.startswith("ALL DONE"):
                    done = True
                    break
                assert line.startswith("P "), line + proc.stderr.read()
                if kill_after is not None and seen >= kill_after:
                    time.sleep(rng.random() * 0.01)
                    os.kill(proc.pid, signal.SIGKILL)
                    kills += 1
                    break
            proc.wait(timeout=60)
            proc.stdout.close()
            proc.stderr.close()
        assert kills == 4

        async def notifications(client):  # type: ignore[no-untyped-def]
            token = await client.get_token()
            import httpx

            counts = {}
            async with httpx.AsyncClient(base_url=server.url) as http:
                for order_id in order_ids:
                    answer = await http.get(
                        "/sandbox/notifications",
                        params={"orderId": order_id},
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    counts[order_id] = len(answer.json())
            return counts, await read_orders(client)

        counts, afters = asyncio.run(with_client(notifications))
    # One full delivery per order: its workflow ran exactly once (one customer message).
    assert counts == dict.fromkeys(order_ids, 1)
    for before, after, (session, plan) in zip(befores, afters, plans, strict=True):
        assert_exactly_once(before, after, session, plan)
    with StationStore.open(data_dir) as store:
        assert store.outbox.pending_count() == 0
        assert {s.state for s in store.outbox.list()} == {"done"}
