"""Where a split line's rest goes: one of the destinations the station knows, from a list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from packstation.i18n import N_, _
from packstation.packing.decisions import SplitTarget
from packstation.packing.destinations import destination_code
from packstation.tui.screens.base import StationModal


class SplitTargetScreen(StationModal):
    """A list of the listed destinations (a typo cannot be chosen); Enter picks, Esc closes."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits for the dialog to close
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, line_label: str, destinations: Sequence[SplitTarget]) -> None:
        super().__init__()
        self.line_label = line_label
        self.destinations = list(destinations)

    def compose(self) -> ComposeResult:
        """The dialog: which line, and where its rest may go."""
        options = []
        for number, target in enumerate(self.destinations):
            code = destination_code(target)
            scan = "   " + _("(scan TO-{code})").format(code=code) if code else ""
            options.append(Option(Text(f"{target.describe()}{scan}"), id=str(number)))
        with Vertical(classes="dialog"):
            title = _("Split the rest of {line} to…").format(line=self.line_label)
            yield Static(Text(title), classes="title")
            yield Static(
                _(
                    "Only the destinations this station knows are listed (settings "
                    "split_warehouses, pickup_points). Enter picks, Esc closes."
                ),
                classes="hint",
            )
            yield OptionList(*options, id="split-choice")

    def on_mount(self) -> None:
        """The list takes the arrow keys at once."""
        self.query_one("#split-choice", OptionList).focus()

    async def change_language(self) -> None:
        """Compose the dialog again in the new language; the list keeps the keys."""
        await self.recompose()
        self.query_one("#split-choice", OptionList).focus()
        await super().change_language()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Close with the chosen destination."""
        self.dismiss(self.destinations[int(event.option.id or 0)])

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
