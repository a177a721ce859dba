"""`shipmentInfo` of UpdateStatus and OrderLinesUpdate: shipment data, packages (house rule 7)."""

from __future__ import annotations

from packstation.omnium.models import Shipment, ShipmentPackage
from packstation.omnium.workflow import UpdateShipmentInfo
from packstation.sandbox.line_copies import LineUpdateError, copies_by_line, held


def apply_shipment_info(shipment: Shipment, info: UpdateShipmentInfo) -> None:
    """Copy the given shipment data onto `shipment` (renaming fields as Omnium stores them)."""
    if info.shipment_method_name is not None:
        shipment.shipping_method_name = info.shipment_method_name
    if info.tracking_url is not None:
        shipment.shipment_tracking_link = info.tracking_url
    if info.tracking_number is not None:
        shipment.shipment_tracking_number = info.tracking_number
    if info.label_link is not None:
        shipment.shipment_label_link = info.label_link
    if info.return_label_link is not None:
        shipment.return_label_link = info.return_label_link
    if info.return_tracking_link is not None:
        shipment.return_tracking_link = info.return_tracking_link
    if info.return_tracking_number is not None:
        shipment.return_tracking_number = info.return_tracking_number
    if info.shipping_method_product_id is not None:
        # Not a modelled shipment field: kept as an extra, camelCase like everything stored.
        setattr(shipment, "shippingMethodProductId", info.shipping_method_product_id)  # noqa: B010
    if info.comment is not None:
        shipment.comment = info.comment
    if info.warehouse_code is not None:
        shipment.warehouse_code = info.warehouse_code
    if info.service_point_id is not None:
        shipment.service_point_id = info.service_point_id
    if info.pick_up_point_information is not None:
        shipment.pick_up_point_information = info.pick_up_point_information.model_copy(deep=True)
    if info.external_ids:
        merged = list(shipment.external_ids or [])
        for ext in info.external_ids:
            merged = [e for e in merged if e.provider_name != ext.provider_name] + [ext]
        shipment.external_ids = merged
    if info.properties:
        props = list(shipment.properties or [])
        for prop in info.properties:
            props = [p for p in props if p.key != prop.key] + [prop]
        shipment.properties = props
    if info.packages:
        merge_packages(shipment, info.packages)


def merge_packages(shipment: Shipment, packages: list[ShipmentPackage]) -> None:
    """Merge packages by id (same id replaces, new id appends) and validate references (rule 7)."""
    merged = list(shipment.packages)
    position: dict[str, int] = {}
    for i, existing in enumerate(merged):
        if existing.id is not None:
            position.setdefault(existing.id, i)
    for package in packages:
        package = package.model_copy(deep=True)
        index = position.get(package.id) if package.id is not None else None
        if index is None:
            if package.id is not None:
                position[package.id] = len(merged)
            merged.append(package)
        else:
            merged[index] = package
    copies = copies_by_line(shipment)
    for package in merged:
        for ref in package.line_item_references or []:
            if held(copies, ref.line_item_id) <= 0:
                raise LineUpdateError(
                    400,
                    f"Package '{package.id}' references line item '{ref.line_item_id}', which "
                    f"shipment '{shipment.shipment_id}' does not hold.",
                )
    shipment.packages = merged
