"""Builders shared by the station tests (orders and patches)."""

from __future__ import annotations

from decimal import Decimal

from packstation.omnium.models import (
    LineItemReference,
    OmniumOrder,
    OrderForm,
    OrderLine,
    Shipment,
    ShipmentPackage,
)
from packstation.omnium.workflow import (
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
)


def small_order(order_id: str = "ORD-1") -> OmniumOrder:
    """An order with two lines in one shipment at WH-OSLO."""
    lines = [
        OrderLine(line_item_id="1", code="SKU-A", quantity=Decimal(3)),
        OrderLine(line_item_id="2", code="SKU-B", quantity=Decimal(2)),
    ]
    return OmniumOrder(
        id=order_id,
        status="InProgress",
        order_type="Online",
        order_form=OrderForm(
            line_items=[line.model_copy() for line in lines],
            shipments=[
                Shipment(
                    shipment_id="1",
                    order_status="InProgress",
                    warehouse_code="WH-OSLO",
                    line_items=lines,
                )
            ],
        ),
    )


def delivery_patch(
    packer: str = "P7",
    shipment_id: str = "1",
    sscc: str = "370123450100000012",
    delivered: tuple[tuple[str, int], ...] = (("1", 3), ("2", 2)),
    status: str = "Completed",
) -> UpdateLineItemStatusPatch:
    """A delivery of whole lines in one package."""
    return UpdateLineItemStatusPatch(
        status=status,
        user_id=packer,
        line_item_updates=[
            LineItemUpdate(line_item_id=line, delivered_quantity=Decimal(qty))
            for line, qty in delivered
        ],
        shipment_info=UpdateShipmentInfo(
            shipment_id=shipment_id,
            packages=[
                ShipmentPackage(
                    id=sscc,
                    barcode=sscc,
                    weight_in_kg=1.5,
                    line_item_references=[
                        LineItemReference(line_item_id=line, quantity=Decimal(qty))
                        for line, qty in delivered
                    ],
                )
            ],
        ),
    )


def split_patch(
    packer: str = "P7", shipment_id: str = "2", split: tuple[tuple[str, int], ...] = (("2", 1),)
) -> UpdateLineItemStatusPatch:
    """A split of units to a new shipment named by the station."""
    return UpdateLineItemStatusPatch(
        status="InProgress",
        user_id=packer,
        line_item_updates=[
            LineItemUpdate(line_item_id=line, split_quantity=Decimal(qty)) for line, qty in split
        ],
        shipment_info=UpdateShipmentInfo(shipment_id=shipment_id),
    )
