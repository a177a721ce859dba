"""What goes on a package label, built from an order, a shipment and a package."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from packstation.i18n import _, decimal_symbol
from packstation.labels.errors import LabelError
from packstation.labels.sscc import SsccError, format_sscc, gs1_element_string, validate_sscc
from packstation.omnium.models import Address, OmniumOrder, Shipment, ShipmentPackage


class LabelSize(StrEnum):
    """The label stocks a station prints on (Settings.label_size)."""

    A6 = "A6"
    INCH_4X6 = "4x6"

    @property
    def mm(self) -> tuple[float, float]:
        """(width, height) in millimetres, portrait."""
        return (105.0, 148.0) if self is LabelSize.A6 else (101.6, 152.4)


class LabelData(BaseModel):
    """Everything printed on one package label."""

    model_config = ConfigDict(frozen=True)

    sscc: str
    order_id: str = Field(min_length=1)
    package_number: int = Field(ge=1)
    package_count: int = Field(ge=1)
    weight_kg: Decimal = Field(ge=0)
    length_cm: int | None = Field(default=None, ge=0)
    width_cm: int | None = Field(default=None, ge=0)
    height_cm: int | None = Field(default=None, ge=0)
    ship_to_name: str = ""
    ship_to_city: str = ""
    ship_to_postal_code: str = ""
    ship_to_country: str = ""
    shipping_method: str = ""
    tracking_number: str | None = None
    shipment_id: str = ""
    contents: str = ""
    """What the package holds, e.g. "2 × NH-1003, 1 × NH-1005" (its goodsDescription)."""
    company_prefix: str | None = None
    """Only used to group the SSCC's digits in the human-readable line."""

    @field_validator("sscc")
    @classmethod
    def _valid_sscc(cls, value: str) -> str:
        try:
            return validate_sscc(value)
        except SsccError as exc:
            raise ValueError(str(exc)) from exc

    @property
    def element_string(self) -> str:
        """`00` + SSCC: what the GS1-128 barcode carries after FNC1."""
        return gs1_element_string(self.sscc)

    @property
    def package_text(self) -> str:
        """`Package 1 of 3` (in the station's language, as every text on the label)."""
        return _("Package {number} of {count}").format(
            number=self.package_number, count=self.package_count
        )

    @property
    def weight_text(self) -> str:
        """`Weight 2.35 kg` (`Vekt 2,35 kg` in Norwegian)."""
        weight = self.weight_kg.quantize(Decimal("0.01")).normalize()
        return _("Weight {weight} kg").format(weight=f"{weight:f}".replace(".", decimal_symbol()))

    @property
    def dimensions_text(self) -> str:
        """`Dimensions 40 x 30 x 20 cm`, or `Dimensions not given`."""
        dims = (self.length_cm, self.width_cm, self.height_cm)
        if any(d is None or d == 0 for d in dims):
            return _("Dimensions not given")
        text = _("Dimensions {length} x {width} x {height} cm")
        return text.format(length=dims[0], width=dims[1], height=dims[2])

    @property
    def city_line(self) -> str:
        """Postal code, city and country code on one line."""
        place = " ".join(p for p in (self.ship_to_postal_code, self.ship_to_city) if p)
        return ", ".join(p for p in (place, self.ship_to_country) if p)

    @property
    def hri(self) -> str:
        """The human-readable line under the barcode: `(00) 3 7012345 010000001 8`."""
        return f"(00) {format_sscc(self.sscc, self.company_prefix)}"

    def text_lines(self) -> list[str]:
        """The label's information lines, as printed (the barcode text excluded)."""
        # The station's words are translated; Omnium's values (order id, shipping method,
        # tracking number, contents) and the address are printed as they are.
        lines = [
            _("SHIP TO"),
            self.ship_to_name or _("(no name)"),
            self.city_line or _("(no city)"),
            _("Order {order_id}").format(order_id=self.order_id),
            self.package_text,
            self.weight_text,
            self.dimensions_text,
            _("Method {method}").format(method=self.shipping_method or _("(not set)")),
        ]
        if self.tracking_number:
            lines.append(_("Tracking {number}").format(number=self.tracking_number))
        if self.contents:
            lines.append(_("Contents {contents}").format(contents=self.contents))
        return lines


def _address_name(address: Address | None) -> str:
    if address is None:
        return ""
    if address.name:
        return address.name
    person = " ".join(p for p in (address.first_name, address.last_name) if p)
    return person or address.organization or ""


