"""The supervisor desk's cases: what a supervisor should look at, and their reviews.

Cases come from this station's store (aborted workflow results, failed submits, SSCC
conflicts) and from Omnium (orders with errors, through search). The actions taken on them
are in `supervisor_actions`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder
from packstation.omnium.search import OrderSearchRequest, OrderSearchResult
from packstation.station.clock import from_text
from packstation.station.results import ResultRecord, StepView
from packstation.station.ssccs import recorded_conflicts
from packstation.station.store import StationStore

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class CaseSearchClient(Protocol):
    """What the case list needs of `OmniumClient`."""

    async def search_orders(self, request: OrderSearchRequest) -> OrderSearchResult:
        """Search orders."""
        ...


@dataclass(frozen=True)
class Review:
    """A supervisor's note that a case was looked at."""

    supervisor: str
    note: str
    reviewed_at: datetime


@dataclass(frozen=True)
class SupervisorCase:
    """One thing a supervisor should look at."""

    key: str
    """Stable id of the case (reviews are stored against it)."""
    source: str
    """'station' (this station's results/outbox) or 'omnium' (an order with errors)."""
    kind: str
    """'aborted' (a workflow aborted), 'failed_submit', 'order_errors' or 'sscc_conflict'."""
    order_id: str
    shipment_id: str | None
    steps: list[StepView]
    packer: str | None
    packed_at: datetime | None
    error: str | None
    """One line saying what went wrong."""
    submit_id: int | None = None
    result_id: int | None = None
    review: Review | None = None
    shipment_status: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    also_keys: tuple[str, ...] = ()
    """Keys of cases folded into this one (Omnium's errors on the same order)."""
    omnium_errors: tuple[StepView, ...] = ()
    """The errors Omnium holds on the order, when its case was folded into this one."""
    supervisor: str | None = None
    """Who ran the latest result (a rerun or a status set); the packer stays `packer`."""
    supervised_at: datetime | None = None
    supervisor_action: str | None = None
    """'rerun' or 'set_status': what the supervisor did last on this case."""

    @property
    def sources(self) -> str:
        """Where the case comes from: 'station', 'omnium' or 'station+omnium'."""
        return f"{self.source}+omnium" if self.also_keys else self.source

    @property
    def keys(self) -> tuple[str, ...]:
        """This case's key and those folded into it (a review covers them all)."""
        return (self.key, *self.also_keys)

    @property
    def reviewed(self) -> bool:
        """True once a supervisor marked it reviewed."""
        return self.review is not None


def _reviews(store: StationStore) -> dict[str, Review]:
    with store.reading() as conn:
        rows = conn.execute("SELECT case_key, supervisor, note, reviewed_at FROM reviews")
        return {r[0]: Review(r[1], r[2], from_text(r[3])) for r in rows.fetchall()}


def _abort_text(record: ResultRecord) -> str:
    failing = record.failing_step
    if failing is None:
        return _("workflow aborted")
    if failing.reason:
        return _("workflow aborted at {step}: {reason}").format(
            step=failing.name, reason=failing.reason
        )
    return _("workflow aborted at {step}").format(step=failing.name)


def _still_applies(review: Review | None, since: datetime) -> Review | None:
    """A review covers what was recorded up to it: a later abort reopens the case."""
    return review if review is not None and review.reviewed_at >= since else None


