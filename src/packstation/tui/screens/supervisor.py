"""The supervisor desk: aborted workflows and failed submits, and what to do about them."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from packstation.i18n import N_, _
from packstation.omnium.errors import OmniumError
from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.packing.symbology import scan_body
from packstation.packing.workflow_preview import find_order_type
from packstation.station.clock import utc_now
from packstation.station.supervisor_actions import (
    mark_reviewed,
    rerun_workflow,
    set_status_without_workflow,
)
from packstation.station.supervisor_cases import merge_cases, omnium_cases
from packstation.tui import warehouse_desk
from packstation.tui.case_list import COLUMNS, case_cells, count_text, unread_note, with_closed
from packstation.tui.case_text import action_outcome, case_steps, short_outcome, when
from packstation.tui.labels import choose_and_reprint
from packstation.tui.screens.base import StationScreen
from packstation.tui.screens.note import NoteScreen
from packstation.tui.screens.shift import ShiftScreen
from packstation.tui.waiting import RequestCancelled, Waiting
from packstation.tui.widgets import ScanBanner

WAREHOUSE_REFRESH_SECONDS = 5.0
"""How often a desk with the warehouse database re-reads the cases of every station."""

SELECT_HINT = N_("Select a case (arrows, or scan its order id); the keys are below.")
"""The desk's standing message once the cases are read (reworded after a language switch)."""


