"""Review before submit: what is not fully packed, and what happens to it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from packstation.i18n import N_, _
from packstation.packing.decisions import Decision, SplitTarget
from packstation.tui.package_text import package_line, package_text
from packstation.tui.scanner import Scan
from packstation.tui.screens.base import StationScreen
from packstation.tui.screens.open_order import OpenOrder
from packstation.tui.screens.split import SplitTargetScreen
from packstation.tui.widgets import ScanBanner
from packstation.tui.will_run import will_run_text
from packstation.tui.wording import line_cells, qty

PACKAGES_WIDTH = 40
NARROW_BELOW = 110
"""Below this many columns the packages are listed under the lines, not beside them."""


class ReviewScreen(StationScreen):
    """Lists lines not fully packed with their decision; a second CMD-SUBMIT sends."""

    KEY_PRIORITY: ClassVar[tuple[str, ...]] = ("f6", "escape", "f2", "f3", "f4", "f5")
    """Which keys a narrow key bar keeps first: sending and going back (the rest is in ^p)."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "decide('keep')", N_("Keep for later")),
        Binding("f3", "decide('cancel')", N_("Cancel rest")),
        Binding("f4", "decide('split')", N_("Split rest")),
        Binding("f5", "split_to", N_("Split to…")),
        Binding("f6", "confirm", N_("Confirm & send")),
        Binding("escape", "back", N_("Back to packing")),
    ]

    def __init__(self, pack: OpenOrder) -> None:
        super().__init__()
        self.pack = pack
        self._banner: tuple[str, str] | None = None
        """The message shown, or None for the prompt to confirm (worded anew on a switch)."""

    @property
    def session(self):  # type: ignore[no-untyped-def]
        """The pack screen's session."""
        return self.pack.session

    def compose_body(self) -> ComposeResult:
        """Summary, banner, the table of lines with something left."""
        with Vertical(id="review-body"):
            title = _("REVIEW ORDER {order_id}").format(order_id=self.session.order.id)
            yield Static(Text(title), classes="title")
            yield Static("", id="review-summary", classes="summary")
            yield Static("", id="review-steps", classes="summary")
            yield ScanBanner("", id="review-banner")
            with Horizontal(id="review-main"):
                with Vertical(id="review-left"):
                    yield Static(
                        _(
                            "Open lines: F2 keep · F3 cancel · F4 split · F5 split to… (or scan "
                            "CMD-CANCEL-LINE / CMD-SPLIT-LINE, the item, TO-<destination>)"
                        ),
                        classes="hint",
                    )
                    table: DataTable[str] = DataTable(id="review-lines", cursor_type="row")
                    yield table
                yield Static("", id="review-packages")
            yield Static("", id="review-problems", classes="problems")

    def on_mount(self) -> None:
        """Fill the table."""
        self._fill_in()
        self.query_one("#review-lines", DataTable).focus()

    async def change_language(self) -> None:
        """Compose again in the new language; the table, totals and message as they were."""
        shown = self._banner
        await self.recompose()
        self._fill_in()
        if shown is not None:
            self.banner(*shown)
        self.query_one("#review-lines", DataTable).focus()
        await super().change_language()

    def _fill_in(self) -> None:
        """The columns, the rows and the prompt to confirm (what composing leaves empty)."""
        table = self.query_one("#review-lines", DataTable)
        fixed = {"SKU": 16, "Packed": 10, "Left": 6, "Decision": 24}
        # The name gives way on a narrow terminal: the decision column must stay in view.
        # Narrow: the packages go under the lines, so the lines keep the whole width.
        narrow = self.app.size.width < NARROW_BELOW
        self.set_class(narrow, "-narrow")
        packages = 0 if narrow else PACKAGES_WIDTH
        if narrow:
            # SKU and counts as wide as this order needs: the name gets the rest.
            fixed.update(self.content_widths())
        spare = self.app.size.width - packages - sum(fixed.values()) - 2 * (len(fixed) + 1) - 2
        widths = {**fixed, "Name": max(8, min(44, spare))}
        titles = {
            "SKU": "SKU",
            "Name": _("Name"),
            "Packed": _("Packed"),
            "Left": _("Left"),
            "Decision": _("Decision"),
        }
        for label, title in titles.items():
            table.add_column(title, key=label.lower(), width=widths[label])
        self.refresh_review()
        prompt = _("Scan CMD-SUBMIT again (or F6) to confirm and send")
        self.query_one("#review-banner", ScanBanner).show(prompt, "info")

    def content_widths(self) -> dict[str, int]:
        """The SKU, Packed and Left columns as wide as this order's lines need (at most the
        wide screen's widths)."""
        lines = self.session.lines()
        sku = max((len(line.code or "") for line in lines), default=0)
        packed = max(
            (len(f"{qty(line.packable)} / {qty(line.packable)}") for line in lines), default=0
        )
        left = max((len(qty(line.packable)) for line in lines), default=0)
        return {
            "SKU": min(16, max(len("SKU"), sku)),
            "Packed": min(10, max(len("Packed"), packed)),
            "Left": min(6, max(len("Left"), left)),
        }

    def banner(self, text: str, kind: str = "info") -> None:
        """Show a message."""
        self._banner = (text, kind)
        self.query_one("#review-banner", ScanBanner).show(text, kind)

    def refresh_review(self) -> None:
        """Rebuild the table from the session."""
        table = self.query_one("#review-lines", DataTable)
        cursor = table.cursor_row
        table.clear()
        for line in self.session.lines():
            if line.remaining <= 0:
                continue
            sku, name, _ean, packed, decision = line_cells(line)
            cells = (sku, name, packed, qty(line.remaining), decision.upper())
            # Each cell wraps in its column (auto height): at 80 columns a name cut at the
            # column's width left the packer guessing which line a decision is for.
            table.add_row(*(Text(cell) for cell in cells), key=line.line_item_id, height=None)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1), animate=False)
        self.query_one("#review-summary", Static).update(Text(self.session.totals().summary))
        self.query_one("#review-steps", Static).update(Text(self.steps_line()))
        names = {line.line_item_id: line.code or line.line_item_id for line in self.session.lines()}
        packages = Text()
        one_line = self.has_class("-narrow")
        for package in self.session.packages():
            if one_line:
                packages.append_text(package_line(package, names))
            else:
                packages.append_text(package_text(package, names))
            packages.append("\n")
        self.query_one("#review-packages", Static).update(packages)
        if not table.row_count:
            table.add_row(
                Text(""), Text(_("Every line is fully packed")), Text(""), Text(""), Text("")
            )
        problems = self.session.check_submit()
        if problems:
            ready = _("Cannot send yet: {problems}").format(problems="; ".join(problems))
        else:
            ready = _("Ready to send.")
        self.query_one("#review-problems", Static).update(Text(ready))

    def steps_line(self) -> str:
        """What sending does in Omnium: the status and the workflow steps it runs here."""
        return will_run_text(self.station, self.session)

    async def handle_scan(self, scan: Scan) -> None:
        """Scans work as on the pack screen (CMD-CANCEL-LINE + item, CMD-SUBMIT...)."""
        await self.pack.handle_scan(scan)
        if self.is_attached:
            self.rearm()
            self.refresh_review()
            self.banner(*self.pack.last_banner)

    def rearm(self) -> None:
        """Changes made on this screen are part of the review: the next CMD-SUBMIT confirms."""
        if not self.session.reviewing:
            self.session.review()

    def _selected_line(self) -> str | None:
        table = self.query_one("#review-lines", DataTable)
        if not table.row_count:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if not row_key.value else str(row_key.value)

    def action_decide(self, decision: str, target: SplitTarget | None = None) -> None:
        """Set the highlighted line's decision (in order with the scans)."""
        line_id = self._selected_line()
        if line_id is None:
            self.app.bell()
            self.banner(_("Every line is fully packed; nothing to decide"), "bad")
            return
        chosen: Decision = Decision(decision)

        async def run() -> None:
            outcome = self.session.set_decision(line_id, chosen, target)
            outcome = await self.pack.show_outcome(outcome)
            self.rearm()
            self.refresh_review()
            kind = "bad" if outcome.rejection is not None else "ok"
            self.banner(outcome.message, kind)

        self.station.post_action(run, "decision")

    def action_split_to(self) -> None:
        """Ask for the warehouse or pickup point the rest goes to, from the listed ones."""
        line_id = self._selected_line()
        if line_id is None:
            self.app.bell()
            self.banner(_("Every line is fully packed; nothing to split"), "bad")
            return

        def chosen(target: SplitTarget | None) -> None:
            if target is not None:
                self.action_decide("split", target)

        label = self.session.index.label(line_id)
        self.app.push_screen(SplitTargetScreen(label, self.session.destinations), chosen)

    def action_confirm(self) -> None:
        """Same as scanning CMD-SUBMIT."""
        self.station.post_scan("CMD-SUBMIT")

    def action_back(self) -> None:
        """Back to packing without sending."""

        async def run() -> None:
            if self.is_current:
                self.app.pop_screen()

        self.station.post_action(run, "back")
