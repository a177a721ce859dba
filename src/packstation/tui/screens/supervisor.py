"""The supervisor desk: aborted workflows and failed submits, and what to do about them."""

from __future__ import annotations

from datetime import UTC
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select, Static

from packstation.omnium.errors import OmniumError
from packstation.packing.symbology import scan_body
from packstation.packing.workflow_preview import find_order_type
from packstation.station.supervisor_actions import (
    mark_reviewed,
    rerun_workflow,
    set_status_without_workflow,
)
from packstation.station.supervisor_cases import merge_cases, omnium_cases
from packstation.tui import warehouse_desk
from packstation.tui.labels import choose_and_reprint
from packstation.tui.screens.base import StationModal, StationScreen
from packstation.tui.screens.shift import ShiftScreen
from packstation.tui.screens.workflow import timeline
from packstation.tui.waiting import RequestCancelled, Waiting
from packstation.tui.widgets import ScanBanner
from packstation.tui.wording import counted

WAREHOUSE_REFRESH_SECONDS = 5.0
"""How often a desk with the warehouse database re-reads the cases of every station."""


def when(moment: Any) -> str:
    """A case's time, to the minute, in UTC (the same on every station)."""
    if moment is None:
        return "-"
    if hasattr(moment, "astimezone"):
        return str(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return str(moment)[:16]


def case_steps(case: Any) -> Text:
    """A case's details: order, shipment, packer, when, every step with status and reason."""
    text = Text()
    text.append(f"Order {case.order_id}  shipment {case.shipment_id or '-'}\n", style="bold")
    text.append(f"Source: {case.sources}   packed by {case.packer or '-'}")
    text.append(f"   at {when(case.packed_at)}\n")
    if case.error:
        text.append(f"Error: {case.error}\n", style="bold red")
    if case.review is not None:
        station = case.extra.get("acted_on_station")
        where = f" on station {station}" if station else ""
        text.append(
            f"Settled by {case.review.supervisor}{where} at {when(case.review.reviewed_at)}:"
            f" {case.review.note}\n",
            style="bold",
        )
    for step in case.steps or []:
        status = str(step.status)
        style = {"success": "green", "warning": "yellow", "error": "bold red"}.get(
            status.lower(), ""
        )
        text.append(f"  {step.name:<28} {status:<8} {step.reason or ''}\n", style=style)
    if case.omnium_errors:
        text.append("Omnium holds these errors on the order:\n", style="bold")
        for error in case.omnium_errors:
            text.append(f"  {error.name:<28} {error.status:<8} {error.reason or ''}\n")
    return text


class NoteScreen(StationModal):
    """Asks for text (a reason or a note; required) and optionally a status from a list."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits for the dialog to close
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("f6", "save", "Save"),
    ]

    def __init__(
        self,
        title: str,
        label: str,
        statuses: tuple[str, ...] | None = None,
        status: str | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.statuses = statuses
        """The statuses offered (the order type's, from Omnium); None: no status asked."""
        self.status = status if statuses and status in statuses else None

    def compose(self) -> ComposeResult:
        """The fields."""
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="title")
            if self.statuses is not None:
                yield Label("Status (the order type's, from Omnium)")
                options = [(name, name) for name in self.statuses]
                yield Select(
                    options, value=self.status or Select.NULL, id="note-status", prompt="choose"
                )
                yield Label("", id="status-error", classes="field-error")
            yield Label(Text(self.label))
            yield Input(id="note-text")
            yield Label("", id="note-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Save (F6)", id="note-save", variant="primary")
                yield Button("Cancel (Esc)", id="note-cancel")

    def on_mount(self) -> None:
        """Start in the text field."""
        self.query_one("#note-text", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        """Refuse an empty reason at the field; otherwise return (status, text)."""
        text = self.query_one("#note-text", Input).value.strip()
        status = None
        if self.statuses is not None:
            chosen = self.query_one("#note-status", Select).value
            status = chosen if isinstance(chosen, str) else None
            if not status:
                self.query_one("#status-error", Label).update("a status is required")
                self.app.bell()
                return
        if not text:
            self.query_one("#note-error", Label).update("required: say why")
            self.app.bell()
            return
        self.dismiss((status, text))

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


class SupervisorScreen(StationScreen):
    """Lists cases from this station and from Omnium; rerun, set status, mark reviewed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "rerun", "Rerun workflow"),
        Binding("f3", "set_status", "Set status (no workflow)"),
        Binding("f4", "reviewed", "Mark reviewed"),
        Binding("f5", "refresh", "Refresh"),
        Binding("f6", "reprint", "Reprint labels"),
        Binding("f8", "shift", "Shift figures and history"),
        Binding("escape", "close", "Close desk"),
    ]

    def __init__(self, supervisor: str) -> None:
        super().__init__()
        self.supervisor = supervisor
        self.cases: dict[str, Any] = {}
        self.waiting = Waiting()
        """The desk's requests to Omnium while they wait (Escape cancels them)."""

    def compose_body(self) -> ComposeResult:
        """Cases table, details, last action's result."""
        yield Static(Text(f"SUPERVISOR DESK — {self.supervisor}"), classes="title")
        yield ScanBanner("Loading cases…", id="sup-banner")
        with Horizontal(id="sup-main"):
            table: DataTable[str] = DataTable(id="cases", cursor_type="row")
            yield table
            with VerticalScroll(id="sup-detail"):
                yield Static("", id="case-detail")
                yield Static("", id="action-result")

    def on_mount(self) -> None:
        """Columns, then load."""
        table = self.query_one("#cases", DataTable)
        # Sized to fit the desk's left pane on a 150-column terminal; details on the right.
        for label, width in (
            ("Source", 14),
            ("Order", 12),
            ("Shipment", 8),
            ("Problem", 24),
            ("Packer", 8),
            ("When", 11),
        ):
            table.add_column(label, key=label.lower(), width=width)
        table.focus()
        self.action_refresh()
        if self.station.services.warehouse is not None:
            # What other desks do shows here without F5.
            self.set_interval(WAREHOUSE_REFRESH_SECONDS, self._refresh_quietly)

    def banner(self, text: str, kind: str = "info") -> None:
        """Show a message."""
        self.query_one("#sup-banner", ScanBanner).show(text, kind)

    def action_refresh(self) -> None:
        """Re-read the cases."""
        self.run_worker(self._load(), exclusive=True, group="cases")

    def _refresh_quietly(self) -> None:
        """Re-read the cases, leaving the banner's message as it is."""
        self.run_worker(self._load(announce=False), exclusive=True, group="cases")

    async def _load(self, *, announce: bool = True) -> None:
        ours, where = await warehouse_desk.load_cases(self.station)
        problem = ""
        if announce:
            self.banner("Reading the cases from Omnium… Esc to cancel", "info")
        try:
            reading = omnium_cases(self.station.client, self.station.store)
            # A quiet re-read is not something the supervisor waits for: Escape leaves it.
            theirs = await (
                self.waiting.run("the cases from Omnium", reading) if announce else reading
            )
            theirs = await warehouse_desk.unsettled(self.station, theirs)
        except OmniumError as err:
            theirs = []
            problem = f" (Omnium not read: {err})"
        except RequestCancelled:
            theirs = []
            problem = " (Omnium not read: cancelled with Esc; F5 reads it again)"
        cases = merge_cases(ours, theirs)
        table = self.query_one("#cases", DataTable)
        kept = self.selected()
        table.clear()
        self.cases = {}
        for case in cases:
            if case.key in self.cases:
                continue
            self.cases[case.key] = case
            failing = next((s for s in case.steps or [] if str(s.status).lower() == "error"), None)
            what = f"{failing.name}: {failing.reason}" if failing else (case.error or "")
            if case.review is not None:
                # Settled on some desk (the warehouse database shows it to every desk a while).
                what = f"SETTLED by {case.review.supervisor}: {what}"
            cells = (
                case.sources,
                case.order_id,
                case.shipment_id or "",
                what[:60],
                case.packer or "",
                when(case.packed_at)[5:16],
            )
            table.add_row(*(Text(cell) for cell in cells), key=case.key)
        if kept is not None and kept.key in self.cases:
            table.move_cursor(row=table.get_row_index(kept.key))
        still_open = sum(1 for c in self.cases.values() if c.review is None)
        if announce:
            self.banner(
                f"{counted(still_open, 'open case')}{where}{problem}",
                "bad" if problem or "not reached" in where else "info",
            )
        self.show_selected()

    def selected(self) -> Any | None:
        """The highlighted case."""
        table = self.query_one("#cases", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self.cases.get(str(row_key.value))

    @on(DataTable.RowHighlighted, "#cases")
    def show_selected(self) -> None:
        """Details of the highlighted case."""
        case = self.selected()
        self.query_one("#case-detail", Static).update(
            case_steps(case) if case is not None else Text("No open cases.")
        )

    def _need_case(self) -> Any | None:
        case = self.selected()
        if case is None:
            self.app.bell()
            self.banner("No case selected", "bad")
        return case

    def action_rerun(self) -> None:
        """Run the workflow again (UpdateStatus with the shipment's status)."""
        case = self._need_case()
        if case is None:
            return

        async def run() -> None:
            claimed = await self._claim(case, "rerun")
            if claimed is None:
                return
            self.banner(f"Rerunning the workflow of order {case.order_id}… Esc to cancel", "info")
            rerun = rerun_workflow(
                self.station.client,
                self.station.store,
                order_id=case.order_id,
                shipment_id=case.shipment_id or "",
                supervisor=self.supervisor,
                case_key=case.key,
            )
            try:
                result = await self.waiting.run(f"the rerun of order {case.order_id}", rerun)
            except (OmniumError, ValueError, PermissionError) as err:
                self.banner(f"Rerun failed: {err}", "bad")
                return
            except RequestCancelled:
                self.cancelled(f"Rerun of order {case.order_id}")
                return
            if claimed is not True and not result.is_aborted:
                await self._settle(claimed, "rerun")
            self.show_result(result, "Rerun")

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
                self.banner(f"Setting order {case.order_id} to {status}… Esc to cancel", "info")
                setting = set_status_without_workflow(
                    self.station.client,
                    self.station.store,
                    order_id=case.order_id,
                    shipment_id=case.shipment_id,
                    status=status,
                    reason=reason,
                    supervisor=self.supervisor,
                    case_key=case.key,
                )
                try:
                    result = await self.waiting.run(f"the status of order {case.order_id}", setting)
                except (OmniumError, ValueError, PermissionError) as err:
                    self.banner(f"Set status failed: {err}", "bad")
                    return
                except RequestCancelled:
                    self.cancelled(f"Setting order {case.order_id} to {status}")
                    return
                if claimed is not True and not result.is_aborted:
                    await self._settle(claimed, "set_status", reason)
                self.show_result(result, f"Status set to {status}")

            self.run_worker(run(), exclusive=True, group="action")

        async def ask() -> None:
            # The statuses of this order's type: read the order for its type (and the status
            # its shipment has now, offered first).
            try:
                order = await self.station.client.get_order(case.order_id)
            except OmniumError as err:
                self.banner(f"Set status: cannot read order {case.order_id}: {err}", "bad")
                return
            order_type = find_order_type(self.station.services.order_types, order.order_type)
            if order_type is None or not order_type.status_names:
                self.banner(
                    f"Set status: Omnium's order types have no statuses for order "
                    f"{case.order_id} (type {order.order_type or 'Online'})",
                    "bad",
                )
                return
            shipment = order.shipment(case.shipment_id) if case.shipment_id else None
            current = (shipment.order_status if shipment else None) or order.status
            self.app.push_screen(
                NoteScreen(
                    f"Set order {case.order_id} status without workflow "
                    f"(type {order_type.name}, now {current or '-'})",
                    "Reason (required)",
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
            _, note = answer

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
                self.banner(f"Case of order {case.order_id} marked reviewed", "ok")
                await self._load()

            self.run_worker(run(), exclusive=True, group="action")

        self.app.push_screen(NoteScreen(f"Review order {case.order_id}", "Note"), chosen)

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
        self.banner(f"Not done: {' '.join(str(err).split())}", "bad")
        self._refresh_quietly()

    def show_result(self, result: Any, what: str) -> None:
        """Show an action's own workflow result."""
        text = Text(f"{what}: ", style="bold")
        text.append("ABORTED" if result.is_aborted else "done", style="bold")
        text.append("\n")
        text.append_text(timeline([result], 1))
        self.query_one("#action-result", Static).update(text)
        self.banner(
            f"{what}: {'aborted' if result.is_aborted else 'done'}",
            "bad" if result.is_aborted else "ok",
        )
        self.action_refresh()

    def action_reprint(self) -> None:
        """Reprint the labels of the selected case's shipment."""
        case = self._need_case()
        if case is None:
            return

        async def run() -> None:
            self.banner(f"Reading order {case.order_id} for its labels… Esc to cancel", "info")
            try:
                order = await self.waiting.run(
                    f"order {case.order_id}", self.station.client.get_order(case.order_id)
                )
            except OmniumError as err:
                self.banner(f"Could not read order {case.order_id}: {err}", "bad")
                return
            except RequestCancelled:
                self.banner(f"Reprint of order {case.order_id} cancelled: nothing printed", "info")
                return
            self.banner(f"Order {case.order_id} read", "info")
            await choose_and_reprint(self.station, order, case.shipment_id)

        self.run_worker(run(), group="labels")

    async def handle_scan(self, scan: Any) -> None:
        """On the desk a scan of an order id selects its case; packing waits until it closes."""
        table = self.query_one("#cases", DataTable)
        for key, case in self.cases.items():
            if case.order_id == scan_body(scan.text):
                table.move_cursor(row=table.get_row_index(key))
                return
        self.app.bell()
        self.banner(f"{scan.text!r}: no open case for it. Close the desk (Esc) to pack.", "bad")

    def action_shift(self) -> None:
        """The shift's figures per packer and hour, and its history."""
        self.app.push_screen(ShiftScreen(self.station.settings.shifts))

    def cancelled(self, what: str) -> None:
        """A rerun or status change cancelled while Omnium had it: it may have been applied."""
        self.app.bell()
        message = (
            f"{what} cancelled: Omnium may still have done it (the desk's log says so). "
            "F5 shows the cases as they are now; do not repeat it before checking."
        )
        # Beside the case as well: the banner is taken by the cases being read again.
        self.query_one("#action-result", Static).update(Text(message, style="bold red"))
        self.banner(message, "bad")
        self.action_refresh()

    def action_close(self) -> None:
        """Escape: cancel the desk's request to Omnium if one waits, else back to the orders."""
        if self.waiting.cancel():
            return
        self.app.pop_screen()