class SupervisorScreen(StationScreen):
    """Lists cases from this station and from Omnium; rerun, set status, mark reviewed."""

    KEY_PRIORITY: ClassVar[tuple[str, ...]] = ("f2", "f3", "f4", "escape", "f6", "f8", "f5")
    """Which keys a narrow key bar keeps first: the actions on a case (the rest is in ^p)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "rerun", N_("Rerun workflow")),
        Binding("f3", "set_status", N_("Set status (no workflow)")),
        Binding("f4", "reviewed", N_("Mark reviewed")),
        Binding("f5", "refresh", N_("Refresh")),
        Binding("f6", "reprint", N_("Reprint labels")),
        Binding("f8", "shift", N_("Shift figures and history")),
        Binding("escape", "close", N_("Close desk")),
    ]

    def __init__(self, supervisor: str) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.cases: dict[str, Any] = {}
        self.waiting = Waiting()
        """The desk's requests to Omnium while they wait (Escape cancels them)."""
        self.outcomes: dict[str, Text] = {}
        """Case key -> what the last action on it here came to (shown under the case)."""
        self.closed: dict[str, str] = {}
        """Case key -> who closed it here and when (it stays listed until the desk is closed)."""
        self.loaded = False
        self._last_banner = ("", "info")
        """The banner's message and kind (shown again after a language switch)."""
        self._hint_shown = False
        """True while the banner shows SELECT_HINT (said again in the new language)."""

    def compose_body(self) -> ComposeResult:
        """Cases table, details, last action's result."""
        title = _("SUPERVISOR DESK — {supervisor}").format(supervisor=self.supervisor)
        yield Static(Text(title), classes="title")
        yield ScanBanner(_("Loading cases…"), id="sup-banner")
        yield Static("", id="sup-count")
        with Horizontal(id="sup-main"):
            table: DataTable[str] = DataTable(id="cases", cursor_type="row")
            yield table
            with VerticalScroll(id="sup-detail"):
                # What the last action came to first: in view without scrolling past the steps.
                yield Static("", id="action-result")
                yield Static("", id="case-detail")

    def on_mount(self) -> None:
        """Columns, then load."""
        self._add_columns()
        self.action_refresh()
        if self.station.services.warehouse is not None:
            # What other desks do shows here without F5.
            self.set_interval(WAREHOUSE_REFRESH_SECONDS, self._refresh_quietly)

    def _add_columns(self) -> None:
        """The cases table's columns, in the current language."""
        table = self.query_one("#cases", DataTable)
        # Sized to fit the desk's left pane on a 150-column terminal; details on the right.
        # What identifies a case first: on 80 columns the pane shows order and problem.
        for label, width in COLUMNS:
            table.add_column(_(label), key=label.lower(), width=width)
        table.focus()

    async def change_language(self) -> None:
        """Compose the desk again in the new language with the cases as they were listed and the
        last message as it was worded; then read them again quietly (the count's note)."""
        keep = self.selected_key() if self.is_mounted else None
        text, kind = self._last_banner
        hint = self._hint_shown
        count = self.query_one("#sup-count", Static).content
        await self.recompose()
        self._add_columns()
        self._fill_table(keep, None)
        self.query_one("#sup-count", Static).update(count)
        if hint:
            self.banner(_(SELECT_HINT))
            self._hint_shown = True
        elif text:
            self.banner(text, kind)
        self.show_selected()
        await super().change_language()
        self._refresh_quietly()

    def banner(self, text: str, kind: str = "info") -> None:
        """Show a message (it stays until the next message: reloading the list keeps it)."""
        self._last_banner = (text, kind)
        self._hint_shown = False
        self.query_one("#sup-banner", ScanBanner).show(text, kind)

    def action_refresh(self) -> None:
        """Re-read the cases."""
        self.run_worker(self._load(), exclusive=True, group="cases")

    def _refresh_quietly(self) -> None:
        """Re-read the cases, leaving the banner's message as it is."""
        self.run_worker(self._load(announce=False), exclusive=True, group="cases")

    async def _load(self, *, announce: bool = True, follow: Any | None = None) -> None:
        """Read the cases again; keep the selection on the case it was on (or `follow`)."""
        keep = follow.key if follow is not None else self.selected_key()
        ours, where, reached = await warehouse_desk.load_cases(self.station)
        problem = ""
        if announce and follow is None:  # after an action its message stays
            self.banner(_("Reading the cases from Omnium… Esc to cancel"), "info")
        try:
            reading = omnium_cases(self.station.client, self.station.store)
            # A quiet re-read is not something the supervisor waits for: Escape leaves it.
            theirs = await (
                self.waiting.run("the cases from Omnium", reading) if announce else reading
            )
            theirs = await warehouse_desk.unsettled(self.station, theirs)
        except OmniumError as err:
            theirs = []
            problem = " (" + _("Omnium not read: {reason}").format(reason=err) + ")"
        except RequestCancelled:
            theirs = []
            problem = " (" + _("Omnium not read: cancelled with Esc; F5 reads it again") + ")"
        fresh: dict[str, Any] = {}
        for case in merge_cases(ours, theirs):
            fresh.setdefault(case.key, case)
        self.cases = with_closed(fresh, self.cases, self.closed)
        self._fill_table(keep, follow)
        count = count_text(self.cases, self.closed)
        # The count has its own line: the banner keeps the last action's message.
        self.query_one("#sup-count", Static).update(Text(f"{count}{where}{problem}"))
        if announce and follow is None:  # replaces "Reading the cases…"
            self.loaded = True
            self.banner(_(SELECT_HINT))
            self._hint_shown = True
        if problem or not reached:
            self.banner(unread_note(where, problem), "bad")
        self.show_selected()

    def _fill_table(self, keep: str | None, follow: Any | None) -> None:
        """The listed cases as rows, the selection on `keep` (or `follow`'s case)."""
        table = self.query_one("#cases", DataTable)
        table.clear()
        for case in self.cases.values():
            cells = case_cells(case, case.key in self.closed)
            table.add_row(*(Text(cell) for cell in cells), key=case.key)
        row = self._row_for(keep, follow)
        if row is not None:
            table.move_cursor(row=row, animate=False)

    def _row_for(self, key: str | None, follow: Any | None) -> int | None:
        """The row of the case to select: the same key, else the same order's case."""
        keys = list(self.cases)
        if key in self.cases:
            return keys.index(key)
        if follow is not None:
            for index, case in enumerate(self.cases.values()):
                if case.order_id == follow.order_id:
                    self.outcomes.setdefault(case.key, self.outcomes.get(follow.key, Text()))
                    return index
        return None

    def selected_key(self) -> str | None:
        """The key of the highlighted case."""
        table = self.query_one("#cases", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def selected(self) -> Any | None:
        """The highlighted case."""
        key = self.selected_key()
        return self.cases.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#cases")
    def show_selected(self) -> None:
        """Details of the highlighted case, and what the last action on it here came to."""
        case = self.selected()
        self.query_one("#case-detail", Static).update(
            case_steps(case) if case is not None else Text(_("No open cases."))
        )
        outcome = Text()
        if case is not None and case.key in self.closed:
            outcome.append(f"{self.closed[case.key]}\n", style="bold green")
        if case is not None:
            outcome.append_text(self.outcomes.get(case.key, Text()))
        self.query_one("#action-result", Static).update(outcome)

    def _need_case(self, *, open_only: bool = True) -> Any | None:
        case = self.selected()
        if case is None:
            self.app.bell()
            self.banner(_("No case selected"), "bad")
        elif open_only and case.key in self.closed:
            self.app.bell()
            self.banner(
                _("That case is closed ({closed}); F6 prints its labels").format(
                    closed=self.closed[case.key]
                ),
                "bad",
            )
            return None
        elif open_only and case.review is not None:
            # Settled on some desk (listed a while so every desk sees it): nothing left to do,
            # and offline no claim in the warehouse database would stop a second action.
            self.app.bell()
            review = case.review
            self.banner(
                _(
                    "That case is settled (by {supervisor} at {time}: {note}); F6 prints its labels"
                ).format(
                    supervisor=review.supervisor, time=when(review.reviewed_at), note=review.note
                ),
                "bad",
            )
            return None
        return case

    def _note(self, case: Any, text: str, kind: str = "bad") -> None:
        """A message about a case: in the banner, and under the case."""
        self.banner(text, kind)
        self.outcomes[case.key] = Text(text + "\n", style="bold red" if kind == "bad" else "")
        if self.selected_key() == case.key:
            self.show_selected()

    def action_rerun(self) -> None:
        """Run the workflow again (UpdateStatus with the shipment's status)."""
        case = self._need_case()
        if case is None:
            return

        async def run() -> None:
            claimed = await self._claim(case, "rerun")
            if claimed is None:
                return
            self.banner(
                _("Rerunning the workflow of order {order_id}… Esc to cancel").format(
                    order_id=case.order_id
                ),
                "info",
            )
            rerun = rerun_workflow(
                self.station.client,
                self.station.store,
                order_id=case.order_id,
                shipment_id=case.shipment_id or "",
                supervisor=self.supervisor,
                case_key=case.key,
                case_keys=case.keys,
            )
            try:
                result = await self.waiting.run(f"the rerun of order {case.order_id}", rerun)
            except (OmniumError, ValueError, PermissionError) as err:
                self._note(
                    case,
                    _("Rerun of order {order_id} failed: {reason}").format(
                        order_id=case.order_id, reason=err
                    ),
                )
                return
            except RequestCancelled:
                self.cancelled(case, _("Rerun of order {order_id}").format(order_id=case.order_id))
                return
            if claimed is not True and not result.is_aborted:
                await self._settle(claimed, "rerun")
            await self.settled(case, _("Rerun"), result)
            if not result.is_aborted:
                await self.offer_labels(case, result)

        self.run_worker(run(), exclusive=True, group="action")

    def action_set_status(self) -> None:
        """Set the status without running the workflow; a reason is required."""
        case = self._need_case()
        if case is None:
            return

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            status, reason = answer

            async def run() -> None:
                claimed = await self._claim(case, "set_status", reason)
                if claimed is None:
                    return
                self.banner(
                    _("Setting order {order_id} to {status}… Esc to cancel").format(
                        order_id=case.order_id, status=status
                    ),
                    "info",
                )
                setting = set_status_without_workflow(
                    self.station.client,
                    self.station.store,
                    order_id=case.order_id,
                    shipment_id=case.shipment_id,
                    status=status,
                    reason=reason,
                    supervisor=self.supervisor,
                    case_key=case.key,
                    case_keys=case.keys,
                )
                try:
                    result = await self.waiting.run(f"the status of order {case.order_id}", setting)
                except (OmniumError, ValueError, PermissionError) as err:
                    self._note(
                        case,
                        _("Set status of order {order_id} failed: {reason}").format(
                            order_id=case.order_id, reason=err
                        ),
                    )
                    return
                except RequestCancelled:
                    self.cancelled(
                        case,
                        _("Setting order {order_id} to {status}").format(
                            order_id=case.order_id, status=status
                        ),
                    )
                    return
                if claimed is not True and not result.is_aborted:
                    await self._settle(claimed, "set_status", reason)
                await self.settled(case, _("Status set to {status}").format(status=status), result)

            self.run_worker(run(), exclusive=True, group="action")

        async def ask() -> None:
            # The statuses of this order's type: read the order for its type (and the status
            # its shipment has now, offered first).
            try:
                order = await self.station.client.get_order(case.order_id)
            except OmniumError as err:
                self.banner(
                    _("Set status: cannot read order {order_id}: {reason}").format(
                        order_id=case.order_id, reason=err
                    ),
                    "bad",
                )
                return
            order_type = find_order_type(self.station.services.order_types, order.order_type)
            if order_type is None or not order_type.status_names:
                self.banner(
                    _(
                        "Set status: Omnium's order types have no statuses for order "
                        "{order_id} (type {order_type})"
                    ).format(order_id=case.order_id, order_type=order.order_type or "Online"),
                    "bad",
                )
                return
            shipment = order.shipment(case.shipment_id) if case.shipment_id else None
            current = (shipment.order_status if shipment else None) or order.status
            self.app.push_screen(
                NoteScreen(
                    _(
                        "Set order {order_id} status without workflow "
                        "(type {order_type}, now {status})"
                    ).format(
                        order_id=case.order_id, order_type=order_type.name, status=current or "-"
                    ),
                    _("Reason (required)"),
                    statuses=tuple(order_type.status_names),
                    status=current,
                ),
                chosen,
            )

        self.run_worker(ask(), exclusive=True, group="action")

    def action_reviewed(self) -> None:
        """Mark the case reviewed with a note."""
        case = self._need_case()
        if case is None:
            return

        def chosen(answer: tuple[str | None, str] | None) -> None:
            if answer is None:
                return
            _status, note = answer

            async def run() -> None:
                if warehouse_desk.is_warehouse_case(case):
                    try:
                        await warehouse_desk.review(self.station, case, self.supervisor, note)
                    except Exception as err:  # another desk first, or the database away
                        self._refused(err)
                        return
                else:
                    await self.station.in_thread(
                        mark_reviewed, self.station.store, case, self.supervisor, note
                    )
                    await warehouse_desk.share_review(self.station, case, self.supervisor)
                closed = _("Marked reviewed by {supervisor} at {time}: {note}").format(
                    supervisor=self.supervisor, time=when(utc_now()), note=note
                )
                self.closed[case.key] = closed
                self.outcomes.pop(case.key, None)
                self.banner(
                    _("Case of order {order_id} closed: {closed}").format(
                        order_id=case.order_id, closed=closed
                    ),
                    "ok",
                )
                await self._load(follow=case)

            self.run_worker(run(), exclusive=True, group="action")

        title = _("Review order {order_id}").format(order_id=case.order_id)
        self.app.push_screen(NoteScreen(title, _("Note")), chosen)

    async def _claim(self, case: Any, action: str, note: str | None = None) -> Any | None:
        """Claim a warehouse case before acting (the case as claimed); True for a case of this
        station alone; None (after saying why) when another desk acted first."""
        if not warehouse_desk.is_warehouse_case(case):
            return True
        try:
            return await warehouse_desk.claim(self.station, case, self.supervisor, action, note)
        except Exception as err:  # another desk first, or the database away
            self._refused(err)
            return None

    async def _settle(self, case: Any, action: str, note: str | None = None) -> None:
        """Close a claimed warehouse case after its action worked."""
        try:
            await warehouse_desk.settle(self.station, case, self.supervisor, action, note)
        except Exception as err:  # the action is done in Omnium; say the desk could not record it
            self._refused(err)

    def _refused(self, err: Exception) -> None:
        """Another desk acted first (or the warehouse database is away): say so, show the case
        as it is now."""
        self.app.bell()
        self.banner(_("Not done: {reason}").format(reason=" ".join(str(err).split())), "bad")
        self._refresh_quietly()

    async def settled(self, case: Any, what: str, result: WorkflowExecutionResult) -> None:
        """Show an action's workflow result under its case; a result that did not abort
        closed the case. The list is read again with the selection kept on the case."""
        at = utc_now()
        self.outcomes[case.key] = action_outcome(
            what, result, self.supervisor, at, case.shipment_id
        )
        if not result.is_aborted:
            self.closed[case.key] = _("Closed by {supervisor} at {time}: {what}").format(
                supervisor=self.supervisor, time=when(at), what=what
            )
        self.banner(
            short_outcome(what, case.order_id, case.shipment_id, result),
            "bad" if result.is_aborted else "ok",
        )
        await self._load(follow=case)

    async def offer_labels(self, case: Any, result: WorkflowExecutionResult) -> None:
        """After a rerun that booked the shipment: offer its labels (all, or one package)."""
        order = result.order
        shipment = order.shipment(case.shipment_id) if order and case.shipment_id else None
        if order is None or shipment is None or not shipment.packages:
            try:
                order = await self.station.client.get_order(case.order_id)
            except OmniumError as err:
                self._note(
                    case,
                    _("Labels not offered: order {order_id} not read: {reason}").format(
                        order_id=case.order_id, reason=err
                    ),
                )
                return
        await choose_and_reprint(self.station, order, case.shipment_id, waiting=self.waiting)

    def action_reprint(self) -> None:
        """Reprint the labels of the selected case's shipment."""
        case = self._need_case(open_only=False)
        if case is None:
            return

        async def run() -> None:
            self.banner(
                _("Reading order {order_id} for its labels… Esc to cancel").format(
                    order_id=case.order_id
                ),
                "info",
            )
            try:
                order = await self.waiting.run(
                    f"order {case.order_id}", self.station.client.get_order(case.order_id)
                )
            except OmniumError as err:
                self.banner(
                    _("Could not read order {order_id}: {reason}").format(
                        order_id=case.order_id, reason=err
                    ),
                    "bad",
                )
                return
            except RequestCancelled:
                self.banner(
                    _("Reprint of order {order_id} cancelled: nothing printed").format(
                        order_id=case.order_id
                    ),
                    "info",
                )
                return
            self.banner(_("Order {order_id} read").format(order_id=case.order_id), "info")
            await choose_and_reprint(self.station, order, case.shipment_id, waiting=self.waiting)

        self.run_worker(run(), group="labels")

    async def handle_scan(self, scan: Any) -> None:
        """On the desk a scan of an order id selects its case; packing waits until it closes."""
        table = self.query_one("#cases", DataTable)
        for key, case in self.cases.items():
            if case.order_id == scan_body(scan.text):
                table.move_cursor(row=table.get_row_index(key))
                return
        self.app.bell()
        self.banner(
            _("{scan}: no open case for it. Close the desk (Esc) to pack.").format(
                scan=repr(scan.text)
            ),
            "bad",
        )

    def action_shift(self) -> None:
        """The shift's figures per packer and hour, and its history."""
        self.app.push_screen(ShiftScreen(self.station.settings.shifts))

    def cancelled(self, case: Any, what: str) -> None:
        """A rerun or status change cancelled while Omnium had it: it may have been applied."""
        self.app.bell()
        # Under the case as well (kept across the reload): the banner is taken by the reading.
        self._note(
            case,
            _(
                "{action} cancelled: Omnium may still have done it (the desk's log says so). "
                "F5 shows the cases as they are now; do not repeat it before checking."
            ).format(action=what),
        )
        self.action_refresh()

    def action_close(self) -> None:
        """Escape: stop what the desk waits for (Omnium, the printer) if anything, else close."""
        if self.waiting.cancel():
            return
        self.app.pop_screen()
