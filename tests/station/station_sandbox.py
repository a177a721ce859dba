"""Test plumbing for the sender: the sandbox in-process, a fault-injecting transport, packing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx

from packstation.labels.sscc import SsccAllocator
from packstation.omnium.client import OmniumClient
from packstation.omnium.models import OmniumOrder
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.plan import SubmissionPlan, plan_submission
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession
from packstation.station.progress import SubmitProgress
from packstation.station.retry_policy import RetryPolicy
from packstation.station.sender import SubmitSender
from packstation.station.store import StationStore

FAST = RetryPolicy(  # only used with the recording (non-waiting) sleep
    base_delay=0.01, max_delay=0.05, jitter=0.1, queued_delay=0.01, settle_delay=5.0
)
"""Short delays for tests."""


@dataclass
class Fault:
    """What to do to the next request that matches (`path_part` in the path, `method`)."""

    path_part: str
    action: str
    """'answer' (status without forwarding), 'drop_after' (forward, then ReadError),
    'refuse' (ConnectError without forwarding), 'time_out' (ReadTimeout without forwarding),
    'pass' (forward untouched: skips one)."""
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    detail: str = "injected"
    method: str = "POST"
    after_forward: Callable[[], None] | None = None
    """Run after the server answered and before the drop (e.g. stop the server)."""

    def matches(self, request: httpx.Request) -> bool:
        """True if this fault applies to the request."""
        return request.method == self.method and self.path_part in request.url.path


class FaultTransport(httpx.AsyncBaseTransport):
    """Wraps a transport; applies scripted faults in order; counts applied workflow writes."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.script: list[Fault] = []
        self.log: list[tuple[str, str, int | str]] = []
        self.applied_writes = 0
        """Workflow writes the server answered 2xx (whether or not the answer arrived)."""

    def add(self, *faults: Fault) -> None:
        """Queue faults."""
        self.script.extend(faults)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        fault = next((f for f in self.script if f.matches(request)), None)
        if fault is not None:
            self.script.remove(fault)
            if fault.action == "answer":
                self.log.append((request.method, request.url.path, fault.status))
                return httpx.Response(
                    fault.status,
                    json={"title": "fault", "status": fault.status, "detail": fault.detail},
                    headers={"content-type": "application/problem+json", **fault.headers},
                )
            if fault.action == "refuse":
                self.log.append((request.method, request.url.path, "refused"))
                raise httpx.ConnectError("connection refused (injected)", request=request)
            if fault.action == "time_out":
                self.log.append((request.method, request.url.path, "timed out"))
                raise httpx.ReadTimeout("no answer in time (injected)", request=request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if response.is_success and _is_write(request):
            self.applied_writes += 1
        if fault is not None and fault.action == "drop_after":
            if fault.after_forward is not None:
                fault.after_forward()
            self.log.append((request.method, request.url.path, "dropped"))
            await response.aclose()
            raise httpx.ReadError("connection dropped after the server answered", request=request)
        self.log.append((request.method, request.url.path, response.status_code))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _is_write(request: httpx.Request) -> bool:
    return request.method == "POST" and (
        request.url.path.endswith("/OrderLinesUpdate") or request.url.path.endswith("/UpdateStatus")
    )


def packed_session(
    order: OmniumOrder,
    scans: Iterable[str],
    *,
    packer: str = "P7",
    decisions: dict[str, Decision | tuple[Decision, SplitTarget]] | None = None,
    rules: PackingRules | None = None,
) -> PackingSession:
    """A session with the scans applied, a weight on every package and the decisions set."""
    session = PackingSession(order, rules or PackingRules(warehouse="WH-OSLO"))
    for raw in [f"USER-{packer}", *scans]:
        outcome = session.handle_scan(raw)
        assert outcome.ok, outcome.message
    for view in session.packages():
        assert session.set_weight(Decimal("1.5"), view.package_no).ok
    for line_id, decision in (decisions or {}).items():
        if isinstance(decision, tuple):
            assert session.set_decision(line_id, decision[0], decision[1]).ok
        else:
            assert session.set_decision(line_id, decision).ok
    return session


def enqueue(store: StationStore, session: PackingSession) -> tuple[int, SubmissionPlan]:
    """Plan the session's submit with real SSCCs from the store and put it in the outbox."""
    allocator = SsccAllocator("7012345", "01", store.next_sscc_serial)
    plan = plan_submission(session, sscc=allocator.allocate)
    packer = session.packer_id
    assert packer is not None
    submit_id = store.outbox.enqueue(
        plan.order_id,
        list(plan.requests),
        packer=packer,
        source_shipment_id=plan.source_shipment_id,
    )
    return submit_id, plan


def assert_exactly_once(
    before: OmniumOrder, after: OmniumOrder, session: PackingSession, plan: SubmissionPlan
) -> None:
    """Each packed unit delivered once, each package present once, order totals consistent."""
    package_ids = [p.id for s in after.order_form.shipments for p in s.packages]
    for package in plan.packages:
        assert package_ids.count(package.id) == 1, package.id
    for view in session.lines():
        delivered_before = before.line(view.line_item_id).delivered_quantity  # type: ignore[union-attr]
        total = after.line(view.line_item_id)
        assert total is not None
        assert total.delivered_quantity == delivered_before + view.packed, view.line_item_id
        in_shipments = sum(
            (
                line.delivered_quantity
                for s in after.order_form.shipments
                for line in s.line_items
                if line.line_item_id == view.line_item_id
            ),
            Decimal(0),
        )
        assert in_shipments == total.delivered_quantity
        units = sum(
            (
                line.quantity
                for s in after.order_form.shipments
                for line in s.line_items
                if line.line_item_id == view.line_item_id
            ),
            Decimal(0),
        )
        assert units == total.quantity, f"line {view.line_item_id} units duplicated or lost"


class Recorder:
    """Collects progress reports and the delays the sender slept."""

    def __init__(self) -> None:
        self.reports: list[SubmitProgress] = []
        self.delays: list[float] = []

    def __call__(self, progress: SubmitProgress) -> None:
        self.reports.append(progress)

    async def sleep(self, delay: float) -> None:
        """A sleep that records and yields without waiting."""
        self.delays.append(delay)
        await asyncio.sleep(0)

    @property
    def messages(self) -> list[str]:
        """Every message, in order."""
        return [r.message for r in self.reports]


def first(items: Iterable[Any], pred: Callable[[Any], bool]) -> Any:
    """The first item matching."""
    return next(i for i in items if pred(i))


@dataclass
class Rig:
    """A store, a sandbox behind a fault transport, a client and a sender."""

    store: StationStore
    faults: FaultTransport
    client: OmniumClient
    recorder: Recorder

    def sender(self, policy: RetryPolicy = FAST) -> SubmitSender:
        return SubmitSender(self.store, self.client, policy, sleep=self.recorder.sleep)
