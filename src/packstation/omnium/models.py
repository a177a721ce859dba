"""Pydantic models of Omnium's order and workflow JSON.

Python attributes are snake_case; JSON is camelCase on output, and camelCase, PascalCase or
snake_case is accepted on input (house rule 1). Quantities and money are `Decimal` in Python
and JSON numbers on the wire. Order-side models keep the fields they do not know, so that an
order read from Omnium and written back loses nothing.

Omnium's contract (`omnium-openapi.json`) is the judge of the fields. Reading is defensive:
wherever the contract allows `null` (and for a few identity fields it marks nullable), a `null`
or a missing field reads as the field's empty value (`[]`, `0`, `""`, `False`), so no caller
has to test for None. Requests are written with only the fields that were given.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    AliasGenerator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic.alias_generators import to_camel, to_pascal

MAX_ENTRIES = 250
"""The reference caps every list in a workflow request or result at 250 entries."""

UNSET_DATE = "0001-01-01T00:00:00"
"""How Omnium writes a non-nullable date that was never set."""


Quantity = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    # Omnium writes quantities and money as JSON decimal numbers (1.0, 2.5), never strings.
    # The builtin itself, not a Python function calling it: a large order has 70,000 of them.
    PlainSerializer(float, return_type=float, when_used="json"),
]
"""A quantity or an amount: `Decimal` in Python, a JSON number on the wire."""

NonNegativeQuantity = Annotated[Quantity, Field(ge=0)]


def _null_as(empty: Any) -> BeforeValidator:
    """Read `null` as `empty` (a fresh copy for lists)."""
    return BeforeValidator(
        lambda value: (
            (list(empty) if isinstance(empty, list) else empty) if value is None else value
        )
    )


Amount = Annotated[Quantity, _null_as(Decimal(0))]
"""A number Omnium always writes (`null` read as 0 all the same): quantities, prices, totals."""

Text = Annotated[str, _null_as("")]
"""A string read with `null` as "" (ids the contract marks nullable but the station needs)."""

Flag = Annotated[bool, _null_as(False)]
"""A boolean read with `null` as False."""

Date = Annotated[str, _null_as(UNSET_DATE)]
"""A non-nullable date: `null` or missing reads as Omnium's unset date."""


def _validation_alias(name: str) -> AliasChoices:
    return AliasChoices(to_camel(name), to_pascal(name), name)


_ALIASES = AliasGenerator(validation_alias=_validation_alias, serialization_alias=to_camel)


class WireModel(BaseModel):
    """Base of every Omnium model: camelCase out, any casing in, strict about the rest."""

    model_config = ConfigDict(
        alias_generator=_ALIASES,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
    )

    def to_json_dict(self) -> dict[str, Any]:
        """The model as Omnium's JSON: camelCase, unset fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def dotnet_camel(name: str) -> str:
    """camelCase the way .NET's JSON naming policy does: `OrderId`->`orderId`, `EAN`->`ean`."""
    if not name[:1].isupper():
        return name
    chars = list(name)
    for i, char in enumerate(chars):
        if not char.isupper():
            break
        # In a run of capitals the last one starts the next word (`IDNumber` -> `idNumber`).
        if i > 0 and i + 1 < len(chars) and chars[i + 1].islower():
            break
        chars[i] = char.lower()
    return "".join(chars)