def build_label_data(
    order: OmniumOrder,
    shipment: Shipment,
    package: ShipmentPackage,
    *,
    package_number: int | None = None,
    package_count: int | None = None,
    company_prefix: str | None = None,
) -> LabelData:
    """The label of one package of a shipment; n of N defaults to its place in the shipment."""
    sscc = package.barcode or package.id
    if not sscc:
        raise LabelError(f"package of order {order.id} has no SSCC (id/barcode)")
    if package_number is None:
        ids = [p.barcode or p.id for p in shipment.packages]
        if sscc not in ids:
            raise LabelError(f"package {sscc} is not in shipment {shipment.shipment_id}")
        package_number = ids.index(sscc) + 1
    if package_count is None:
        package_count = max(len(shipment.packages), package_number)
    address = shipment.address or order.billing_address
    pickup = shipment.pick_up_point_information
    name = _address_name(address) or order.customer_name or ""
    city = address.city if address and address.city else ""
    postal = address.postal_code if address and address.postal_code else ""
    country = address.country_code if address and address.country_code else ""
    if pickup is not None and pickup.address is not None and not shipment.address:
        city = pickup.address.city or city
        postal = pickup.address.postal_code or postal
        country = pickup.address.country_code or country
    tracking = None
    if package.shipment_tracking is not None:
        tracking = package.shipment_tracking.shipment_tracking_number
    tracking = tracking or shipment.shipment_tracking_number
    dims = package.dimensions
    try:
        return LabelData(
            sscc=sscc,
            order_id=order.id,
            package_number=package_number,
            package_count=package_count,
            weight_kg=Decimal(str(package.weight_in_kg)),
            length_cm=dims.length_in_cm if dims else None,
            width_cm=dims.width_in_cm if dims else None,
            height_cm=dims.height_in_cm if dims else None,
            ship_to_name=name,
            ship_to_city=city,
            ship_to_postal_code=postal,
            ship_to_country=country,
            shipping_method=shipment.shipping_method_name or "",
            tracking_number=tracking or None,
            shipment_id=shipment.shipment_id,
            contents=package.goods_description or "",
            company_prefix=company_prefix,
        )
    except ValueError as exc:
        raise LabelError(f"package {sscc} of order {order.id}: {_first_error(exc)}") from exc


def labels_for_shipment(
    order: OmniumOrder, shipment_id: str, *, company_prefix: str | None = None
) -> list[LabelData]:
    """One LabelData per package of the shipment, numbered 1..N in shipment order."""
    shipment = order.shipment(shipment_id)
    if shipment is None:
        raise LabelError(f"order {order.id} has no shipment {shipment_id}")
    count = len(shipment.packages)
    return [
        build_label_data(
            order,
            shipment,
            package,
            package_number=i,
            package_count=count,
            company_prefix=company_prefix,
        )
        for i, package in enumerate(shipment.packages, start=1)
    ]


def labels_for_submission(
    order: OmniumOrder,
    source_shipment_id: str,
    packages: Sequence[ShipmentPackage],
    *,
    delivery_shipment_id: str | None = None,
    result_order: OmniumOrder | None = None,
    company_prefix: str | None = None,
) -> list[LabelData]:
    """Labels for the packages a station just submitted (e.g. `SubmissionPlan.packages`).

    Address and shipping method come from the source shipment of `order` (a new partial
    shipment does not exist before the send). When `result_order` (the order the workflow
    returned) holds the delivery shipment, its data wins: that is where booking put the
    tracking numbers.
    """
    source = order.shipment(source_shipment_id)
    if source is None:
        raise LabelError(f"order {order.id} has no shipment {source_shipment_id}")
    shipment = source
    delivered = None
    if result_order is not None:
        delivered = result_order.shipment(delivery_shipment_id or source_shipment_id)
    if delivered is not None:
        shipment = delivered.model_copy(
            update={
                "address": delivered.address or source.address,
                "shipping_method_name": delivered.shipping_method_name
                or source.shipping_method_name,
                "pick_up_point_information": delivered.pick_up_point_information
                or source.pick_up_point_information,
            }
        )
    elif delivery_shipment_id is not None:
        shipment = source.model_copy(update={"shipment_id": delivery_shipment_id})
    booked = {p.id: p for p in shipment.packages if p.id} if delivered is not None else {}
    count = len(packages)
    return [
        build_label_data(
            result_order or order,
            shipment,
            booked.get(package.id or "", package),
            package_number=i,
            package_count=count,
            company_prefix=company_prefix,
        )
        for i, package in enumerate(packages, start=1)
    ]


def _first_error(exc: ValueError) -> str:
    return str(exc).splitlines()[-1].strip() if str(exc) else type(exc).__name__
