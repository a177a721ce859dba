"""The packer's path as plain async steps the screens call: open, journal, submit, track.

Each job has one way in: packing decides (PackingSession), the station store remembers
(journal, outbox), the station sender sends. This module only sequences them off the event
loop and turns their errors into the plain sentences the screens show.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from packstation.i18n import _, ngettext
from packstation.labels.sscc import SsccAllocator, WarehouseSsccAllocator
from packstation.omnium.errors import (
    BadRequest,
    Forbidden,
    OmniumError,
    OmniumUnavailable,
    OrderNotFound,
    Unauthorized,
)
from packstation.omnium.models import OmniumOrder
from packstation.omnium.workflow import UpdateLineItemStatusPatch
from packstation.packing.errors import OrderNotPackable, OrderQueued
from packstation.packing.events import event_to_dict
from packstation.packing.outcome import Outcome
from packstation.packing.plan import plan_submission
from packstation.packing.rules import PackingRules
from packstation.packing.scan import RejectKind
from packstation.packing.session import PackingSession
from packstation.packing.status_check import order_type_problem
from packstation.station import booking_waits, follow_ups
from packstation.station.errors import JournalWriteFailed, SubmitNotRecorded, disk_full
from packstation.station.heap import return_freed_memory
from packstation.station.progress import SubmitPhase, SubmitProgress
from packstation.station.queue import read_queue
from packstation.station.refusals import record_refusals
from packstation.station.ssccs import SsccConflict, find_conflicts, report, unused_ssccs
from packstation.station.submit_outcome import SubmitOutcome
from packstation.tui.after_answer import (
    carrier_labels_after_answer,
    end_wait,
    follow_after_answer,
)
from packstation.tui.alerts import submit_alert
from packstation.tui.follow_up import close_follow_up, print_once
from packstation.tui.held_documents import held_message
from packstation.tui.labels import reprint_order_labels
from packstation.tui.packing_slips import print_packing_slips
from packstation.tui.pickup_slips import is_pickup_order, print_pickup_slip
from packstation.tui.station import Station
from packstation.tui.tracker import SubmitTracker
from packstation.tui.will_run import will_run_text
from packstation.tui.wording import qty


class OpenOrderError(Exception):
    """An order that cannot be packed here, with the plain message for the packer."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def rules_for(app: Station) -> PackingRules:
    """The packing rules from the station's settings."""
    return PackingRules.from_settings(app.settings)


def explain_omnium_error(err: OmniumError, order_id: str, url: str) -> OpenOrderError:
    """One plain sentence per way reading an order can fail."""
    if isinstance(err, OrderNotFound):
        return OpenOrderError(
            _("Order {order_id} does not exist (404).").format(order_id=order_id),
            "not-found",
        )
    if isinstance(err, Forbidden):
        return OpenOrderError(
            _("This station is not allowed to open order {order_id} (403): {reason}").format(
                order_id=order_id, reason=err.message
            ),
            "forbidden",
        )
    if isinstance(err, BadRequest) and err.queued:
        return OpenOrderError(
            _(
                "Order {order_id} is queued in Omnium and cannot be changed yet. "
                "Scan it again in a moment."
            ).format(order_id=order_id),
            "queued",
        )
    if isinstance(err, OmniumUnavailable):
        return OpenOrderError(
            _("Omnium at {url} does not answer: {reason}").format(url=url, reason=err.message),
            "unreachable",
        )
    if isinstance(err, Unauthorized):
        return OpenOrderError(
            _("Omnium refused the station's credentials: {reason}").format(reason=err.message),
            "auth",
        )
    return OpenOrderError(
        _("Could not read order {order_id}: {reason}").format(order_id=order_id, reason=err),
        "error",
    )


