"""Pydantic models of Omnium's order: the order, its lines, shipments, packages and payments.

Omnium's contract (`omnium-openapi.json`) is the judge of the fields; how JSON maps to these
models (casing, `null`, unknown fields) is in `packstation.omnium.wire`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AliasChoices, Field, model_validator

from packstation.omnium.wire import (
    MAX_ENTRIES,
    UNSET_DATE,
    Amount,
    Date,
    Flag,
    OpenModel,
    Quantity,
    Text,
    WireModel,
    null_as,
)

# --- shared small models -------------------------------------------------------------------


class ExternalId(WireModel):
    """`OmniumExternalId`: an id of this entity in another system."""

    id: str | None = None
    provider_name: str | None = None


class PropertyItem(WireModel):
    """`OmniumPropertyItem`: a custom key/value property."""

    key: str | None = None
    value: str | None = None
    key_group: str | None = None
    value_type: str | None = None


class PickUpPointAddress(WireModel):
    """The address of a pickup point."""

    street: str | None = None
    street_name: str | None = None
    street_number: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    country_code: str | None = None


class OpeningHour(WireModel):
    """One opening interval of a pickup point."""

    day: str | None = None
    from_: str | None = Field(
        default=None,
        validation_alias=AliasChoices("from", "From", "from_"),
        serialization_alias="from",
    )
    to: str | None = None


class PickUpPoint(WireModel):
    """A pickup point (service point) a shipment can go to."""

    service_point_id: str | None = None
    name: str | None = None
    address: PickUpPointAddress | None = None
    opening_hours: list[OpeningHour] | None = None


class Dimensions(WireModel):
    """Package dimensions in whole centimetres."""

    height_in_cm: Annotated[int, null_as(0)] = Field(default=0, ge=0)
    width_in_cm: Annotated[int, null_as(0)] = Field(default=0, ge=0)
    length_in_cm: Annotated[int, null_as(0)] = Field(default=0, ge=0)


class Tracking(WireModel):
    """Per-package carrier tracking."""

    shipment_tracking_number: str | None = None
    shipment_tracking_link: str | None = None
    shipment_label_link: str | None = None


class LineItemReference(WireModel):
    """Links a package to an order line (Omnium's reference holds only the line's id: which
    units went where is in the package's `goodsDescription` and the station's own store)."""

    line_item_id: Text = ""


class ShipmentPackage(OpenModel):
    """A physical package of a shipment (`OmniumShipmentPackage`)."""

    id: str | None = None
    weight_in_kg: Annotated[float, null_as(0.0)] = Field(default=0.0, ge=0, allow_inf_nan=False)
    volume: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    goods_description: str | None = None
    barcode: str | None = None
    dimensions: Dimensions | None = None
    shipment_tracking: Tracking | None = None
    line_item_references: list[LineItemReference] | None = Field(
        default=None, max_length=MAX_ENTRIES
    )


# --- the order -----------------------------------------------------------------------------


class Address(OpenModel):
    """A billing or shipping address (`OmniumOrderAddress`)."""

    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    organization: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country_code: str | None = None
    country_name: str | None = None
    phone: str | None = None
    email: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _zip_code_is_postal_code(cls, data: Any) -> Any:
        # Orders stored by earlier sandboxes wrote `zipCode`; Omnium's field is `postalCode`.
        if isinstance(data, Mapping) and ("zipCode" in data or "ZipCode" in data):
            data = dict(data)
            zip_code = data.pop("zipCode", None) or data.pop("ZipCode", None)
            if not data.get("postalCode") and not data.get("PostalCode"):
                data["postalCode"] = zip_code
        return data


class EntityError(OpenModel):
    """An entry of `order.errors`, e.g. a workflow step that failed."""

    key: str | None = None
    message: str | None = None
    details: str | None = None
    severity: str | None = None
    occurred: Date = UNSET_DATE
    status: str | None = None


class OrderLine(OpenModel):
    """An order line; in `orderForm.lineItems` it holds totals, inside a shipment its share."""

    line_item_id: Text = ""
    """"" when Omnium sent none: such a line cannot be packed (it cannot be named)."""
    code: str | None = None
    ean: str | None = None
    gtins: list[str] | None = None
    display_name: str | None = None
    quantity: Amount = Decimal(0)
    delivered_quantity: Amount = Decimal(0)
    canceled_quantity: Amount = Decimal(0)
    ready_for_pickup_quantity: Amount = Decimal(0)
    placed_price: Amount = Decimal(0)
    tax_rate: Quantity | None = None
    extended_price: Amount = Decimal(0)
    unit: str | None = None
    image_url: str | None = None
    comment: str | None = None
    properties: list[PropertyItem] | None = None
    """Custom key/values; a case size may be one (see `packing.case_sizes`)."""


class Shipment(OpenModel):
    """A shipment of an order: the unit that is packed, booked and sent."""

    shipment_id: Text = ""
    """"" when Omnium sent none: such a shipment cannot be packed (it cannot be named)."""
    status: str | None = None
    order_status: str | None = None
    line_items: Annotated[list[OrderLine], null_as([])] = Field(default_factory=list)
    packages: Annotated[list[ShipmentPackage], null_as([])] = Field(default_factory=list)
    warehouse_code: str | None = None
    pick_up_warehouse_code: str | None = None
    shipping_method_name: str | None = None
    shipment_tracking_number: str | None = None
    shipment_tracking_link: str | None = None
    shipment_label_link: str | None = None
    return_tracking_number: str | None = None
    return_tracking_link: str | None = None
    return_label_link: str | None = None
    service_point_id: str | None = None
    pick_up_point_information: PickUpPoint | None = None
    address: Address | None = None
    comment: str | None = None
    shipping_sub_total: Amount = Decimal(0)
    shipping_total: Amount = Decimal(0)
    external_ids: list[ExternalId] | None = None
    properties: list[PropertyItem] | None = None


class Payment(OpenModel):
    """A payment transaction on the order."""

    id: str | None = None
    payment_method_name: str | None = None
    amount: Amount = Decimal(0)
    transaction_type: str | None = None
    status: str | None = None
    shipment_id: str | None = None


class OrderForm(OpenModel):
    """The order's lines, shipments, payments and totals."""

    line_items: Annotated[list[OrderLine], null_as([])] = Field(default_factory=list)
    shipments: Annotated[list[Shipment], null_as([])] = Field(default_factory=list)
    payments: Annotated[list[Payment], null_as([])] = Field(default_factory=list)
    sub_total: Amount = Decimal(0)
    shipping_total: Amount = Decimal(0)
    total: Amount = Decimal(0)


class OmniumOrder(OpenModel):
    """An Omnium order (`OmniumOrder`)."""

    id: Text = ""
    order_number: str | None = None
    status: str | None = None
    order_type: str | None = None
    market_id: str | None = None
    store_id: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    billing_address: Address | None = None
    billing_currency: str | None = None
    order_form: Annotated[OrderForm, null_as({})] = Field(default_factory=OrderForm)
    tags: Annotated[list[str], null_as([])] = Field(default_factory=list)
    properties: Annotated[list[PropertyItem], null_as([])] = Field(default_factory=list)
    errors: Annotated[list[EntityError], null_as([])] = Field(default_factory=list)
    is_read_only: Flag = False
    created: Date = UNSET_DATE
    modified: Date = UNSET_DATE
    version_id: str | None = None

    def shipment(self, shipment_id: str) -> Shipment | None:
        """The shipment with this id, or None."""
        return next((s for s in self.order_form.shipments if s.shipment_id == shipment_id), None)

    def line(self, line_item_id: str) -> OrderLine | None:
        """The order-level line with this id, or None."""
        return next(
            (line for line in self.order_form.line_items if line.line_item_id == line_item_id),
            None,
        )