def station_cases(store: StationStore, *, include_reviewed: bool = False) -> list[SupervisorCase]:
    """Aborted workflows, failed submits and SSCC conflicts of this station, oldest first.

    Only the latest result of each order's shipment counts: an aborted workflow stops being a
    case once a later run (e.g. a supervisor's rerun) did not abort. A rerun that aborts again
    continues the same case (same key, the new steps); who packed it and when never change.
    """
    reviews = _reviews(store)
    # Only the results that make cases are read (by the indexes), not the whole history.
    failed = store.outbox.list(state="failed")
    by_submit: dict[int, list[ResultRecord]] = {}
    for record in store.results.of_submits([s.submit_id for s in failed]):
        if record.submit_id is not None:
            by_submit.setdefault(record.submit_id, []).append(record)
    cases: list[SupervisorCase] = []
    latest = store.results.latest_aborted()
    origins = store.results.abort_origins([r.result_id for r in latest])
    for record in latest:
        origin = origins.get(record.result_id)
        key = f"result:{origin.first_id if origin else record.result_id}"
        by_supervisor = record.kind != "submit"
        review = reviews.get(key) or reviews.get(f"result:{record.result_id}")
        cases.append(
            SupervisorCase(
                key=key,
                source="station",
                kind="aborted",
                order_id=record.order_id,
                shipment_id=record.shipment_id,
                steps=record.steps,
                packer=(origin.packer if origin else None)
                or record.packer
                or (None if by_supervisor else record.user_id),
                packed_at=(origin.packed_at if origin else None)
                or (None if by_supervisor else record.recorded_at),
                error=_abort_text(record),
                submit_id=record.submit_id,
                result_id=record.result_id,
                review=_still_applies(review, record.recorded_at),
                supervisor=record.user_id if by_supervisor else None,
                supervised_at=record.recorded_at if by_supervisor else None,
                supervisor_action=record.kind if by_supervisor else None,
            )
        )
    for submit in failed:
        key = f"submit:{submit.submit_id}"
        steps = [s for r in by_submit.get(submit.submit_id, []) for s in r.steps]
        failed_seq = next((r.seq for r in submit.requests if r.state == "failed"), None)
        target = next(
            (r.target_shipment_id for r in submit.requests if r.seq == failed_seq),
            submit.source_shipment_id,
        )
        cases.append(
            SupervisorCase(
                key=key,
                source="station",
                kind="failed_submit",
                order_id=submit.order_id,
                shipment_id=target,
                steps=steps,
                packer=submit.packer,
                packed_at=submit.created_at,
                error=_("submit failed: {reason}").format(reason=submit.error),
                submit_id=submit.submit_id,
                review=reviews.get(key),
                extra={"failed_request": failed_seq, "requests": submit.request_count},
            )
        )
    for conflict in recorded_conflicts(store):
        key = f"sscc:{conflict.conflict_id}"
        cases.append(
            SupervisorCase(
                key=key,
                source="station",
                kind="sscc_conflict",
                order_id=conflict.order_id,
                shipment_id=conflict.shipment_id,
                steps=[],
                packer=None,
                packed_at=conflict.seen_at,
                error=conflict.message,
                review=reviews.get(key),
                extra={"sscc": conflict.sscc, "issued_for": conflict.issued_for},
            )
        )
    cases.sort(key=lambda c: (c.packed_at or _EPOCH, c.key))
    return [c for c in cases if include_reviewed or c.review is None]


def _errors_digest(order: OmniumOrder) -> str:
    payload = json.dumps([e.to_json_dict() for e in order.errors], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


async def omnium_cases(
    client: CaseSearchClient,
    store: StationStore,
    *,
    take: int = 50,
    include_reviewed: bool = False,
) -> list[SupervisorCase]:
    """Orders with errors in Omnium (search `hasErrors`), with who packed them here, if known."""
    found = await client.search_orders(OrderSearchRequest(has_errors=True, take=take))
    reviews = _reviews(store)
    cases: list[SupervisorCase] = []
    for order in found.result:
        if not order.errors:
            continue
        key = f"omnium:{order.id}:{_errors_digest(order)}"
        ours = store.results.list(order_id=order.id)
        last = ours[-1] if ours else None
        packed = next((r for r in reversed(ours) if r.kind == "submit"), None)
        shipment_id = last.shipment_id if last else None
        shipment = order.shipment(shipment_id) if shipment_id else None
        if shipment is None and len(order.order_form.shipments) == 1:
            shipment = order.order_form.shipments[0]
        steps = [
            StepView(name=e.key or "?", status=e.severity or "Error", reason=e.message)
            for e in order.errors
        ]
        first_line = order.errors[-1]
        cases.append(
            SupervisorCase(
                key=key,
                source="omnium",
                kind="order_errors",
                order_id=order.id,
                shipment_id=shipment.shipment_id if shipment else shipment_id,
                steps=steps,
                packer=(packed or last).packer if last else None,
                packed_at=packed.recorded_at if packed else None,
                error=f"{first_line.key or 'error'}: {first_line.message or ''}".strip(),
                result_id=last.result_id if last else None,
                review=reviews.get(key),
                shipment_status=shipment.order_status if shipment else order.status,
            )
        )
    return [c for c in cases if include_reviewed or c.review is None]


def merge_cases(
    station: Iterable[SupervisorCase], omnium: Iterable[SupervisorCase]
) -> list[SupervisorCase]:
    """One row per problem: Omnium's errors on an order this station has a case for join it.

    An aborted booking shows up twice otherwise: as this station's aborted workflow and as
    the error Omnium records on the order. The station's case (with its steps and packer)
    carries Omnium's errors; a review of it covers both.
    """
    merged = list(station)
    latest = {case.order_id: i for i, case in enumerate(merged)}
    for case in omnium:
        i = latest.get(case.order_id)
        if i is None:
            merged.append(case)
            continue
        host = merged[i]
        merged[i] = replace(
            host,
            also_keys=(*host.also_keys, case.key),
            omnium_errors=(*host.omnium_errors, *case.steps),
        )
    return merged