async def load_packable_order(app: Station, order_id: str) -> PackingSession:
    """Read the order and build a packing session for this warehouse, or raise OpenOrderError."""
    try:
        order = await app.client.get_order(order_id)
    except OmniumError as err:
        raise explain_omnium_error(err, order_id, app.client.base_url) from err
    await check_foreign_ssccs(app, order)
    rules = rules_for(app)
    problem = order_type_problem(rules, app.services.order_types, order.order_type)
    if problem is not None:
        # Before the packer scans anything: every submit of this order would be refused, or
        # run a workflow the warehouse never chose. The banner tells the packer; the toast
        # gives the supervisor the statuses and the setting.
        if problem.statuses:
            note = _(
                "Order {order_id}: {problem}. Its statuses: {statuses}. To fix: {fix}, then "
                "restart the station."
            )
        else:
            note = _("Order {order_id}: {problem}. To fix: {fix}, then restart the station.")
        app.notify(
            note.format(
                order_id=order_id,
                problem=problem.what,
                statuses=problem.statuses,
                fix=problem.fix,
            ),
            title=_("Order type not set up"),
            severity="error",
            timeout=60,
        )
        raise OpenOrderError(
            _(
                "Order {order_id} not opened: {problem}. Nothing was sent. Set the order "
                "aside and call a supervisor (the note at the bottom right says what to change)."
            ).format(order_id=order_id, problem=problem.what),
            "order-type",
        )
    try:
        return PackingSession(order, rules)
    except OrderQueued as err:
        raise OpenOrderError(
            _(
                "Order {order_id} is queued in Omnium and cannot be packed yet ({reason}). "
                "Scan it again in a moment."
            ).format(order_id=order_id, reason=err),
            "queued",
        ) from err
    except OrderNotPackable as err:
        raise OpenOrderError(
            _("Nothing to pack at {warehouse} for order {order_id}: {reason}").format(
                warehouse=app.settings.warehouse, order_id=order_id, reason=err
            ),
            "nothing-to-pack",
        ) from err


SSCC_ALARM_SECONDS = 600
"""How long the duplicated-station-id alarm stays on screen (it is on the desk for good)."""


async def check_foreign_ssccs(app: Station, order: OmniumOrder) -> list[SsccConflict]:
    """Say loudly, and open a desk case, if the order has an SSCC of ours we did not issue."""
    settings = app.settings

    def check() -> list[SsccConflict]:
        found = find_conflicts(app.store, order, settings.gs1_company_prefix, settings.station_id)
        if found:
            report(app.store, found)
        return found

    found: list[SsccConflict] = await app.in_thread(check)
    if found:
        count = len(found)
        more = ""
        if count > 1:
            more = " " + ngettext(
                "({count} package like it)", "({count} packages like it)", count
            ).format(count=count)
        case = _("This is a case on the supervisor desk.")
        app.bell()
        app.notify(
            f"{found[0].message}{more} {case}",
            title=_("DUPLICATED STATION ID?"),
            severity="error",
            timeout=SSCC_ALARM_SECONDS,
            markup=False,
        )
    return found


async def start_session(app: Station, session: PackingSession) -> int:
    """Open a journal session for the order (and record the packer if a badge was scanned).

    The session and the packer's badge are one write; if it fails, OpenOrderError says so.
    """
    outcome = session.set_packer(app.packer) if app.packer else None
    events = [event_to_dict(e) for e in outcome.events] if outcome is not None else []
    try:
        sid: int = await app.in_thread(
            app.store.journal.start,
            session.order,
            session.shipment.shipment_id,
            app.packer or None,
            events,
        )
    except JournalWriteFailed as err:
        raise OpenOrderError(
            _("Order {order_id} not opened. {reason}").format(
                order_id=session.order.id, reason=err
            ),
            "journal",
        ) from err
    return sid


async def journal(app: Station, sid: int, outcome: Outcome) -> None:
    """Commit an outcome's new events to the journal (before the screen shows them).

    Raises JournalWriteFailed when they could not be written (then none of them was).
    """
    if not outcome.events:
        return
    dicts = [event_to_dict(event) for event in outcome.events]
    # One transaction: a scan that makes several events (dimensions and weight) is all or none.
    journal = app.store.journal
    await app.in_thread(lambda: journal.append_all(sid, dicts))