class OpenModel(WireModel):
    """An Omnium entity that keeps fields it does not model (a real order has over a hundred)."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="before")
    @classmethod
    def _camel_case_keys(cls, data: Any) -> Any:
        # Unknown fields are written back as they were read; camelCase them on the way in so
        # an order sent in PascalCase (house rule 1) still comes out camelCase.
        if not isinstance(data, Mapping):
            return data
        try:
            # Fast path (this runs for every line of a 5,000-line order): the first letters of
            # all keys, joined, are all lowercase (or uncased) when no key is PascalCase.
            firsts = "".join([key[:1] for key in data])
        except TypeError:  # a key that is not a string
            firsts = "".join(key[:1] for key in data if isinstance(key, str))
        if firsts.islower() or not any(char.isupper() for char in firsts):
            return data
        renamed: dict[Any, Any] = {}
        for key, value in data.items():
            new = dotnet_camel(key) if isinstance(key, str) else key
            renamed[new if new == key or new not in data else key] = value
        return renamed


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

    height_in_cm: Annotated[int, _null_as(0)] = Field(default=0, ge=0)
    width_in_cm: Annotated[int, _null_as(0)] = Field(default=0, ge=0)
    length_in_cm: Annotated[int, _null_as(0)] = Field(default=0, ge=0)


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
    weight_in_kg: Annotated[float, _null_as(0.0)] = Field(default=0.0, ge=0, allow_inf_nan=False)
    volume: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    goods_description: str | None = None
    barcode: str | None = None
    dimensions: Dimensions | None = None
    shipment_tracking: Tracking | None = None
    line_item_references: list[LineItemReference] | None = Field(
        default=None, max_length=MAX_ENTRIES
    )


# --- workflow requests ---------------------------------------------------------------------


class RequestModel(WireModel):
    """A request body: only the fields that were given travel (never a `null` for "not set")."""

    def to_json_dict(self) -> dict[str, Any]:
        """The request as Omnium's JSON: camelCase, unset and None fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)


class UpdateShipmentInfo(RequestModel):
    """Targets a shipment in a workflow request and optionally updates its data."""

    shipment_id: str | None = None
    order_status: str | None = None
    shipment_method_name: str | None = None
    tracking_url: str | None = None
    tracking_number: str | None = None
    label_link: str | None = None
    return_label_link: str | None = None
    return_tracking_link: str | None = None
    return_tracking_number: str | None = None
    shipping_method_product_id: str | None = None
    comment: str | None = None
    warehouse_code: str | None = None
    service_point_id: str | None = None
    pick_up_point_information: PickUpPoint | None = None
    packages: list[ShipmentPackage] | None = Field(default=None, max_length=MAX_ENTRIES)
    external_ids: list[ExternalId] | None = Field(default=None, max_length=MAX_ENTRIES)
    properties: list[PropertyItem] | None = Field(default=None, max_length=MAX_ENTRIES)


class UpdateStatusPatch(RequestModel):
    """Body of `POST /api/Orders/{orderId}/UpdateStatus`."""

    status: str = Field(min_length=1)
    shipment_info: UpdateShipmentInfo | None = None
    skip_run_workflow: bool = False
    return_id: str | None = None
    user_id: str | None = None


class LineItemUpdate(RequestModel):
    """One line's change in an `OrderLinesUpdate` (absolute per target shipment, house rule 3)."""

    line_item_id: str = Field(min_length=1)
    delivered_quantity: NonNegativeQuantity | None = None
    canceled_quantity: NonNegativeQuantity | None = None
    split_quantity: NonNegativeQuantity | None = None
    ready_for_pickup_quantity: NonNegativeQuantity | None = None
    reallocate_quantity: NonNegativeQuantity | None = None
    cost: Quantity | None = None


class UpdateLineItemStatusPatch(RequestModel):
    """Body of `POST /api/Orders/{orderId}/OrderLinesUpdate`."""

    status: str = Field(min_length=1)
    line_item_updates: list[LineItemUpdate] = Field(min_length=1, max_length=MAX_ENTRIES)
    shipment_info: UpdateShipmentInfo | None = None
    is_shipping_cost_kept_for_existing_shipment: bool = False
    user_id: str | None = None


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


class Shipment(OpenModel):
    """A shipment of an order: the unit that is packed, booked and sent."""

    shipment_id: Text = ""
    """"" when Omnium sent none: such a shipment cannot be packed (it cannot be named)."""
    status: str | None = None
    order_status: str | None = None
    line_items: Annotated[list[OrderLine], _null_as([])] = Field(default_factory=list)
    packages: Annotated[list[ShipmentPackage], _null_as([])] = Field(default_factory=list)
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

    line_items: Annotated[list[OrderLine], _null_as([])] = Field(default_factory=list)
    shipments: Annotated[list[Shipment], _null_as([])] = Field(default_factory=list)
    payments: Annotated[list[Payment], _null_as([])] = Field(default_factory=list)
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
    order_form: Annotated[OrderForm, _null_as({})] = Field(default_factory=OrderForm)
    tags: Annotated[list[str], _null_as([])] = Field(default_factory=list)
    properties: Annotated[list[PropertyItem], _null_as([])] = Field(default_factory=list)
    errors: Annotated[list[EntityError], _null_as([])] = Field(default_factory=list)
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


