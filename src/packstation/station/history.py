"""The audit history: who packed what, when, with which result, as a readable table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from packstation.i18n import N_, _, datetime_text, ngettext
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
        return _("pending (not yet confirmed by Omnium)")
    if submit.state == "failed":
        return _("FAILED: {reason}").format(reason=submit.error)
    aborted = [r for r in results if r.aborted]
    if aborted:
        # Omnium's step name and reason are shown as Omnium sent them.
        failing = aborted[0].failing_step
        if failing and failing.reason:
            text = _("ABORTED at {step}: {reason}")
            return text.format(step=failing.name, reason=failing.reason)
        if failing:
            return _("ABORTED at {step}").format(step=failing.name)
        return _("ABORTED")
    if any(r.reconciled for r in results):
        return _("done (confirmed by re-reading the order)")
    return _("done")


def _submit_what(submit: SubmitSummary) -> str:
    count = submit.package_count
    if "split" in submit.kinds:
        text = ngettext("packed {count} package, split", "packed {count} packages, split", count)
    else:
        text = ngettext("packed {count} package", "packed {count} packages", count)
    return text.format(count=count)


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
            outcome = _("FAILED: {reason}").format(reason=action.error)
        elif action.result_id is not None:
            record = store.results.get(action.result_id)
            packed_by = record.packer
            failing = record.failing_step
            if record.aborted and failing:
                outcome = _("ABORTED at {step}").format(step=failing.name)
            elif record.aborted:
                outcome = _("ABORTED")
            elif action.action == "rerun":
                outcome = _("workflow ran")
            else:
                outcome = _("status set")
        else:
            outcome = _("noted")
        # The packer stays the packer: the supervisor is named beside them.
        if packed_by:
            who = _("{supervisor} (supervisor), packed by {packer}").format(
                supervisor=action.supervisor, packer=packed_by
            )
        else:
            who = _("{supervisor} (supervisor)").format(supervisor=action.supervisor)
        rows.append(
            HistoryRow(
                when=action.at,
                order_id=action.order_id,
                shipment=action.shipment_id or "",
                who=who,
                # The detail is stored as it was written (a supervisor's note, or the action
                # in the language of the day it was recorded): shown as stored.
                what=(
                    _("reviewed: {detail}").format(detail=action.detail or "")
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
    """The rows as an aligned text table (times in local time, in the language's form)."""
    headers = tuple(_(h) for h in HEADERS)
    cells = [
        (
            datetime_text(r.when.astimezone(), seconds=True),
            r.order_id,
            r.shipment,
            r.who,
            r.what,
            r.result,
        )
        for r in rows
    ]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headers)]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(headers), line(tuple("-" * w for w in widths))]
    out.extend(line(c) for c in cells)
    return "\n".join(out)