async def note_refusals(
    app: Station, session: PackingSession, sid: int, outcomes: Iterable[Outcome]
) -> None:
    """Keep the refused scans among `outcomes` for the shift's figures (`packstation stats`).

    Scans held after a stray one are not counted again: one stray scan is one refusal.
    """
    refusals = [
        (o.rejection.kind.value, o.rejection.reason)
        for o in outcomes
        if o.rejection and o.rejection.kind is not RejectKind.HELD
    ]
    if not refusals:
        return
    packer = session.packer_id or app.packer or None
    store = app.store
    # Only a count for the figures: a failed write must not stop the packer (it was shown).
    with contextlib.suppress(sqlite3.Error, OSError):
        await app.in_thread(record_refusals, store.connection, sid, packer, refusals)


async def waiting_orders(app: Station) -> list[tuple[OmniumOrder, str]]:
    """Orders with something to pack at this warehouse: (order, summary) pairs, oldest first."""
    settings = app.settings
    queue = await read_queue(
        app.client,
        settings.warehouse,
        statuses=settings.queue_statuses,
        stores=settings.queue_stores,
    )
    return [(e.order, to_pack(e.lines, e.units)) for e in queue.entries]


def to_pack(lines: int, units: Decimal) -> str:
    """The queue's "To pack" cell: `2 lines, 3 units`."""
    line_text = ngettext("{count} line", "{count} lines", lines).format(count=lines)
    unit_text = ngettext("{count} unit", "{count} units", 1 if units == 1 else 2).format(
        count=qty(units)
    )
    return f"{line_text}, {unit_text}"


# --- submitting ----------------------------------------------------------------------------


async def submit_session(app: Station, session: PackingSession, sid: int) -> SubmitTracker:
    """Plan the requests, write them to the outbox (closing the journal session), start sending.

    Raises SubmitNotRecorded when the outbox could not be written (then nothing was)."""
    store = app.store
    warehouse = app.services.warehouse
    # With a warehouse database, serials come from this station's reserved blocks.
    allocator: Callable[[], str] = (
        WarehouseSsccAllocator(app.settings.gs1_company_prefix, warehouse.serials.next_serial)
        if warehouse is not None
        else SsccAllocator(
            app.settings.gs1_company_prefix,
            app.settings.station_id,
            store.next_sscc_serial,
        )
    )

    def plan_and_enqueue() -> tuple[int, list[str], list[str]]:
        plan = plan_submission(session, sscc=unused_ssccs(store, allocator, session.order))
        submit_id = store.outbox.enqueue(
            plan.order_id,
            list(plan.requests),
            packer=session.packer_id or app.packer_id,
            source_shipment_id=plan.source_shipment_id,
            session_id=sid,
        )
        return (
            submit_id,
            [describe_request(r) for r in plan.requests],
            shipments_with_packages(plan.requests),
        )

    try:
        submit_id, labels, package_shipments = await app.in_thread(plan_and_enqueue)
    except (sqlite3.Error, OSError) as err:
        # The outbox write is one transaction: it was rolled back, so nothing can go out.
        raise SubmitNotRecorded(
            session.order.id, str(err) or type(err).__name__, full=disk_full(err)
        ) from err
    tracker = SubmitTracker(
        submit_id=submit_id,
        order_id=session.order.id,
        request_count=len(labels),
        labels=labels,
        package_shipments=package_shipments,
        will_run=will_run_text(app, session),
    )
    app.trackers[submit_id] = tracker
    await app.refresh_pending()
    app.send_submit(tracker)
    if warehouse is not None:
        warehouse.publisher.wake()
    return tracker


def shipments_with_packages(requests: Sequence[UpdateLineItemStatusPatch]) -> list[str]:
    """The target shipments of the requests that carry packages, in send order, once each."""
    shipments: list[str] = []
    for patch in requests:
        info = patch.shipment_info
        if info is None or not info.packages or info.shipment_id is None:
            continue
        if info.shipment_id not in shipments:
            shipments.append(info.shipment_id)
    return shipments