# --- workflow results ----------------------------------------------------------------------


class ActionResult(OpenModel):
    """The outcome of one workflow step."""

    action_type: Text = ""
    action_status: Text = ""
    error_reason: str | None = None
    cancel_workflow: Flag = False
    is_invisible: Flag = False
    translate_key: str | None = None


class WorkflowExecutionResult(OpenModel):
    """What every workflow endpoint answers: the order after the run and each step's result."""

    order: OmniumOrder | None = None
    is_aborted: Flag = False
    order_action_execution_results: Annotated[list[ActionResult], _null_as([])] = Field(
        default_factory=list, max_length=MAX_ENTRIES
    )

    @property
    def failing_step(self) -> ActionResult | None:
        """The step that aborted the workflow, if any."""
        return next((r for r in self.order_action_execution_results if r.cancel_workflow), None)


# --- auth and search -----------------------------------------------------------------------


class TokenResponse(WireModel):
    """`POST /api/Token?returnAsJson=true` answer."""

    access_token: str
    token_type: str | None = "Bearer"
    expires_in: int = Field(default=864000, ge=0)


SORT_ORDERS = ("CreatedAscending", "CreatedDescending", "ModifiedAscending", "ModifiedDescending")
"""`sortOrder` values of Omnium's order search this station uses (documented; newest first is
Omnium's default)."""

MAX_TAKE = 100
"""Most orders one search page may hold."""


class OrderSearchRequest(RequestModel):
    """Body of `POST /api/Orders/Search` (`OmniumOrderSearchRequest`): fields of the contract
    only. There is no warehouse filter in Omnium's search."""

    selected_statuses: list[str] | None = None
    selected_stores: list[str] | None = None
    selected_markets: list[str] | None = None
    tags: list[str] | None = None
    shipping_method_names: list[str] | None = None
    order_type: str | None = None
    take: int = Field(default=20, ge=0, le=MAX_TAKE)
    page: int = Field(default=0, ge=0)
    sort_order: str | None = None
    has_errors: bool | None = None
    search_text: str | None = None


class OrderSearchResult(WireModel):
    """`{result: [OmniumOrder], totalHits}` from search and GetOrders."""

    result: Annotated[list[OmniumOrder], _null_as([])] = Field(default_factory=list)
    total_hits: Annotated[int, _null_as(0)] = 0


# --- settings ------------------------------------------------------------------------------


class WorkflowStep(WireModel):
    """`OmniumOrderWorkflowStep`: one step of a status's workflow."""

    name: Text = ""
    active: Flag = True
    stop_on_error: Flag = False
    run_after_order_is_saved: Flag = False
    properties: Annotated[list[PropertyItem], _null_as([])] = Field(default_factory=list)
    enabled_for_warehouses: list[str] | None = None
    disabled_for_warehouses: list[str] | None = None

    def property_value(self, key: str) -> str | None:
        """The value of a step property, or None."""
        return next((p.value for p in self.properties if p.key == key), None)


class OrderStatusSetting(WireModel):
    """`OmniumOrderStatus`: a status of an order type and the workflow that runs on entering it."""

    name: Text = ""
    workflow_steps: Annotated[list[WorkflowStep], _null_as([])] = Field(default_factory=list)
    shipment_status_update: str | None = None
    main_order_status: str | None = None
    is_canceled_status: Flag = False
    is_delivered_status: Flag = False
    properties: Annotated[list[PropertyItem], _null_as([])] = Field(default_factory=list)


class OrderType(WireModel):
    """`OmniumOrderType` from `GET /api/Settings/OrderTypes`."""

    name: Text = ""
    order_statuses: Annotated[list[OrderStatusSetting], _null_as([])] = Field(default_factory=list)
    default_order_type: Flag = False
    disable_workflow: Flag = False
    derive_order_status_from_shipments: Flag = False

    def status(self, name: str) -> OrderStatusSetting | None:
        """The status of this type with this name, or None."""
        return next((s for s in self.order_statuses if s.name == name), None)

    @property
    def status_names(self) -> list[str]:
        """The names of this type's statuses, in order."""
        return [s.name for s in self.order_statuses]
