"""The order screen: scan or type an order id, or pick one from the station's queue."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, LoadingIndicator, Static

from packstation.i18n import N_, _
from packstation.omnium.errors import OmniumError
from packstation.packing.badges import sign_in_refusal
from packstation.packing.commands import BADGE_PREFIX, Command
from packstation.packing.symbology import scan_body, shown
from packstation.pins import pin_for
from packstation.tui.flow import (
    OpenOrderError,
    load_packable_order,
    start_session,
    waiting_orders,
)
from packstation.tui.scanner import Scan
from packstation.tui.screens.base import StationScreen
from packstation.tui.screens.dispatch import DispatchScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.pin import PinScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.waiting import RequestCancelled, Waiting
from packstation.tui.widgets import ScanBanner

MAX_ORDER_ID_CHARS = 100
"""Longer scans are not looked up as order ids (they are misreads or runaway keys)."""


QUEUE_TITLE = N_("Orders waiting at this warehouse")
"""Shown translated: `_(QUEUE_TITLE)`."""
READY = N_("Ready for the next order")
"""The order screen's banner when nothing happens (shown translated: `_(READY)`)."""
COLUMNS = (
    (N_("Order"), 14),
    (N_("Customer"), 30),
    (N_("Status"), 18),
    (N_("To pack"), 26),
)
"""The queue's columns and their fixed widths."""