def describe_request(patch: UpdateLineItemStatusPatch) -> str:
    """One line saying what a request does."""
    info = patch.shipment_info
    target = info.shipment_id if info is not None and info.shipment_id else "?"
    updates = patch.line_item_updates
    if any(u.split_quantity for u in updates):
        count = sum(1 for u in updates if u.split_quantity)
        where = ""
        if info is not None and (info.warehouse_code or info.service_point_id):
            where = info.warehouse_code or info.service_point_id or ""
        if where:
            return ngettext(
                "split {count} line to new shipment {shipment_id} at {destination}",
                "split {count} lines to new shipment {shipment_id} at {destination}",
                count,
            ).format(count=count, shipment_id=target, destination=where)
        return ngettext(
            "split {count} line to new shipment {shipment_id}",
            "split {count} lines to new shipment {shipment_id}",
            count,
        ).format(count=count, shipment_id=target)
    packages = len(info.packages or []) if info is not None else 0
    lines = ngettext("{count} line", "{count} lines", len(updates)).format(count=len(updates))
    parcels = ngettext("{count} package", "{count} packages", packages).format(count=packages)
    # TRANSLATORS: {status} is Omnium's status name, left as Omnium names it.
    return _("{status}: {lines}, {packages} → shipment {shipment_id}").format(
        status=patch.status, lines=lines, packages=parcels, shipment_id=target
    )


async def run_sender(app: Station, tracker: SubmitTracker) -> None:
    """Send one submit through the station sender, feeding the tracker as it goes."""

    def on_progress(progress: SubmitProgress) -> None:
        tracker.last = progress
        tracker.progress.append(str(progress))
        if progress.result is not None:
            tracker.arrived[progress.request_index] = progress.result
        waiting = progress.phase is SubmitPhase.WAITING
        app.set_pending_note(f"order {progress.order_id}: {progress}" if waiting else "")
        tracker.changed()

    try:
        tracker.outcome = await app.sender.send(tracker.submit_id, on_progress=on_progress)
    except Exception as err:  # shown on screen; the submit stays in the outbox
        tracker.error = f"{type(err).__name__}: {err}"
    if tracker.latest_order is not None:
        # Another station's package may have joined the order since it was opened.
        await check_foreign_ssccs(app, tracker.latest_order)
    app.set_pending_note("")
    if (tracker.aborted or tracker.failed) and not app.showing_submit(tracker):
        # The packer is on another order (F9): the parcel on the bench must not go out.
        app.raise_alert(
            submit_alert(
                tracker.order_id,
                tracker.results,
                aborted=tracker.aborted,
                error=tracker.error or (tracker.outcome.error if tracker.outcome else None),
            )
        )
    if tracker.aborted or tracker.failed:
        text = _("Order {order_id} was NOT sent: set it aside (see the alert)")
        ended = text.format(order_id=tracker.order_id), "bad"
    else:
        text = _("Order {order_id} was sent in the background")
        ended = text.format(order_id=tracker.order_id), "ok"
    # Left as it was, the banner said "still being sent" after the submit had ended.
    app.background_send_ended(tracker.order_id, *ended)
    # The count first, so the result and "Pending submits: 0" appear together.
    await app.refresh_pending()
    tracker.changed()
    app.refresh_queue_shown()
    await after_the_answer(app, tracker)
    # A finished submit is no longer the app's to keep (a screen showing it holds its own
    # reference): kept, every submit's results stayed for the whole shift (issue 12 item 10).
    app.trackers.pop(tracker.submit_id, None)
    # The orders it parsed are freed now; the C heap keeps their pages unless told.
    await app.in_thread(return_freed_memory)


