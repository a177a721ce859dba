"""Package dialog: box preset or dimensions, and weight, for the open package."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from packstation.i18n import N_, _, parse_number
from packstation.packing.outcome import Outcome
from packstation.packing.views import PackageView
from packstation.tui.scale import ScaleReadout, take_weight
from packstation.tui.scanner import Scan
from packstation.tui.screens.base import StationModal
from packstation.tui.screens.open_order import OpenOrder
from packstation.tui.wording import qty

FIELDS = ("length", "width", "height", "weight")

COMPACT_BELOW = (110, 34)
"""A terminal narrower or lower than this (columns, rows) gets the compact dialog."""


parse_decimal = parse_number
"""A typed number (`2,35` or `2.35`): the station's one parser of what the packer types."""


def parse_cm(text: str) -> int:
    """A typed dimension in whole centimetres."""
    value = parse_decimal(text)
    if value != value.to_integral():
        raise ValueError(_("whole centimetres only"))
    if value <= 0:
        raise ValueError(_("must be more than 0 cm"))
    return int(value)


class PackageScreen(StationModal):
    """Edit the open package. Invalid values are refused with the reason under the field."""

    BLOCKS_SCANS = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f6", "save", N_("Save package")),
        Binding("f7", "take_weight", N_("Weigh")),
        Binding("escape", "close", N_("Close")),
    ]

    def __init__(self, pack: OpenOrder) -> None:
        super().__init__()
        self.pack = pack

    def open_package(self) -> PackageView:
        """The package being edited (the open one)."""
        return next(p for p in self.pack.session.packages() if p.is_open)

    def compose(self) -> ComposeResult:
        """Presets on the left, fields on the right."""
        presets = self.pack.session.rules.box_presets
        # Scrolls on a short terminal, so the buttons stay reachable; not itself a tab stop.
        with VerticalScroll(classes="dialog", id="package-dialog", can_focus=False):
            yield Static("", id="package-title", classes="title")
            with Horizontal():
                with Vertical(id="preset-col"):
                    yield Label(_("Box preset (Enter picks, or scan BOX-<name>)"))
                    yield OptionList(
                        *[
                            Option(
                                Text(
                                    f"{p.name:4} {p.length_cm}×{p.width_cm}×{p.height_cm} cm "
                                    f"{p.description}"
                                ),
                                id=p.name,
                            )
                            for p in presets
                        ],
                        id="presets",
                    )
                    yield Label("", id="box-error", classes="field-error")
                with Vertical(id="fields-col"):
                    scale = self.station.scale_feed is not None
                    weight_hint = (
                        _("Weight (kg; F7 takes the scale's, less the box)")
                        if scale
                        else _("Weight (kg; or scan the scale's GS1 label)")
                    )
                    for name, label in (
                        ("length", _("Length (cm)")),
                        ("width", _("Width (cm)")),
                        ("height", _("Height (cm)")),
                        ("weight", weight_hint),
                    ):
                        yield Label(label)
                        yield Input(id=f"pkg-{name}")
                        yield Label("", id=f"{name}-error", classes="field-error")
                    if scale:
                        yield ScaleReadout(id="pkg-scale")
            with Horizontal(classes="buttons"):
                yield Button(_("Save (F6)"), id="pkg-save", variant="primary")
                yield Button(_("Close (Esc)"), id="pkg-close")

    def on_mount(self) -> None:
        """Show the open package's current values (compact on a small terminal)."""
        self._set_up()
        self.fill_from_package()
        self.query_one("#pkg-weight", Input).focus()

    async def change_language(self) -> None:
        """Compose the dialog again in the new language, with what was typed in the fields
        (and the field that had the keys)."""
        typed = {name: self.query_one(f"#pkg-{name}", Input).value for name in FIELDS}
        focused = self.focused.id if self.focused is not None else None
        await self.recompose()
        self._set_up()
        self.fill_from_package()
        for name, value in typed.items():
            self.query_one(f"#pkg-{name}", Input).value = value
        if focused:
            self.query_one(f"#{focused}").focus()
        await super().change_language()

    def _set_up(self) -> None:
        size = self.app.size
        # 80×24: one-row fields and no empty error rows, so Save stays on screen.
        self.set_class(size.width < COMPACT_BELOW[0] or size.height < COMPACT_BELOW[1], "-compact")
        for name in (*FIELDS, "box"):
            self.query_one(f"#{name}-error", Label).display = False

    def fill_from_package(self) -> None:
        """Put the open package's values into the fields."""
        package = self.open_package()
        self.query_one("#package-title", Static).update(
            Text(
                _("PACKAGE {number} of order {order_id}").format(
                    number=package.package_no, order_id=self.pack.session.order.id
                )
            )
        )
        dims = package.dimensions or (None, None, None)
        for name, value in zip(("length", "width", "height"), dims, strict=True):
            self.query_one(f"#pkg-{name}", Input).value = "" if value is None else str(value)
        weight = package.weight_kg
        self.query_one("#pkg-weight", Input).value = "" if weight is None else qty(weight)

    def field_error(self, name: str, message: str) -> None:
        """Show a refusal under its field."""
        error = self.query_one(f"#{name}-error", Label)
        error.update(Text(message))
        error.display = bool(message)
        if message:
            self.app.bell()

    def clear_errors(self) -> None:
        """Forget earlier refusals."""
        for name in (*FIELDS, "box"):
            self.field_error(name, "")

    async def handle_scan(self, scan: Scan) -> None:
        """Scans still reach the order (a BOX- or GS1 weight scan fills this dialog)."""
        await self.pack.handle_scan(scan)
        if self.is_attached:
            self.fill_from_package()

    @on(OptionList.OptionSelected, "#presets")
    def preset_chosen(self, event: OptionList.OptionSelected) -> None:
        """Choose a box preset for the open package."""
        name = event.option.id
        if name is None:
            return

        async def run() -> None:
            outcome = self.pack.session.choose_box(name)
            await self.apply(outcome, "box")
            self.fill_from_package()

        self.station.post_action(run, "box")

    async def apply(self, outcome: Outcome, field: str) -> bool:
        """Journal and show an outcome; a refusal goes under the field."""
        outcome = await self.pack.show_outcome(outcome)
        if outcome.rejection is not None:
            self.field_error(field, outcome.message)
            return False
        self.field_error(field, "")
        return True

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        """Enter in a field moves on; Enter in the weight field saves."""
        if event.input.id == "pkg-weight":
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#pkg-save")
    def action_save(self) -> None:
        """Validate the fields, then apply them to the open package (refusals at the field)."""
        self.clear_errors()
        values = {name: self.query_one(f"#pkg-{name}", Input).value.strip() for name in FIELDS}
        dims: list[int] = []
        ok = True
        for name in ("length", "width", "height"):
            if values[name]:
                try:
                    dims.append(parse_cm(values[name]))
                except ValueError as err:
                    self.field_error(name, str(err))
                    ok = False
        if ok and dims and len(dims) != 3:
            for name in ("length", "width", "height"):
                if not values[name]:
                    self.field_error(name, _("give all three dimensions, or choose a box"))
            ok = False
        weight: Decimal | None = None
        if values["weight"]:
            try:
                weight = parse_decimal(values["weight"])
            except ValueError as err:
                self.field_error("weight", str(err))
                ok = False
        if not ok:
            return
        package = self.open_package()

        async def run() -> None:
            if len(dims) == 3 and tuple(dims) != package.dimensions:
                outcome = self.pack.session.set_dimensions(dims[0], dims[1], dims[2])
                if not await self.apply(outcome, "length"):
                    return
            if (
                weight is not None
                and weight != package.weight_kg
                and not await self.apply(self.pack.session.set_weight(weight), "weight")
            ):
                return
            self.dismiss(None)

        self.station.post_action(run, "package")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """F7 (weigh) only where a scale is configured."""
        if action == "take_weight":
            return self.station.scale_feed is not None
        return True

    def action_take_weight(self) -> None:
        """Record the scale's stable weight less the box's tare; refused in words otherwise."""

        async def run() -> None:
            self.field_error("weight", "")
            if await take_weight(self.pack):
                self.fill_from_package()
            else:
                # take_weight rang the bell; the reason goes under the field too.
                why = self.pack.last_banner[0].removeprefix("✘ ")
                error = self.query_one("#weight-error", Label)
                error.update(Text(why))  # the scale's own words: text, not markup
                error.display = True

        self.station.post_action(run, "weigh")

    @on(Button.Pressed, "#pkg-close")
    def action_close(self) -> None:
        """Close without saving what was typed."""
        self.dismiss(None)
