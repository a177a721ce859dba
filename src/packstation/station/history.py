"""The audit history: who packed what, when, with which result, as a readable table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from packstation.i18n import N_
from packstation.station.clock import to_text
from packstation.station.outbox import SubmitSummary
from packstation.station.results import ResultRecord
from packstation.station.store import StationStore
from packstation.station.supervisor_actions import actions


@dataclass(frozen=True)
class HistoryRow:
    """One line of the history: a submit or a supervisor action."""

    when: datetime
    order_id: str
    shipment: str
    who: str
    what: str
    result: str


def _submit_result(submit: SubmitSummary, results: list[ResultRecord]) -> str:
    if submit.state == "pending":
        return "pending (not yet confirmed by Omnium)"
    if submit.state == "failed":
        return f"FAILED: {submit.error}"
    aborted = [r for r in results if r.aborted]
    if aborted:
        failing = aborted[0].failing_step
        where = f" at {failing.name}" if failing else ""
        reason = f": {failing.reason}" if failing and failing.reason else ""
        return f"ABORTED{where}{reason}"
    if any(r.reconciled for r in results):
        return "done (confirmed by re-reading the order)"
    return "done"


def _submit_what(submit: SubmitSummary) -> str:
    packages = submit.package_count
    parts = [f"{packages} package{'s' if packages != 1 else ''}"]
    if "split" in submit.kinds:
        parts.append("split")
    return "packed " + ", ".join(parts)


def history_rows(
    store: StationStore, order_id: str | None = None, since: datetime | None = None
) -> list[HistoryRow]:
    """Submits and supervisor actions, oldest first, optionally for one order / since a time."""
    rows: list[HistoryRow] = []
    since_text = to_text(since) if since else None
    # One query for every submit's results, not one per submit (quadratic over a long history).
    by_submit: dict[int, list[ResultRecord]] = {}
    for record in store.results.list(order_id=order_id, since=since):
        if record.submit_id is not None:
            by_submit.setdefault(record.submit_id, []).append(record)
    for submit in store.outbox.summaries(order_id=order_id, since=since_text):
        results = by_submit.get(submit.submit_id, [])
        targets = list(dict.fromkeys(submit.targets))
        rows.append(
            HistoryRow(
                when=submit.created_at,
                order_id=submit.order_id,
                shipment=" + ".join(targets),
                who=submit.packer,
                what=_submit_what(submit),
                result=_submit_result(submit, results),
            )
        )
    for action in actions(store, order_id):
        if since_text and to_text(action.at) < since_text:
            continue
        packed_by = None
        if action.error:
            outcome = f"FAILED: {action.error}"
        elif action.result_id is not None:
            record = store.results.get(action.result_id)
            packed_by = record.packer
            failing = record.failing_step
            outcome = (
                f"ABORTED at {failing.name}"
                if record.aborted and failing
                else (
                    "ABORTED"
                    if record.aborted
                    else "workflow ran"
                    if action.action == "rerun"
                    else "status set"
                )
            )
        else:
            outcome = "noted"
        rows.append(
            HistoryRow(
                when=action.at,
                order_id=action.order_id,
                shipment=action.shipment_id or "",
                # The packer stays the packer: the supervisor is named beside them.
                who=f"{action.supervisor} (supervisor)"
                + (f", packed by {packed_by}" if packed_by else ""),
                what=(
                    f"reviewed: {action.detail or ''}"
                    if action.action == "review"
                    else action.detail or action.action
                ),
                result=outcome,
            )
        )
    rows.sort(key=lambda r: r.when)
    return rows


HEADERS = (N_("When"), N_("Order"), N_("Shipment"), N_("Who"), N_("What"), N_("Result"))
"""The history's columns (English; the desk shows them translated)."""


def format_table(rows: list[HistoryRow]) -> str:
    """The rows as an aligned text table (times in local time)."""
    cells = [
        (
            r.when.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            r.order_id,
            r.shipment,
            r.who,
            r.what,
            r.result,
        )
        for r in rows
    ]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(HEADERS)]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(HEADERS), line(tuple("-" * w for w in widths))]
    out.extend(line(c) for c in cells)
    return "\n".join(out)