async def after_the_answer(app: Station, tracker: SubmitTracker) -> None:
    """Once a submit is answered: follow the steps Omnium runs after its answer, then print
    the package labels (or pickup slip), the carrier labels and the packing slips; none of
    them for a parcel that must be set aside (aborted, failed, failed after the answer).

    Each print runs once across a stop (tui/follow_up.py), and the follow-up the outbox
    recorded as owed is closed only at the end: a station stopped on the way finishes it at
    its next start."""
    if not tracker.finished:
        return
    if not tracker.failed and not tracker.aborted:
        await follow_after_answer(app, tracker)
    submit_id, order_id = tracker.submit_id, tracker.order_id
    if tracker.failed or tracker.aborted or tracker.failed_later:
        # A label makes a parcel look ready to go: this one waits for a supervisor.
        tracker.held = held_message(app.settings, tracker)
        tracker.changed()
    else:
        if app.settings.print_labels:
            await print_once(
                app,
                submit_id,
                follow_ups.PACKAGE_LABELS,
                "package labels",
                order_id,
                lambda: print_submitted_labels(app, tracker),
            )
        await print_once(
            app,
            submit_id,
            follow_ups.CARRIER_LABELS,
            "carrier label",
            order_id,
            lambda: carrier_labels_after_answer(app, tracker),  # its own print_carrier_labels
        )
        # Skipped (printed before a stop): a wait this run began still ends.
        await end_wait(app, tracker, booking_waits.DONE, tracker.carrier_labels or "printed")
        if app.settings.print_packing_slip:
            await print_once(
                app,
                submit_id,
                follow_ups.PACKING_SLIPS,
                "packing slip",
                order_id,
                lambda: print_packing_slips(app, tracker),
            )
    if tracker.outcome is not None:
        # Only a final answer closes it: a sender that broke off leaves the submit pending
        # in the outbox, and its resend at the next start owes the follow-up again.
        await close_follow_up(app, submit_id)


async def after_resumed_submit(app: Station, outcome: SubmitOutcome) -> None:
    """A submit an earlier run left unfinished (in the outbox, or answered with its follow-up
    still owed), ended at this start: what follows its answer happens as for any submit
    (booking, labels, slips); without it none of that ever did."""
    submit = await app.in_thread(app.store.outbox.get, outcome.submit_id)
    patches = [request.patch for request in submit.requests]
    tracker = SubmitTracker(
        submit_id=outcome.submit_id,
        order_id=outcome.order_id,
        request_count=len(patches),
        labels=[describe_request(p) for p in patches],
        package_shipments=shipments_with_packages(patches),
    )
    tracker.outcome = outcome
    await after_the_answer(app, tracker)
    if tracker.held:
        # No workflow screen shows it: the packer hears it here.
        app.bell()
        app.notify(
            f"Order {tracker.order_id}: {tracker.held}",
            title="Labels held",
            severity="warning",
            timeout=60,
            markup=False,
        )


async def resume_owed_follow_ups(app: Station, submit_ids: Sequence[int]) -> None:
    """At start: finish the follow-up of submits answered before the station stopped (their
    answer is stored; nothing is sent again)."""
    for submit_id in submit_ids:
        # A submit that is no longer pending gives its stored outcome, without a request.
        outcome = await app.sender.send(submit_id)
        await after_resumed_submit(app, outcome)


async def print_submitted_labels(app: Station, tracker: SubmitTracker) -> None:
    """Print (or spool) the labels of the packages a submit sent, with the booked tracking;
    for click and collect the pickup slip instead (the parcel stays in the store)."""
    order = tracker.latest_order
    if order is None:  # confirmed by re-reading: the answer with the order never came
        try:
            order = await app.client.get_order(tracker.order_id)
        except OmniumError as err:
            app.notify(_("Labels not printed: {reason}").format(reason=err), severity="error")
            return
    if is_pickup_order(app, order):
        await print_pickup_slip(app, order, waiting=tracker.printing)
        return
    for shipment_id in tracker.package_shipments:
        await reprint_order_labels(app, order, shipment_id, waiting=tracker.printing)


def tracking_numbers(order: OmniumOrder | None, shipment_id: str | None = None) -> list[str]:
    """Every tracking number on the order's shipments (or the one named) and packages."""
    if order is None:
        return []
    numbers: list[str] = []
    for shipment in order.order_form.shipments:
        if shipment_id is not None and shipment.shipment_id != shipment_id:
            continue
        if shipment.shipment_tracking_number:
            numbers.append(f"{shipment.shipment_id}: {shipment.shipment_tracking_number}")
        for package in shipment.packages:
            tracking = package.shipment_tracking
            if tracking is not None and tracking.shipment_tracking_number:
                which = _("package {package_id}").format(package_id=package.id)
                numbers.append(f"  {which}: {tracking.shipment_tracking_number}")
    return numbers
