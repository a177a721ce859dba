"""The carrier's labels of a shipment: which links to print, what a served label is, its name.

Omnium holds links, not label content: each package's `shipmentTracking.shipmentLabelLink`,
else the shipment's `shipmentLabelLink`. A label is served as PDF or ZPL; the content says
which (a server's content type is not trusted for what goes to a printer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder, Shipment

PDF = "pdf"
ZPL = "zpl"


@dataclass(frozen=True)
class CarrierLabelLink:
    """One label to fetch: for a package, or (without per-package links) for the shipment."""

    order_id: str
    shipment_id: str
    url: str
    package_id: str | None = None
    tracking_number: str | None = None

    @property
    def what(self) -> str:
        """The package or shipment in words."""
        if self.package_id is not None:
            return _("package {package_id}").format(package_id=self.package_id)
        return _("shipment {shipment_id}").format(shipment_id=self.shipment_id)


@dataclass(frozen=True)
class LinkPlan:
    """The links to print and the shipments (or packages) that have none."""

    links: list[CarrierLabelLink]
    missing: list[str]


def is_carrier_shipment(shipment: Shipment) -> bool:
    """False for click and collect (picked up in a store): no carrier, no carrier label."""
    return not shipment.pick_up_warehouse_code


def carrier_label_links(
    order: OmniumOrder, shipment_ids: Sequence[str], package_id: str | None = None
) -> LinkPlan:
    """Per package where Omnium gives a link, else per shipment; `package_id`: that one only."""
    links: list[CarrierLabelLink] = []
    missing: list[str] = []
    for shipment_id in shipment_ids:
        shipment = order.shipment(shipment_id)
        if shipment is None or not is_carrier_shipment(shipment):
            continue
        packages = [p for p in shipment.packages if package_id is None or p.id == package_id]
        per_package = [
            (p, p.shipment_tracking)
            for p in packages
            if p.shipment_tracking is not None and p.shipment_tracking.shipment_label_link
        ]
        if per_package:
            for package, tracking in per_package:
                assert tracking is not None and tracking.shipment_label_link
                links.append(
                    CarrierLabelLink(
                        order.id,
                        shipment_id,
                        tracking.shipment_label_link,
                        package.id,
                        tracking.shipment_tracking_number,
                    )
                )
            missing.extend(
                _("package {package_id}").format(package_id=p.id)
                for p in packages
                if all(p is not q for q, _tracking in per_package)
            )
        elif shipment.shipment_label_link and (package_id is None or packages):
            links.append(
                CarrierLabelLink(
                    order.id,
                    shipment_id,
                    shipment.shipment_label_link,
                    None,
                    shipment.shipment_tracking_number,
                )
            )
        elif package_id is None or packages:
            missing.append(_("shipment {shipment_id}").format(shipment_id=shipment_id))
    return LinkPlan(links, missing)


def label_format(content: bytes) -> str | None:
    """`pdf` or `zpl` from the label's own bytes, None when it is neither."""
    head = content[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"^XA", b"~", b"^")) and b"^XA" in content and b"^XZ" in content:
        return ZPL
    return None


def carrier_label_filename(link: CarrierLabelLink, fmt: str) -> str:
    """`<order>-carrier-<package or shipment>-<tracking>.<fmt>` (the order's label prefix)."""
    # Deferred: labels.render loads Pillow and python-barcode (tui/labels.py says why).
    from packstation.labels.render import label_filename_prefix

    parts = [link.package_id or f"shipment-{link.shipment_id}", link.tracking_number or ""]
    tail = "-".join(_safe(p) for p in parts if p)
    return f"{label_filename_prefix(link.order_id)}carrier-{tail}.{fmt}"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._" else "_" for c in text).strip("_") or "-"
