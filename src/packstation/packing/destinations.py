"""Where a split line's rest may go: the warehouses and pickup points this station knows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from packstation.i18n import _
from packstation.omnium.models import Shipment
from packstation.packing.decisions import SplitTarget


def split_destinations(
    shipment: Shipment,
    warehouses: Iterable[str],
    pickup_points: Mapping[str, Sequence[str]],
    own_warehouse: str,
) -> tuple[SplitTarget, ...]:
    """A new shipment here first, then the listed warehouses, then the shipping method's points.

    Pickup points come from the settings for the shipment's shipping method, plus the point the
    shipment already names (a click-and-collect or service-point delivery).
    """
    found: list[SplitTarget] = [SplitTarget()]
    for code in warehouses:
        code = code.strip()
        if code and code.casefold() != own_warehouse.strip().casefold():
            found.append(SplitTarget(warehouse_code=code))
    points = list(pickup_points.get(shipment.shipping_method_name or "", ()))
    if shipment.service_point_id:
        points.append(shipment.service_point_id)
    for point in points:
        point = point.strip()
        if point:
            found.append(SplitTarget(service_point_id=point))
    unique: list[SplitTarget] = []
    for target in found:
        if target not in unique:
            unique.append(target)
    return tuple(unique)


def destination_code(target: SplitTarget) -> str:
    """What a packer scans after `TO-` for this destination ("" = a new shipment here)."""
    return target.warehouse_code or target.service_point_id or ""


def find_destination(code: str, destinations: Sequence[SplitTarget]) -> SplitTarget | None:
    """The listed destination whose code is `code` (case-insensitive), or None."""
    wanted = code.strip().casefold()
    return next((t for t in destinations if destination_code(t).casefold() == wanted), None)


def describe_destinations(destinations: Sequence[SplitTarget]) -> str:
    """The listed destinations in words, for a refusal ("WH-BERGEN, STORE-OSLO")."""
    codes = [destination_code(t) for t in destinations if destination_code(t)]
    return ", ".join(codes) or _("none besides a new shipment here")