class OrderScreen(StationScreen):
    """Waits for an order: scan its barcode, type its id, or choose it from the queue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "refresh_queue", N_("Refresh queue")),
        Binding("f7", "supervisor", N_("Supervisor desk")),
        # Not in the footer (its keys stay the packer's); in the command palette and README.
        Binding("f4", "dispatch", N_("Dispatch at the dock"), show=False),
        Binding("escape", "cancel_load", N_("Cancel loading"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.waiting = Waiting()
        """The order or the queue being read, while it is (Escape cancels it)."""
        self.sending: str | None = None
        """The order whose background send the banner reports, until another message."""
        self.last_banner: tuple[str, str] | None = None
        """The banner's text and kind; None while it says READY (redrawn in a new language)."""

    def compose_body(self) -> ComposeResult:
        """Prompt, result banner, loading indicator, the queue."""
        with Vertical(id="order-body"):
            with Horizontal(id="order-head"):
                yield Static(_("SCAN AN ORDER"), id="order-title", classes="title")
                yield Static("", id="order-packer")
            yield Static(
                _(
                    "Scan the order barcode, or type the order id and press Enter. "
                    "Arrow keys + Enter open an order from the queue."
                ),
                classes="hint",
            )
            yield ScanBanner(_("Ready"), id="order-banner")
            yield LoadingIndicator(id="order-loading")
            yield Static(_(QUEUE_TITLE), id="queue-title", classes="section")
            table: DataTable[str] = DataTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield table

    def on_mount(self) -> None:
        """Set up the queue table and ask for the queue."""
        self._fill_in()
        self.station.scan_context = None

    async def change_language(self) -> None:
        """Compose the screen again in the new language; the banner stays as it was worded
        (unless it said READY) and the queue is read again."""
        last = self.last_banner
        await self.recompose()
        self._fill_in()
        if last is not None:
            self.banner(*last)
        if self.station.started.is_set() and self.app.screen is self:
            self.action_refresh_queue()
        await super().change_language()

    def _fill_in(self) -> None:
        """The queue's columns, the READY banner, who packs; the queue takes the keys."""
        table = self.query_one("#queue", DataTable)
        # Fixed widths: the table does not jump about while the queue loads.
        for label, width in COLUMNS:
            table.add_column(_(label), width=width)
        self.query_one("#order-loading").display = False
        self.banner(_(READY), "info")
        self.show_packer()
        table.focus()

    @property
    def badge_needed(self) -> bool:
        """No packer signed in, and the settings want the badge before an order opens."""
        return not self.station.packer and not self.station.settings.allow_packing_before_badge

    def show_packer(self) -> None:
        """Who packs, or that nobody does yet and a badge is wanted."""
        line = self.query_one("#order-packer", Static)
        packer = self.station.packer
        if packer:
            line.set_classes("hint")
            line.update(
                Text(
                    _(
                        "Packer {packer} signed in · scan CMD-SIGN-OUT at the end of the shift"
                    ).format(packer=packer)
                )
            )
        elif self.badge_needed:
            line.set_classes("problems")
            line.update(_("NO PACKER SIGNED IN: scan your badge (USER-…)"))
        else:
            line.set_classes("hint")
            line.update(
                _("No packer signed in: scan your badge (USER-…); it is asked at the submit")
            )

    def on_screen_resume(self) -> None:
        """Back on this screen: no order is open; refresh the queue."""
        super().on_screen_resume()
        self.station.scan_context = None
        self.show_packer()
        # Not before start-up is done: run_startup asks for the queue itself, a moment later.
        if self.station.started.is_set():
            self.action_refresh_queue()

    def banner(self, text: str, kind: str = "info", *, sending: str | None = None) -> None:
        """Show a message in the banner (`sending`: it reports that order's background send)."""
        self.sending = sending
        self.last_banner = None if (text, kind) == (_(READY), "info") else (text, kind)
        self.query_one("#order-banner", ScanBanner).show(text, kind)

    def send_ended(self, order_id: str, text: str, kind: str) -> None:
        """A background send ended: say so if the banner still says it is being sent."""
        if self.sending == order_id:
            self.banner(text, kind, sending=order_id)

    def alert_acknowledged(self, order_id: str) -> None:
        """The alert for this order was acknowledged: the banner about it is old news."""
        if self.sending == order_id:
            self.banner(
                _("Alert for {order_id} acknowledged: scan the next order").format(
                    order_id=order_id
                ),
                "info",
            )

    def show_progress(self, on: bool) -> None:
        """Show or hide the progress indicator."""
        self.query_one("#order-loading").display = on

    async def handle_scan(self, scan: Scan) -> None:
        """An order id opens the order; a badge sets the packer (or opens the supervisor desk)."""
        text = scan_body(scan.text)
        upper = text.upper()
        if upper.startswith(BADGE_PREFIX):
            badge = text[len(BADGE_PREFIX) :].strip()
            if self.station.is_supervisor(text):
                # The desk opens for the supervisor; the packer at the station stays the same.
                await self.open_supervisor(badge)
                return
            settings = self.station.settings
            refusal = sign_in_refusal(badge, settings.packers, settings.supervisors)
            if refusal is not None:
                self.station.cue("refused")
                self.banner(refusal, "bad")
                return
            self.station.set_packer(badge)
            self.show_packer()
            self.banner(
                _("Packer {packer} signed in: scan an order").format(packer=self.station.packer),
                "ok",
            )
            return
        if upper == Command.SIGN_OUT.value:
            await self.sign_out()
            return
        if upper == Command.NEXT.value:
            self.banner(_(READY), "info")
            return
        if upper in {c.value for c in Command} or upper.startswith("BOX-"):
            self.app.bell()
            self.banner(
                _("{scan}: no order is open. Scan an order first.").format(scan=text),
                "bad",
            )
            return
        if not text:
            return
        if self.badge_needed:
            self.station.cue("refused")
            self.banner(
                _(
                    "{scan} not opened: no packer is signed in. Scan your badge (USER-…), "
                    "then the order."
                ).format(scan=shown(text)),
                "bad",
            )
            return
        if len(text) > MAX_ORDER_ID_CHARS:
            self.app.bell()
            self.banner(
                _(
                    "{scan}: too long for an order id (at most {count} characters). "
                    "Scan the order barcode again."
                ).format(scan=shown(text), count=MAX_ORDER_ID_CHARS),
                "bad",
            )
            return
        self.banner(_("Loading order {order_id}… Esc to cancel").format(order_id=text), "info")
        self.show_progress(True)
        try:
            session = await self.waiting.run(
                _("order {order_id}").format(order_id=text),
                load_packable_order(self.station, text),
            )
            sid = await start_session(self.station, session)
        except OpenOrderError as err:
            self.show_progress(False)
            self.app.bell()
            self.banner(str(err), "bad")
            return
        except RequestCancelled:
            self.show_progress(False)
            self.banner(
                _("Loading order {order_id} cancelled: nothing was opened").format(order_id=text),
                "info",
            )
            return
        self.show_progress(False)
        # Not "Loading order …" when this screen shows again after the order.
        self.banner(_(READY), "info")
        await self.app.push_screen(PackScreen(session, sid))

    async def sign_out(self) -> None:
        """CMD-SIGN-OUT: nobody packs here until the next badge."""
        who = self.station.packer
        if not who:
            self.banner(_("Nobody is signed in"), "info")
            return
        self.station.set_packer("")
        self.show_packer()
        self.banner(
            _("Packer {packer} signed out. Next packer: scan your badge (USER-…)").format(
                packer=who
            ),
            "ok",
        )

    def action_cancel_load(self) -> None:
        """Escape while an order or the queue loads cancels that request (only what now shows
        as loading: an Escape typed behind waiting scans belongs to a later screen); while the
        station starts, it cancels the start-up check (scans typed meanwhile wait for it)."""
        if self.station.startup_waiting.cancel():
            return
        if self.station.scans.empty():
            self.waiting.cancel()

    async def open_supervisor(self, supervisor: str) -> None:
        """Open the supervisor desk (only ever for a supervisor badge; after the PIN if set)."""
        stored = pin_for(supervisor, self.station.settings.supervisor_pins)
        if stored is None:
            await self.app.push_screen(SupervisorScreen(supervisor))
            return

        async def answered(ok: bool | None) -> None:
            if ok:
                await self.app.push_screen(SupervisorScreen(supervisor))
                return
            self.app.bell()
            self.banner(_("Supervisor desk not opened: no valid PIN"), "bad")

        # Not awaited here: the scan that asked for the desk is done; scans typed while the
        # PIN is asked wait (the dialog holds them) and apply after it closes.
        await self.app.push_screen(PinScreen(supervisor, stored), callback=answered)

    def action_supervisor(self) -> None:
        """The desk opens only with a supervisor badge; say so."""
        packer = self.station.packer
        if packer and self.station.is_supervisor(packer):
            self.station.post_action(lambda: self.open_supervisor(packer), "supervisor desk")
        else:
            self.app.bell()
            self.banner(_("Scan a supervisor badge (USER-…) to open the supervisor desk"), "bad")

    def action_dispatch(self) -> None:
        """Open the dispatch screen: packages scanned there move their shipment on."""

        async def run() -> None:
            await self.app.push_screen(DispatchScreen())

        self.station.post_action(run, "dispatch")

    def action_refresh_queue(self) -> None:
        """Re-read the queue of orders waiting at this warehouse."""
        # A callable, not a coroutine object: an exclusive worker cancelled before it starts
        # would leave the coroutine never awaited. Textual's stub types the callable form narrowly.
        self.run_worker(self._load_queue, exclusive=True, group="queue")  # type: ignore[arg-type]

    async def _load_queue(self) -> None:
        table = self.query_one("#queue", DataTable)
        # Not `is_current`: Textual counts the screen right under the top one as current too
        # (it may show through), so the queue was read behind the pack screen being opened.
        if self.app.screen is not self:
            return
        if not self.station.idle:
            # A scan or an action (the key that brought this screen back, say) is being
            # applied: let it finish. If it opened an order, that order needs the CPU and the
            # network more than the queue does: the queue is read when this screen shows next.
            await self.station.wait_for_scans()
            if self.app.screen is not self:
                return
        title = self.query_one("#queue-title", Static)
        queue_title = _(QUEUE_TITLE)
        reading = _("reading the queue from Omnium… Esc to cancel")
        title.update(f"{queue_title} — {reading}")
        try:
            orders = await self.waiting.run(_("the queue"), waiting_orders(self.station))
        except OmniumError as err:
            table.clear()
            self.banner(_("Could not read the queue: {reason}").format(reason=err), "bad")
            return
        except RequestCancelled:
            self.banner(_("Reading the queue cancelled (F5 reads it again)"), "info")
            return
        finally:
            title.update(_(QUEUE_TITLE))
        table.clear()
        for order, summary in orders:
            cells = (order.id, order.customer_name or "", order.status or "", summary)
            # Text cells: a string cell is read as markup, and names come from outside.
            table.add_row(*(Text(cell) for cell in cells), key=order.id)

    @on(DataTable.RowSelected, "#queue")
    def open_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a queue row opens that order, in turn with any scans."""
        if event.row_key.value is not None:
            self.station.post_scan(str(event.row_key.value))
