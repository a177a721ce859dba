"""Dispatch at the dock: scan each package's label; its shipment moves to the next status.

The workflow's steps show as on the packing station's workflow screen; a package scanned twice
says so and sends nothing (`station.dispatch`).
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from packstation.i18n import N_, _
from packstation.station.dispatch import ABORTED, ALREADY, SENT, Dispatcher, DispatchOutcome
from packstation.tui.flow import check_foreign_ssccs
from packstation.tui.scanner import Scan
from packstation.tui.screens.base import StationScreen
from packstation.tui.screens.workflow import final_state, timeline
from packstation.tui.widgets import ScanBanner

KIND_STYLE = {SENT: "ok", ALREADY: "wait", ABORTED: "bad"}
"""Banner colour per outcome (anything else: red)."""

HISTORY = 12
"""Dispatches listed under the last one."""


class DispatchScreen(StationScreen):
    """Scan a package's SSCC: its shipment moves on (Ship for Online orders)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close dispatch"))]

    def __init__(self) -> None:
        super().__init__()
        self.outcomes: list[DispatchOutcome] = []
        self._dispatcher: Dispatcher | None = None

    def compose_body(self) -> ComposeResult:
        """Title, banner, the last dispatch's workflow, the ones before."""
        yield Static(_("DISPATCH — scan each package's label"), classes="title")
        yield Static(
            _(
                "Each package scanned moves its shipment to the next status of its flow "
                "(dispatch_statuses). A package scanned twice sends nothing."
            ),
            classes="hint",
        )
        yield ScanBanner(_("Ready: scan a package"), id="dispatch-banner")
        with VerticalScroll(id="dispatch-scroll"):
            yield Static("", id="dispatch-steps")
            yield Static("", id="dispatch-history")

    def on_mount(self) -> None:
        """No order is open here."""
        self.station.scan_context = "dispatch"
        self.query_one("#dispatch-banner", ScanBanner).show(_("Ready: scan a package"), "info")

    async def change_language(self) -> None:
        """Compose the screen again in the new language, with the last dispatch and the list
        (their outcomes stay as they were worded)."""
        await self.recompose()
        if self.outcomes:
            last = self.outcomes[0]
            kind = KIND_STYLE.get(last.kind, "bad")
            banner = self.query_one("#dispatch-banner", ScanBanner)
            banner.show(("✔ " if kind == "ok" else "✘ ") + last.message, kind)
            self.show_steps(last)
            self.show_history()
        else:
            self.query_one("#dispatch-banner", ScanBanner).show(_("Ready: scan a package"), "info")
        await super().change_language()

    @property
    def dispatcher(self) -> Dispatcher:
        """One dispatcher for this screen (the station's store and client)."""
        if self._dispatcher is None:
            station = self.station
            self._dispatcher = Dispatcher(
                station.store,
                station.client,
                station.settings,
                run=station.in_thread,
                check_order=partial(check_foreign_ssccs, station),
            )
        return self._dispatcher

    async def handle_scan(self, scan: Scan) -> None:
        """Dispatch the scanned package (later scans wait until this one is answered)."""
        banner = self.query_one("#dispatch-banner", ScanBanner)
        banner.show(_("Dispatching {scan}…").format(scan=scan.text[:40]), "info")
        outcome = await self.dispatcher.scan(scan.text, self.station.packer_id or None)
        self.outcomes.insert(0, outcome)
        del self.outcomes[HISTORY:]
        kind = KIND_STYLE.get(outcome.kind, "bad")
        if kind != "ok":
            self.app.bell()
        banner.show(("✔ " if kind == "ok" else "✘ ") + outcome.message, kind)
        self.show_steps(outcome)
        self.show_history()

    def show_steps(self, outcome: DispatchOutcome) -> None:
        """The workflow of the last dispatch, as on the workflow screen."""
        text = Text()
        if outcome.result is not None:
            text.append_text(timeline([outcome.result], 1, [f"UpdateStatus {outcome.status}"]))
        if outcome.order is not None:
            text.append_text(final_state(outcome.order))
        self.query_one("#dispatch-steps", Static).update(text)

    def show_history(self) -> None:
        """The dispatches of this session, newest first."""
        text = Text(_("Scanned") + "\n", style="bold")
        for outcome in self.outcomes:
            style = {"ok": "green", "wait": "yellow"}.get(KIND_STYLE.get(outcome.kind, ""), "red")
            text.append(f"  {outcome.message}\n", style=style)
        self.query_one("#dispatch-history", Static).update(text)

    def action_close(self) -> None:
        """Back to the order screen."""

        async def run() -> None:
            await self.station.back_to_orders()

        self.station.post_action(run, "close dispatch")
