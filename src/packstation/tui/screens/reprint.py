"""Choose what to reprint: every package of the order's station shipments, or one of them,
the carrier's label beside the station's own SSCC label, or a document waiting in the spool."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from packstation.devices.spool import SpooledDocument
from packstation.i18n import N_, _, ngettext
from packstation.i18n import number as number_text
from packstation.labels.carrier import CarrierLabelLink
from packstation.omnium.models import Shipment
from packstation.tui.screens.base import StationModal

ALL_PACKAGES = "*"
"""The option that reprints every package listed."""
SPOOLED = "spool:"
"""Prefix of the options that send a document waiting in the spool again."""
CARRIER = "carrier:"
"""Prefix of the options that print the carrier's label (`carrier:*` = all of them)."""
PICKUP_SLIP = "pickup-slip"
"""The option that prints the click-and-collect order's pickup slip."""


class ReprintScreen(StationModal):
    """A list: all packages first, then each package; Enter prints, Esc closes."""

    HOLDS_SCANS = True  # a scan typed meanwhile waits for the dialog to close
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(
        self,
        shipments: list[Shipment],
        spooled: list[SpooledDocument] | None = None,
        carrier: list[CarrierLabelLink] | None = None,
        *,
        pickup_slip: bool = False,
    ) -> None:
        super().__init__()
        self.shipments = shipments
        self.spooled = list(spooled or [])
        self.carrier = list(carrier or [])
        self.pickup_slip = pickup_slip

    def compose(self) -> ComposeResult:
        """The dialog."""
        count = self._count()
        every = ngettext("All labels ({count} package)", "All labels ({count} packages)", count)
        options = [Option(every.format(count=count), id=ALL_PACKAGES)]
        if self.pickup_slip:
            # Click and collect: the slip is what the parcel on the shelf carries, so first.
            options.insert(0, Option(_("Pickup slip (click and collect)"), id=PICKUP_SLIP))
        for shipment in self.shipments:
            total = len(shipment.packages)
            for number, package in enumerate(shipment.packages, start=1):
                tracking = package.shipment_tracking
                booked = tracking.shipment_tracking_number if tracking else None
                text = _(
                    "Shipment {shipment_id} · package {number} of {total} · {package_id} · "
                    "{weight} kg"
                ).format(
                    shipment_id=shipment.shipment_id,
                    number=number,
                    total=total,
                    package_id=package.id,
                    weight=number_text(package.weight_in_kg),
                ) + (f" · {booked}" if booked else "")
                options.append(Option(Text(text), id=package.id))
        if self.carrier:
            links = len(self.carrier)
            if any(link.package_id for link in self.carrier):
                label = ngettext(
                    "Carrier label, all ({count} package)",
                    "Carrier label, all ({count} packages)",
                    links,
                )
            else:
                label = ngettext(
                    "Carrier label, all ({count} shipment)",
                    "Carrier label, all ({count} shipments)",
                    links,
                )
            options.append(Option(label.format(count=links), id=CARRIER + "*"))
            for link in self.carrier:
                number = f" · {link.tracking_number}" if link.tracking_number else ""
                options.append(
                    Option(
                        Text(_("Carrier label · {what}").format(what=link.what) + number),
                        id=CARRIER + (link.package_id or f"shipment:{link.shipment_id}"),
                    )
                )
        for document in self.spooled:
            options.append(
                Option(
                    Text(
                        _("Waiting in the spool: {name} ({reason})").format(
                            name=document.name, reason=document.reason
                        )
                    ),
                    id=SPOOLED + document.name,
                )
            )
        with Vertical(classes="dialog"):
            yield Static(_("Reprint labels (Enter prints, Esc closes)"), classes="title")
            yield OptionList(*options, id="reprint-choice")

    async def change_language(self) -> None:
        """Compose the list again in the new language; the list keeps the keys."""
        await self.recompose()
        self.query_one("#reprint-choice", OptionList).focus()
        await super().change_language()

    def _count(self) -> int:
        return sum(len(s.packages) for s in self.shipments)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """Close with the chosen package id (or ALL_PACKAGES)."""
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Close without printing."""
        self.dismiss(None)
