"""The pack screen: lines, packages, totals and the last scan's result, driven by scans."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Input, Static

from packstation.i18n import N_, _, ngettext
from packstation.labels.sscc import SsccError
from packstation.packing.commands import Command
from packstation.packing.events import PackerSet
from packstation.packing.find import find_line
from packstation.packing.outcome import Action, Outcome, refused
from packstation.packing.scan import RejectKind
from packstation.packing.session import PackingSession
from packstation.packing.shipped import shipped_before
from packstation.packing.symbology import scan_body, shown
from packstation.packing.views import LineView, PackageView
from packstation.station.errors import JournalWriteFailed, SubmitNotRecorded
from packstation.tui.flow import journal, note_refusals, submit_session
from packstation.tui.lines_view import LinesView
from packstation.tui.package_text import package_text
from packstation.tui.scale import ScaleReadout, take_weight
from packstation.tui.scanner import Scan
from packstation.tui.screens.base import StationScreen
from packstation.tui.screens.package import PackageScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.workflow import WorkflowScreen
from packstation.tui.stray import StrayHold
from packstation.tui.widgets import BigResult, ScanBanner
from packstation.tui.wording import line_cells, qty

NARROW_BELOW = 110
"""Below this many columns the packages panel narrows so the lines keep readable names."""

COLUMNS = (("SKU", 12), (N_("Name"), 0), ("EAN", 14), (N_("Packed"), 9), (N_("Decision"), 12))
"""Column titles (SKU and EAN are the same in every language) and widths."""


def columns_for(lines: list[LineView]) -> tuple[tuple[str, int], ...]:
    """The table's columns, the SKU and Packed as wide as this order needs: the name gets the
    rest (on 80 columns every cell given back to it shows)."""
    sku = max((len(line.code or "") for line in lines), default=0)
    packed = max((len(line_cells(line)[3]) for line in lines), default=0)
    widths = {"SKU": min(16, max(3, sku)), "Packed": max(6, packed)}
    return tuple((_(title), widths.get(title, width)) for title, width in COLUMNS)


class PackScreen(StationScreen):
    """Scan items into packages. Every command barcode works here; F-keys do the same."""

    KEY_PRIORITY: ClassVar[tuple[str, ...]] = ("f3", "f11", "f7", "f6", "f4", "f2", "f9")
    """Which keys a narrow key bar keeps first: those no command barcode replaces (typed box
    and weight, finding a line, the scale), then the everyday ones. The rest is in ^p."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "command('CMD-NEW-PACKAGE')", N_("New package")),
        Binding("f3", "edit_package", N_("Box / weight")),
        Binding("f4", "command('CMD-UNDO')", N_("Undo")),
        Binding("f5", "command('CMD-REVIEW')", N_("Review")),
        Binding("f6", "command('CMD-SUBMIT')", N_("Submit")),
        Binding("f7", "take_weight", N_("Weigh")),
        Binding("f8", "command('CMD-ABORT')", N_("Abort order")),
        Binding("f9", "command('CMD-OPEN-LINES')", N_("Open lines")),
        Binding("f11", "find_line", N_("Find line")),
    ]

    WEIGH_ON_SCAN = (Command.NEW_PACKAGE.value, Command.SUBMIT.value)
    """With a scale set to weigh on scans, these commands first take the scale's weight."""

    def __init__(self, session: PackingSession, session_id: int) -> None:
        super().__init__()
        self.session = session
        self.session_id = session_id
        self.abort_armed = False
        self.last_banner: tuple[str, str] = ("", "info")
        self._cells: dict[str, tuple[str, ...]] = {}
        self._names: dict[str, str] = {}
        self._shown_packages: list[PackageView] | None = None
        self._resumed = False
        self._lines_view: LinesView | None = None
        self.open_only = False
        """Only the lines still open are listed (CMD-OPEN-LINES / F9 toggles)."""
        self._recorded = session.checkpoint()
        """The session as the journal holds it: what a failed journal write rolls back to."""
        self.hold = StrayHold(session.order.id)

    @property
    def lines_view(self) -> LinesView:
        """The table of lines (looked up once: it is touched on every scan)."""
        if self._lines_view is None:
            self._lines_view = self.query_one("#lines", LinesView)
        return self._lines_view

    @property
    def context(self) -> str:
        """The scan context this screen's scans are typed under."""
        return f"order:{self.session.order.id}:{self.session_id}"

    def compose_body(self) -> ComposeResult:
        """Order header with big totals, result banner, lines and packages."""
        order = self.session.order
        with Horizontal(id="pack-head"):
            with Vertical(id="pack-order"):
                yield Static(Text(_("ORDER {order_id}").format(order_id=order.id)), classes="title")
                shipment = self.session.shipment
                yield Static(
                    Text(
                        f"{order.customer_name or ''} · "
                        + _("shipment {shipment_id}").format(shipment_id=shipment.shipment_id)
                        + f" · {shipment.shipping_method_name or ''}"
                        + "".join(f" · {note}" for note in shipped_before(order, shipment))
                    ),
                    classes="hint",
                    id="pack-shipment",
                )
                yield Static("", id="pack-summary", classes="summary")
                if self.station.scale_feed is not None:
                    yield ScaleReadout(id="pack-scale")
            yield Digits("0", id="packed-count")
            yield Static("/", id="count-slash")
            yield Digits("0", id="packable-count")
        with Horizontal(id="pack-result"):
            yield BigResult(id="pack-big")
            yield ScanBanner(_("Scan the items"), id="pack-banner")
        with Horizontal(id="pack-main"):
            with Vertical(id="lines-box"):
                yield Static("", id="lines-header")
                columns = columns_for(self.session.lines())
                yield LinesView(columns, flex=1, droppable=2, id="lines")
                yield Input(placeholder=_("Find a line: SKU or part of its name"), id="find-line")
            yield Static("", id="packages")

    def on_mount(self) -> None:
        """Fill the table once; later scans only touch the rows they change."""
        self.station.scan_context = self.context
        for line in self.session.lines():
            self._names[line.line_item_id] = line.code or line.line_item_id
        self._fill_in()
        shipped = shipped_before(self.session.order, self.session.shipment)
        if shipped:
            self.banner(_("Scan the items. Reopened: {notes}").format(notes="; ".join(shipped)))

    def _fill_in(self) -> None:
        """What composing leaves empty: rows, totals, packages, the result (on_mount and after
        a language switch composed the screen again)."""
        self._fill_rows()
        self.refresh_totals()
        self._shown_packages = None
        self.refresh_packages()
        self.query_one("#find-line", Input).display = False
        self.query_one("#pack-big", BigResult).show("info")
        self.lines_view.focus()
        self.call_after_refresh(self._draw_header)

    async def change_language(self) -> None:
        """Compose the screen again in the new language and fill it in as it was; the last
        result stays as it was worded (it told what a scan did, in the language of then)."""
        cursor = self.lines_view.cursor_key if self.is_mounted else None
        text, kind = self.last_banner
        self._lines_view = None
        await self.recompose()
        self._fill_in()
        if text:
            self.banner(text, kind)
        if cursor is not None:
            self.lines_view.move_to(cursor)
        await super().change_language()

    def _fill_rows(self) -> None:
        """Every row again (all lines, or the open ones only)."""
        rows = []
        for line in self.session.lines():
            if self.open_only and line.remaining <= 0:
                continue
            cells = line_cells(line)
            self._cells[line.line_item_id] = cells
            rows.append((line.line_item_id, cells, line.remaining <= 0))
        self.lines_view.set_rows(rows)

    def toggle_open_lines(self) -> None:
        """List only the lines still open, or all lines again."""
        self.open_only = not self.open_only
        self._fill_rows()
        self.refresh_totals()

    def _draw_header(self) -> None:
        table = self.lines_view
        self.query_one("#lines-header", Static).update(
            Text(table.header_text(table.scrollable_content_region.width)), layout=False
        )

    def on_resize(self) -> None:
        """Column widths follow the terminal width."""
        self._fit_width()
        self.call_after_refresh(self._draw_header)

    def _fit_width(self) -> None:
        # Not Textual's breakpoints: a screen under a dialog misses the terminal's resizes.
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow")

    def on_screen_resume(self) -> None:
        """Back from a dialog: scans apply to this order again."""
        super().on_screen_resume()
        self._fit_width()
        self.station.scan_context = self.context
        if self._resumed:
            self.refresh_all()
        # The first resume comes right after on_mount filled everything in.
        self._resumed = True

    # --- showing ------------------------------------------------------------------------

    def banner(self, text: str, kind: str = "info") -> None:
        """Show the last scan's result, in words and in large letters."""
        self.last_banner = (text, kind)
        self.query_one("#pack-banner", ScanBanner).show(text, kind)
        self.query_one("#pack-big", BigResult).show(kind)

    def refresh_totals(self) -> None:
        """The big counts and the one-line summary."""
        totals = self.session.totals()
        self.query_one("#packed-count", Digits).update(qty(totals.units_packed))
        self.query_one("#packable-count", Digits).update(qty(totals.units_packable))
        summary = totals.summary
        if self.open_only:
            summary += " · " + _("OPEN LINES ONLY (F9 shows all)")
        self.query_one("#pack-summary", Static).update(Text(summary), layout=False)

    def refresh_packages(self) -> None:
        """Every package with its box, dimensions, weight and contents (redrawn when changed)."""
        packages = self.session.packages()
        if packages == self._shown_packages:
            return
        self._shown_packages = packages
        text = Text()
        for package in packages:
            text.append_text(package_text(package, self._names))
            text.append("\n")
        # Fixed-size panel: no layout pass per scan (contents beyond its height are cut).
        self.query_one("#packages", Static).update(text, layout=False)

    def refresh_line(self, line_item_id: str) -> None:
        """Update one row if it changed."""
        self._show_line(self.session.line(line_item_id))

    def _show_line(self, line: LineView) -> None:
        cells = line_cells(line)
        if self._cells.get(line.line_item_id) == cells:
            return
        self._cells[line.line_item_id] = cells
        if not self.lines_view.has(line.line_item_id):
            # Open lines only, and an undo opened a hidden line again: list it.
            if line.remaining > 0:
                self._fill_rows()
            return
        self.lines_view.update_row(line.line_item_id, cells, line.remaining <= 0)

    def refresh_all(self) -> None:
        """Re-read every line (after undo, decisions, resume)."""
        if not self.is_mounted:
            return
        for line in self.session.lines():
            self._show_line(line)
        self.refresh_totals()
        self.refresh_packages()

    def highlight(self, line_item_id: str | None, *, flash: bool = True) -> None:
        """Move the cursor to the line just scanned (fully in view) and flash it."""
        if line_item_id is None:
            return
        table = self.lines_view
        table.move_to(line_item_id)
        if flash:
            table.flash(line_item_id)

    async def record(self, outcome: Outcome, scans: int = 1) -> Outcome:
        """Journal what changed; if the write fails, roll the session back and refuse instead."""
        try:
            await journal(self.station, self.session_id, outcome)
        except JournalWriteFailed as err:
            self.session.rollback(self._recorded)
            again = ngettext(
                "Nothing changed: call a supervisor, then make this scan again.",
                "Nothing changed: call a supervisor, then make these {count} scans again.",
                scans,
            ).format(count=scans)
            return refused(f"{err}. {again}", RejectKind.NOT_RECORDED)
        self._recorded = self.session.checkpoint()
        return outcome

    async def show_outcome(self, outcome: Outcome) -> Outcome:
        """Journal what changed, then show it: green when accepted, red + bell when refused.

        Returns the outcome as recorded (a refusal when the journal could not be written).
        """
        outcome = await self.record(outcome)
        if outcome.line_item_id is not None:
            self.refresh_line(outcome.line_item_id)
            self.refresh_totals()
            self.refresh_packages()
        if len(outcome.events) > 1 or outcome.line_item_id is None:
            self.refresh_all()
        if outcome.rejection is not None:
            self.station.cue("refused")
            self.banner(f"✘ {outcome.message}", "bad")
            self.highlight(outcome.line_item_id, flash=False)
        elif outcome.action in (Action.AWAIT_LINE, Action.AWAIT_ITEM, Action.ABORT):
            # Amber until the item (or the abort's confirmation) comes; the abort's question
            # sets its own banner and cue.
            self.banner(f"… {outcome.message}", "wait")  # amber until its item is scanned
        else:
            self.station.cue("accepted")
            self.banner(f"✔ {outcome.message}", "ok")
            self.highlight(outcome.line_item_id)
        for event in outcome.events:
            if isinstance(event, PackerSet):
                self.station.set_packer(event.user_id)
        await note_refusals(self.station, self.session, self.session_id, [outcome])
        return outcome

    # --- scans and keys -----------------------------------------------------------------

    async def handle_scan(self, scan: Scan) -> None:
        """Apply one scan to this order's session."""
        if scan.typed_under is not None and scan.typed_under != self.context:
            self.app.bell()
            self.banner(
                "✘ "
                + _("{scan} was scanned for another order; not applied").format(
                    scan=repr(scan.text)
                ),
                "bad",
            )
            return
        await self.apply_text(scan.text, scanned=scan.scanned)

    def _interpret(self, text: str, *, scanned: bool) -> Outcome:
        """The session's answer to a scan, unless a stray scan before it holds it."""
        held = self.hold.screen(text, scanned=scanned)
        if held is not None:
            return held if held.rejection is not None else self._still_waiting(held)
        outcome = self.session.handle_scan(text)
        self.hold.note(text, outcome)
        return outcome

    def _still_waiting(self, released: Outcome) -> Outcome:
        """The hold's release, amber and saying so when a line command or a count still waits
        for its item: the release's banner replaced the one that said it waits, and the next
        item would complete it."""
        session = self.session
        if session.pending_command is not None:
            waits = _("{command} still waits for an item of its line").format(
                command=session.pending_command.value
            )
        elif session.pending_count is not None:
            waits = _("the count {count} still waits for its item").format(
                count=session.pending_count
            )
        else:
            return released
        return replace(
            released,
            action=Action.AWAIT_ITEM,
            message=_("{message}; {waits} (CMD-UNDO drops it)").format(
                message=released.message, waits=waits
            ),
        )

    async def handle_scans(self, batch: list[Scan]) -> None:
        """A burst of item scans: apply each in order, journal them in one commit, draw once."""
        if self.abort_armed:
            await self.handle_scan(batch[0])
            batch = batch[1:]
        outcomes: list[Outcome] = []
        for scan in batch:
            if scan.typed_under is not None and scan.typed_under != self.context:
                self.app.bell()
                continue
            outcomes.append(self._interpret(scan.text, scanned=scan.scanned))
        events = tuple(e for o in outcomes for e in o.events)
        recorded = await self.record(Outcome(events=events), len(outcomes))
        if recorded.rejection is not None:
            outcomes = [recorded]
            self.refresh_all()
        touched = {o.line_item_id for o in outcomes if o.line_item_id is not None}
        for line_item_id in touched:
            self.refresh_line(line_item_id)
        self.refresh_totals()
        self.refresh_packages()
        for outcome in outcomes:
            if outcome.rejection is not None or outcome.action is Action.ORDER_ID:
                self.station.cue("refused")
        if outcomes:
            last = outcomes[-1]
            if last.rejection is not None:
                self.banner(f"✘ {last.message}", "bad")
                self.highlight(last.line_item_id, flash=False)
            elif last.action in (Action.AWAIT_LINE, Action.AWAIT_ITEM):
                self.banner(f"… {last.message}", "wait")  # amber until its item is scanned
            else:
                self.station.cue("accepted")
                self.banner(f"✔ {last.message}", "ok")
                self.highlight(last.line_item_id)
        await note_refusals(self.station, self.session, self.session_id, outcomes)

    async def apply_text(self, text: str, *, scanned: bool = False) -> None:
        """Interpret a scan in the session and act on what it asks for."""
        if self.abort_armed:
            self.abort_armed = False
            if scan_body(text).upper() == Command.ABORT.value:
                await self.abandon()
                return
            # Not applied: the packer was being asked something else. Say so and what to do.
            self.station.cue("refused")
            self.banner(
                "✘ "
                + _(
                    "{scan} not applied: order {order_id} was waiting for CMD-ABORT to be "
                    "confirmed. The abort is off and the order stays open: scan it again to "
                    "use it, or CMD-ABORT twice to abandon the order."
                ).format(scan=shown(scan_body(text)), order_id=self.session.order.id),
                "bad",
            )
            return
        if (
            self.station.settings.scale_weigh_on == "scan"
            and scan_body(text).upper() in self.WEIGH_ON_SCAN
            and not self.hold.held
        ):
            await take_weight(self, on_scan=True)
        outcome = self._interpret(text, scanned=scanned)
        await self.show_outcome(outcome)
        await self.follow_action(outcome.action)
        if outcome.action is Action.ORDER_ID:
            self.app.bell()
            self.banner(
                "✘ "
                + _("Order {order_id} is open: submit it or abort it (F8) first").format(
                    order_id=self.session.order.id
                ),
                "bad",
            )

    async def follow_action(self, action: object) -> None:
        """Open the review, send the submit, or ask about aborting."""
        if action is Action.REVIEW_SUBMIT:
            if isinstance(self.app.screen, ReviewScreen):
                self.app.screen.refresh_review()
            else:
                await self.app.push_screen(ReviewScreen(self))
        elif action is Action.CONFIRM_SUBMIT:
            await self.submit()
        elif action is Action.TOGGLE_OPEN_LINES:
            self.toggle_open_lines()
            if self.open_only:
                self.banner("✔ " + _("Listing only the open lines"), "ok")
            else:
                self.banner("✔ " + _("Listing every line"), "ok")
        elif action is Action.ABORT:
            self.abort_armed = True
            self.station.cue("refused")
            self.query_one("#pack-big", BigResult).show("stop")
            self.banner(
                _(
                    "Abandon order {order_id}? Scan CMD-ABORT again or press F8 to confirm; "
                    "any other scan keeps the order."
                ).format(order_id=self.session.order.id),
                "bad",
            )

    async def submit(self) -> None:
        """Write the requests to the outbox and show the workflow screen."""
        problems = self.session.check_submit()
        if problems:
            self.station.cue("refused")
            self.banner("✘ " + "; ".join(problems), "bad")
            return
        self.banner(_("Sending…"), "info")
        try:
            tracker = await submit_session(self.station, self.session, self.session_id)
        except SubmitNotRecorded as err:
            self.app.bell()
            self.banner("✘ " + str(err), "bad")
            return
        except SsccError as err:
            # No serial for a package (a warehouse station offline with its block used up):
            # nothing was written, the order stays open to send again.
            self.app.bell()
            self.banner("✘ " + _("Not sent: {reason}").format(reason=err), "bad")
            return
        await self.station.show_workflow(WorkflowScreen(tracker))

    async def abandon(self) -> None:
        """Discard the journal session and go back to the order screen."""
        await self.station.in_thread(self.station.store.journal.discard, self.session_id)
        self.station.scan_context = None
        await self.station.back_to_orders(
            _("Order {order_id} abandoned").format(order_id=self.session.order.id), "info"
        )

    def action_command(self, command: str) -> None:
        """An F-key does what its command barcode does, in order with the scans."""
        self.station.post_scan(command)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F7 (weigh) only where a scale is configured."""
        if action == "take_weight":
            return self.station.scale_feed is not None
        return True

    def action_take_weight(self) -> None:
        """Record the scale's stable weight, less the box's tare, in order with the scans."""

        async def run() -> None:
            await take_weight(self)

        self.station.post_action(run, "weigh")

    def action_find_line(self) -> None:
        """Show the find field: typing a SKU or part of a name moves to the first match."""
        field = self._find_field()
        if field is None:
            return
        field.display = True
        field.value = ""
        field.focus()

    @on(Input.Changed, "#find-line")
    def _find_changed(self, event: Input.Changed) -> None:
        found = find_line(self.session.lines(), event.value)
        if found is None:
            return
        if not self.lines_view.has(found):
            self.open_only = False
            self._fill_rows()
        self.lines_view.move_to(found)

    @on(Input.Submitted, "#find-line")
    def _find_done(self) -> None:
        self._close_find()

    def _close_find(self) -> None:
        field = self._find_field()
        if field is None:
            return
        field.display = False
        self.lines_view.focus()

    def _find_field(self) -> Input | None:
        """The find field; None once the screen is closing (a key the fuzz test sent as the
        screen left reached the action after its widgets were removed: NoMatches crashed)."""
        return next(iter(self.query("#find-line").results(Input)), None)

    def key_escape(self) -> None:
        """Escape closes the find field."""
        if self.query_one("#find-line", Input).display:
            self._close_find()

    def action_edit_package(self) -> None:
        """Open the package dialog for the open package."""
        self.station.post_action(lambda: self.app.push_screen(PackageScreen(self)), "package")
