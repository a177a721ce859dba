"""Exactly-once against a real sandbox server on loopback, with the faults of issue 6.

Each test ends with every packed unit delivered exactly once and every package present once,
and counts the workflow writes the server applied (no request applied twice).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from station_sandbox import (
    Fault,
    FaultTransport,
    Recorder,
    assert_exactly_once,
    enqueue,
    packed_session,
)

from packstation.omnium.client import OmniumClient
from packstation.omnium.models import OmniumOrder
from packstation.packing.decisions import Decision
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.sandbox.server import SandboxServer
from packstation.station.progress import SubmitPhase, SubmitProgress, WaitReason
from packstation.station.retry_policy import RetryPolicy
from packstation.station.sender import SubmitSender
from packstation.station.store import StationStore

POLICY = RetryPolicy(
    base_delay=0.05, max_delay=0.2, jitter=0.2, max_conflicts=200, settle_delay=0.05
)
ORDER = "ORD-1003"
SCANS = ["NH-1002", "NH-1006"]  # line 1 half packed (rest kept), line 2 packed
DECISIONS = {"4": Decision.SPLIT}  # split request first, then the new partial shipment


@dataclass
class Live:
    """A running sandbox server, a store and a client over real HTTP with a fault wrapper."""

    server: SandboxServer
    store: StationStore
    faults: FaultTransport
    client: OmniumClient

    async def admin(self, body: dict[str, Any]) -> None:
        token = await self.client.get_token()
        async with httpx.AsyncClient(base_url=self.server.url) as http:
            answer = await http.post(
                "/sandbox/faults", json=body, headers={"Authorization": f"Bearer {token}"}
            )
        assert answer.status_code < 300, answer.text

    async def notifications(self) -> list[dict[str, Any]]:
        token = await self.client.get_token()
        async with httpx.AsyncClient(base_url=self.server.url) as http:
            answer = await http.get(
                "/sandbox/notifications",
                params={"orderId": ORDER},
                headers={"Authorization": f"Bearer {token}"},
            )
        assert answer.status_code == 200, answer.text
        data = answer.json()
        assert isinstance(data, list)
        return data


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SandboxServer]:
    srv = SandboxServer(tmp_path / "sandbox")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
async def live(server: SandboxServer, tmp_path: Path) -> AsyncIterator[Live]:
    faults = FaultTransport(httpx.AsyncHTTPTransport())
    with StationStore.open(tmp_path / "station") as store:
        async with OmniumClient(
            server.url,
            DEMO_CLIENT_ID,
            DEMO_CLIENT_SECRET,
            transport=faults,
            timeout=5.0,
            connect_timeout=1.0,
        ) as client:
            yield Live(server, store, faults, client)


async def _prepare(live: Live) -> tuple[OmniumOrder, Any, int, Any]:
    before = await live.client.get_order(ORDER)
    session = packed_session(before, SCANS, decisions=DECISIONS)
    submit_id, plan = enqueue(live.store, session)
    assert len(plan.requests) == 2
    return before, session, submit_id, plan


async def _check(live: Live, before: OmniumOrder, session: Any, plan: Any) -> None:
    after = await live.client.get_order(ORDER)
    assert_exactly_once(before, after, session, plan)
    assert live.faults.applied_writes == len(plan.requests)
    assert live.store.outbox.pending_count() == 0
    # The split's InProgress run notifies the customer once (PackedAndReady tells nobody yet): a
    # second run would show as a duplicate.
    messages = [n["message"] for n in await live.notifications()]
    assert [r.status for r in plan.requests] == ["InProgress", "PackedAndReady"]
    assert len(messages) == 1


async def test_server_stopped_during_submit_and_started_later(live: Live) -> None:
    before, session, submit_id, plan = await _prepare(live)
    waits: list[SubmitProgress] = []
    stopped = asyncio.Event()

    def on_progress(progress: SubmitProgress) -> None:
        if progress.message == "sending request 2/2" and not stopped.is_set():
            live.server.stop()  # between the two requests of the submit
            stopped.set()
        if progress.phase is SubmitPhase.WAITING:
            waits.append(progress)

    sender = SubmitSender(live.store, live.client, POLICY)
    task = asyncio.create_task(sender.send(submit_id, on_progress))
    for _ in range(500):
        await asyncio.sleep(0.02)
        if len(waits) >= 3:
            break
    assert stopped.is_set() and not task.done()
    assert all(w.reason is WaitReason.UNREACHABLE for w in waits)
    assert live.store.outbox.pending_count() == 1
    await asyncio.to_thread(live.server.start)  # same port, same data dir
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.state == "done"
    await _check(live, before, session, plan)


async def test_server_dies_after_applying_and_comes_back(live: Live) -> None:
    """The answer is lost because the server went down right after applying the delivery."""
    before, session, submit_id, plan = await _prepare(live)
    live.faults.add(Fault("OrderLinesUpdate", "pass"))
    live.faults.add(Fault("OrderLinesUpdate", "drop_after", after_forward=live.server.stop))
    waits: list[SubmitProgress] = []

    def on_progress(progress: SubmitProgress) -> None:
        if progress.phase is SubmitPhase.WAITING:
            waits.append(progress)

    task = asyncio.create_task(
        SubmitSender(live.store, live.client, POLICY).send(submit_id, on_progress)
    )
    for _ in range(500):
        await asyncio.sleep(0.02)
        if len([w for w in waits if w.reason is WaitReason.UNREACHABLE]) >= 2:
            break
    assert not task.done()
    assert WaitReason.UNREACHABLE in {w.reason for w in waits}
    await asyncio.to_thread(live.server.start)
    outcome = await asyncio.wait_for(task, 30)
    assert outcome.state == "done" and outcome.reconciled
    outcomes = [(a["action"], a["outcome"]) for a in live.store.outbox.attempts(submit_id)]
    assert outcomes[1] == ("send", "unknown")
    assert outcomes[-1] == ("reconcile", "landed")
    await _check(live, before, session, plan)


async def test_server_gone_for_a_restart_of_the_station_too(live: Live, tmp_path: Path) -> None:
    """The station is closed while the server is down; on restart resume_pending finishes."""
    before, session, submit_id, plan = await _prepare(live)
    live.server.stop()
    sender = SubmitSender(live.store, live.client, POLICY)
    task = asyncio.create_task(sender.send(submit_id))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    live.store.close()
    await asyncio.to_thread(live.server.start)
    with StationStore.open(tmp_path / "station") as reopened:
        assert reopened.outbox.pending_count() == 1
        outcomes = await SubmitSender(reopened, live.client, POLICY).resume_pending()
        assert [o.state for o in outcomes] == ["done"]
        live.store = reopened
        await _check(live, before, session, plan)


@pytest.mark.parametrize("request_no", [1, 2])
async def test_connection_dropped_after_the_server_applied(live: Live, request_no: int) -> None:
    before, session, submit_id, plan = await _prepare(live)
    if request_no == 2:
        live.faults.add(Fault("OrderLinesUpdate", "pass"))
    live.faults.add(Fault("OrderLinesUpdate", "drop_after"))
    recorder = Recorder()
    outcome = await SubmitSender(live.store, live.client, POLICY).send(submit_id, recorder)
    assert outcome.state == "done" and outcome.reconciled
    assert any(r.phase is SubmitPhase.RECONCILING for r in recorder.reports)
    await _check(live, before, session, plan)


async def test_order_locked_for_a_while(live: Live) -> None:
    before, session, submit_id, plan = await _prepare(live)
    await live.admin({"kind": "lock", "orderId": ORDER, "seconds": 1.0})
    recorder = Recorder()
    outcome = await SubmitSender(live.store, live.client, POLICY).send(submit_id, recorder)
    assert outcome.state == "done"
    locked = [r for r in recorder.reports if r.reason is WaitReason.LOCKED]
    assert len(locked) >= 2
    assert all("next try at" in r.message and r.next_try_at for r in locked)
    await _check(live, before, session, plan)


async def test_token_expired_once(live: Live) -> None:
    before, session, submit_id, plan = await _prepare(live)
    await live.admin({"kind": "expire_tokens"})
    outcome = await SubmitSender(live.store, live.client, POLICY).send(submit_id)
    assert outcome.state == "done"
    statuses = [entry[2] for entry in live.faults.log if "OrderLinesUpdate" in entry[1]]
    assert statuses[0] == 401  # refused once, renewed by the client, then applied
    await _check(live, before, session, plan)


async def test_server_errors_without_applying(live: Live) -> None:
    before, session, submit_id, plan = await _prepare(live)
    await live.admin({"kind": "server_error", "orderId": ORDER, "count": 2})
    outcome = await SubmitSender(live.store, live.client, POLICY).send(submit_id)
    assert outcome.state == "done" and not outcome.reconciled
    await _check(live, before, session, plan)


async def test_timeout_while_the_server_is_still_working(tmp_path: Path) -> None:
    """The client gives up before a slow workflow ends; the resend meets the lock; no double run."""
    import packstation.sandbox as sandbox_package

    default = Path(sandbox_package.__file__).with_name("default_workflows.toml").read_text()
    assert "latencyScale = 1.0" in default
    config = tmp_path / "slow.toml"
    config.write_text(default.replace("latencyScale = 1.0", "latencyScale = 5.0"))
    server = SandboxServer(tmp_path / "slow-sandbox", config_path=config)
    server.start()
    try:
        faults = FaultTransport(httpx.AsyncHTTPTransport())
        with StationStore.open(tmp_path / "station") as store:
            async with OmniumClient(
                server.url,
                DEMO_CLIENT_ID,
                DEMO_CLIENT_SECRET,
                transport=faults,
                timeout=0.6,
                connect_timeout=1.0,
            ) as client:
                live = Live(server, store, faults, client)
                before, session, submit_id, plan = await _prepare(live)
                recorder = Recorder()
                outcome = await SubmitSender(store, client, POLICY).send(submit_id, recorder)
                assert outcome.state == "done" and outcome.reconciled
                attempts = [(a["action"], a["outcome"]) for a in store.outbox.attempts(submit_id)]
                assert ("send", "unknown") in attempts  # the read timeout
                assert attempts[-1] == ("reconcile", "landed")
                after = await client.get_order(ORDER)
                assert_exactly_once(before, after, session, plan)
                messages = [n["message"] for n in await live.notifications()]
                assert len(messages) == 1  # the InProgress split notifies once; no second run
    finally:
        server.stop()
