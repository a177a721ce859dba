"""The workflow screen: each request, each step's result, the final states, tracking numbers."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from packstation.i18n import N_, _, ngettext
from packstation.omnium.models import OmniumOrder
from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.packing.commands import Command
from packstation.packing.symbology import scan_body
from packstation.tui.flow import tracking_numbers
from packstation.tui.held_documents import why_held
from packstation.tui.labels import choose_and_reprint, reprint_order_labels
from packstation.tui.pickup_slips import is_pickup_order, print_pickup_slip
from packstation.tui.scanner import Scan
from packstation.tui.screens.base import StationScreen
from packstation.tui.tracker import SubmitTracker
from packstation.tui.waiting import Waiting
from packstation.tui.widgets import ScanBanner

STATUS_STYLE = {"success": "bold green", "warning": "bold yellow", "error": "bold red"}


def timeline(
    results: list[WorkflowExecutionResult | None], count: int, labels: list[str] | None = None
) -> Text:
    """Every request and its steps: actionType, status and errorReason."""
    text = Text()
    for index, result in enumerate(results, start=1):
        head = _("Request {index}/{count}").format(index=index, count=count)
        text.append(head, style="bold underline")
        if labels and index <= len(labels):
            text.append(f" — {labels[index - 1]}", style="bold")
        if result is None:
            text.append("  " + _("confirmed by re-reading the order (it had landed)") + "\n")
            continue
        aborted = "  " + _("ABORTED") + "\n"
        text.append(aborted if result.is_aborted else "\n", style="bold red")
        for step in result.order_action_execution_results:
            if step.is_invisible:
                continue
            status = step.action_status
            mark = {"success": "✔", "warning": "!", "error": "✘"}.get(status.lower(), "·")
            style = STATUS_STYLE.get(status.lower(), "")
            # Omnium's step name, status and error reason, as Omnium sends them.
            text.append(f"  {mark} {step.action_type:<28}", style=style)
            text.append(f" {status}", style=style)
            if step.error_reason:
                text.append(f"  {step.error_reason}", style=style)
            if step.cancel_workflow:
                text.append("  ← " + _("workflow stopped here"), style="bold red")
            text.append("\n")
    return text


def final_state(order: OmniumOrder | None) -> Text:
    """The order's and shipments' states after the last result, and the tracking numbers."""
    text = Text()
    if order is None:
        return text
    # Omnium's statuses as Omnium sends them.
    head = _("Order {order_id}: {status}").format(order_id=order.id, status=order.status)
    text.append(head + "\n", style="bold")
    for shipment in order.order_form.shipments:
        count = len(shipment.packages)
        line = ngettext(
            "shipment {shipment_id}: {status} ({order_status}), {count} package",
            "shipment {shipment_id}: {status} ({order_status}), {count} packages",
            count,
        ).format(
            shipment_id=shipment.shipment_id,
            status=shipment.status or "-",
            order_status=shipment.order_status or "-",
            count=count,
        )
        text.append(f"  {line}\n")
    numbers = tracking_numbers(order)
    if numbers:
        text.append(_("Tracking numbers") + "\n", style="bold")
        for number in numbers:
            text.append(f"  {number}\n")
    return text


class WorkflowScreen(StationScreen):
    """Shows a submit as it goes; an aborted workflow stays until acknowledged."""

    KEY_PRIORITY: ClassVar[tuple[str, ...]] = ("f10", "f9", "f3")
    """Which keys a narrow key bar keeps first (the rest is in ^p)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10", "next", N_("Next order / acknowledge")),
        Binding("f9", "background", N_("Go on (send in background)")),
        Binding("f3", "reprint", N_("Reprint labels")),
        Binding("escape", "cancel", N_("Cancel?"), show=False),
    ]

    def __init__(self, tracker: SubmitTracker) -> None:
        super().__init__()
        self.tracker = tracker
        self.acknowledged = False
        self._cued = False
        self.waiting = Waiting()
        """Labels reprinted from this screen while the printer takes them (Escape stops)."""

    def compose_body(self) -> ComposeResult:
        """Title banner, progress, timeline, final state."""
        yield ScanBanner("", id="wf-banner")
        yield Static(Text(self.tracker.will_run), id="wf-steps", classes="summary")
        with VerticalScroll(id="wf-scroll"):
            yield Static("", id="wf-progress")
            yield Static("", id="wf-timeline")
            yield Static("", id="wf-final")

    def on_mount(self) -> None:
        """Follow the tracker."""
        self.station.scan_context = f"submit:{self.tracker.submit_id}"
        self.tracker.listeners.append(self._tracker_changed)
        self.query_one("#wf-steps", Static).display = bool(self.tracker.will_run)
        self.show()
        self._cue_outcome()

    def on_unmount(self) -> None:
        """Stop following."""
        if self._tracker_changed in self.tracker.listeners:
            self.tracker.listeners.remove(self._tracker_changed)

    def _tracker_changed(self, _tracker: SubmitTracker) -> None:
        if self.is_mounted:
            self.show()
            self._cue_outcome()

    async def change_language(self) -> None:
        """Everything on this screen is drawn from the tracker: draw it again."""
        self.show()
        await super().change_language()

    def _cue_outcome(self) -> None:
        """Once, when the submit ends: the aborted cue (or the accepted one) from the bench."""
        tracker = self.tracker
        if self._cued or not tracker.finished:
            return
        self._cued = True
        self.station.cue("aborted" if tracker.aborted or tracker.failed else "accepted")

    def show(self) -> None:
        """Redraw from the tracker."""
        tracker = self.tracker
        banner = self.query_one("#wf-banner", ScanBanner)
        self.set_class(self.needs_acknowledgement, "-failed")
        if not tracker.finished:
            last = tracker.progress[-1] if tracker.progress else _("writing to the outbox")
            sending = _("SENDING ORDER {order_id}").format(order_id=tracker.order_id)
            banner.show(f"{sending} — {last}", "info")
        elif tracker.aborted:
            result = next((r for r in tracker.results if r is not None and r.is_aborted), None)
            step = result.failing_step if result is not None else None
            what = f"{step.action_type}: {step.error_reason}" if step else _("see below")
            banner.show(
                "✘ "
                + _(
                    "WORKFLOW ABORTED — ORDER {order_id} — {what} — "
                    "scan CMD-NEXT (or F10) to acknowledge"
                ).format(order_id=tracker.order_id, what=what),
                "bad",
            )
        elif tracker.failed:
            reason = tracker.error or (tracker.outcome.error if tracker.outcome else "")
            banner.show(
                "✘ "
                + _(
                    "SUBMIT FAILED — ORDER {order_id} — {reason} — "
                    "now a supervisor case; scan CMD-NEXT (or F10) to acknowledge"
                ).format(order_id=tracker.order_id, reason=reason),
                "bad",
            )
        elif tracker.failed_later:
            banner.show(
                "✘ "
                + _(
                    "WORKFLOW FAILED AFTER THE ANSWER — ORDER {order_id} — {reason} — set the "
                    "package aside, a supervisor case; F10 to acknowledge"
                ).format(order_id=tracker.order_id, reason=tracker.booking),
                "bad",
            )
        elif tracker.following:
            sent = _("ORDER {order_id} SENT").format(order_id=tracker.order_id)
            banner.show(f"✔ {sent} — {tracker.booking}", "info")
        else:
            banner.show(
                "✔ "
                + _(
                    "ORDER {order_id} SENT — scan the next order (CMD-REPRINT reprints its labels)"
                ).format(order_id=tracker.order_id),
                "ok",
            )
        progress = Text("\n".join(tracker.progress[-6:]), style="italic")
        self.query_one("#wf-progress", Static).update(progress)
        self.query_one("#wf-timeline", Static).update(
            timeline(tracker.results, tracker.request_count, tracker.labels)
        )
        final = final_state(tracker.latest_order)
        if tracker.booking:
            style = "bold red" if tracker.failed_later else "italic"
            after = _("After the answer: {booking}").format(booking=tracker.booking)
            final.append(after + "\n", style=style)
        if tracker.carrier_labels:
            style = "green" if tracker.carrier_labels_printed else "bold yellow"
            final.append(tracker.carrier_labels + "\n", style=style)
        if tracker.held:
            final.append(tracker.held + "\n", style="bold yellow")
        self.query_one("#wf-final", Static).update(final)

    @property
    def needs_acknowledgement(self) -> bool:
        """An aborted or failed submit must be acknowledged before the next order."""
        tracker = self.tracker
        return tracker.finished and (tracker.aborted or tracker.failed or tracker.failed_later)

    async def handle_scan(self, scan: Scan) -> None:
        """After success (or while sending) an order scan opens the next order."""
        text = scan_body(scan.text)
        upper = text.upper()
        if upper == Command.NEXT.value:
            await self.next_order()
            return
        if upper == Command.REPRINT.value:
            await self.reprint_all()
            return
        if self.needs_acknowledgement and not self.acknowledged:
            self.station.cue("refused")
            self.notify(
                _("Acknowledge the failed workflow first: scan CMD-NEXT (or press F10)"),
                severity="error",
            )
            return
        if upper in {c.value for c in Command}:
            self.station.cue("refused")
            if upper == "CMD-SUBMIT":
                why = _("order {order_id} is already sent").format(order_id=self.tracker.order_id)
            else:
                why = _("no order is open")
            self.notify(
                _("{scan}: {why}. Scan the next order, or CMD-NEXT").format(scan=text, why=why),
                severity="warning",
            )
            return
        # The next order (or a badge): leave this screen, the order screen takes the scan.
        self.acknowledged = True
        await self.station.back_to_orders()
        await self.station.dispatch_scan(Scan(text=scan.text, seq=scan.seq, typed_under=None))

    async def next_order(self) -> None:
        """CMD-NEXT: acknowledge the result and go to the order screen (while it still sends,
        it goes on sending in the background)."""
        if not self.tracker.finished:
            await self.station.back_to_orders(
                self._still_sending(), "info", sending=self.tracker.order_id
            )
            return
        self.acknowledged = True
        await self.station.back_to_orders()

    def refuse_set_aside(self) -> bool:
        """Refuse a reprint for a parcel that must be set aside (True when refused)."""
        tracker = self.tracker
        if not (tracker.aborted or tracker.failed or tracker.failed_later):
            return False
        self.station.cue("refused")
        self.notify(
            _(
                "Order {order_id} is set aside ({why}): no label prints here. The supervisor "
                "desk prints its labels after a rerun that succeeds."
            ).format(order_id=tracker.order_id, why=why_held(tracker)),
            severity="warning",
            markup=False,
        )
        return True

    async def reprint_all(self) -> None:
        """CMD-REPRINT: every label of the packages this submit sent, no questions."""
        if self.refuse_set_aside():
            return
        order = self.tracker.latest_order
        if order is None or not self.tracker.package_shipments:
            self.station.cue("refused")
            self.notify(_("No labels to reprint yet"), severity="warning")
            return
        if is_pickup_order(self.station, order):
            # Its only label: see pickup_slips.
            await print_pickup_slip(self.station, order, waiting=self.waiting)
            return
        for shipment_id in self.tracker.package_shipments:
            await reprint_order_labels(self.station, order, shipment_id, waiting=self.waiting)

    def action_next(self) -> None:
        """Acknowledge and go to the order screen."""

        async def run() -> None:
            if not self.tracker.finished:
                self.app.bell()
                self.notify(_("Still sending: F9 goes on while it finishes"), severity="warning")
                return
            self.acknowledged = True
            await self.station.back_to_orders()

        self.station.post_action(run, "next order")

    def action_background(self) -> None:
        """Leave the submit sending in the background and take the next order."""

        async def run() -> None:
            if self.needs_acknowledgement and not self.acknowledged:
                self.app.bell()
                return
            await self.station.back_to_orders(
                self._still_sending(), "info", sending=self.tracker.order_id
            )

        self.station.post_action(run, "background")

    def _still_sending(self) -> str:
        return _("Order {order_id} is still being sent in the background").format(
            order_id=self.tracker.order_id
        )

    def action_reprint(self) -> None:
        """Reprint the labels of the packages this submit sent."""
        if self.refuse_set_aside():
            return
        order = self.tracker.latest_order
        if order is None:
            self.app.bell()
            self.notify(_("No packages to print yet"), severity="warning")
            return
        self.run_worker(
            choose_and_reprint(self.station, order, waiting=self.waiting), group="labels"
        )

    def action_cancel(self) -> None:
        """Escape stops waiting for the printer; while sending, a submit is not cancelled: say
        why and what to do instead."""
        # Both: a reprint and the labels printed after the answer may wait together.
        if self.waiting.cancel() | self.tracker.printing.cancel():
            return
        if self.tracker.finished:
            return
        self.app.bell()
        self.notify(
            _(
                "Order {order_id} cannot be cancelled: it is in the station's outbox and is sent "
                "exactly once, also after a restart. F9 packs the next order meanwhile."
            ).format(order_id=self.tracker.order_id),
            severity="warning",
        )
