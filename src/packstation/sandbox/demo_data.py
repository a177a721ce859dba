"""Demo data of the sandbox: a product catalogue, stock per warehouse and orders to pack.

The shop is "Nordlys Hjem & Fritid", a Norwegian outdoor and home retailer that ships from
WH-OSLO and WH-BERGEN and lets customers collect in its stores. Everything is deterministic:
the same call always gives the same data (random choices use fixed seeds).

`INTERESTING_ORDERS` says which order demonstrates what; the README lists a few of them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from biip.checksums import gs1_standard_check_digit

from packstation.omnium.models import (
    Address,
    Dimensions,
    LineItemReference,
    OmniumOrder,
    OrderForm,
    OrderLine,
    Payment,
    PickUpPoint,
    PickUpPointAddress,
    PropertyItem,
    Shipment,
    ShipmentPackage,
    Tracking,
)

OSLO = "WH-OSLO"
BERGEN = "WH-BERGEN"
STORE_OSLO = "STORE-OSLO-SENTRUM"
STORE_BERGEN = "STORE-BERGEN-TORGET"
CURRENCY = "NOK"

READY_ORDER_STATUS = "InProgress"
"""Order status (and shipment `orderStatus`) of an order waiting to be packed."""
READY_SHIPMENT_STATUS = "Released"
"""Shipment `status` of a shipment released to the warehouse for packing."""

SHIPPING_COST: dict[str, Decimal] = {
    "Bring": Decimal(99),
    "PostNord": Decimal(89),
    "Helthjem": Decimal(69),
    "Posten": Decimal(129),
    "Budbee": Decimal(79),
    "Pickup": Decimal(0),
    "DHL Express": Decimal(149),  # not a configured carrier: booking fails (ORD-1016)
}

SHORT_STOCK_SKU = "NH-1021"
"""Stocked with a single unit at WH-OSLO, while ORD-1019 orders two."""

_EPOCH = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)


# --- barcodes -------------------------------------------------------------------------------


def with_check_digit(payload: str) -> str:
    """`payload` followed by its GS1 check digit (EAN-13, UPC-A and GTIN-14 alike)."""
    return payload + str(gs1_standard_check_digit(payload))


def case_gtin(unit_code: str, indicator: int = 1) -> str:
    """The GTIN-14 of a case of `unit_code` (EAN-13 or UPC-A): indicator digit + unit payload."""
    unit_payload = unit_code.zfill(13)[:12]  # GTIN-14 payload of the unit, without check digit
    return with_check_digit(f"{indicator}{unit_payload}")


@dataclass(frozen=True)
class CatalogueItem:
    """A product of the demo shop and the codes a packer may scan for it."""

    sku: str
    name: str
    price: Decimal  # NOK per unit, VAT included
    tax_rate: Decimal
    barcode_kind: str  # "EAN-13", "UPC-A", "GTIN-14" or "SKU" (no barcode at all)
    ean: str | None = None  # EAN-13, or UPC-A (12 digits)
    gtins: tuple[str, ...] = ()  # GTIN-14s: the item's own (GTIN-14 items) and its case's
    case_gtin: str | None = None
    case_size: int | None = None
    weight_kg: Decimal = Decimal("0.5")
    unit: str = "stk"

    @property
    def case_scans(self) -> tuple[str, ...]:
        """GS1 scans of one case: `01<case GTIN>30<count>` and `02<unit GTIN>37<count>`."""
        if self.case_gtin is None or self.case_size is None or self.ean is None:
            return ()
        return (
            f"01{self.case_gtin}30{self.case_size}",
            f"02{self.ean.zfill(14)}37{self.case_size}",
        )


_NAMED: tuple[tuple[str, str, int, str, int | None, str], ...] = (
    # sku, name, price NOK, barcode kind, case size, weight kg
    ("NH-1001", "Ullpledd Fjellro 130x170 cm, grå", 899, "EAN-13", None, "1.2"),
    ("NH-1002", "Termokopp 0,45 l, stål", 249, "EAN-13", None, "0.3"),
    ("NH-1003", "Hodelykt LED 400 lm", 399, "EAN-13", None, "0.2"),
    ("NH-1004", "Sovepose Dovre -10 °C", 1499, "EAN-13", None, "1.8"),
    ("NH-1005", "Tursokker ull 2-pk, str. 40-43", 199, "EAN-13", None, "0.2"),
    ("NH-1006", "Turstol sammenleggbar", 349, "UPC-A", None, "1.6"),
    ("NH-1007", "Gassboks 230 g butan/propan", 79, "EAN-13", 12, "0.4"),
    ("NH-1008", "Tennbriketter 32 stk", 39, "EAN-13", 24, "0.3"),
    ("NH-1009", "Telysholder glass, sett à 4", 149, "EAN-13", None, "0.6"),
    ("NH-1010", "Kaffekjele emaljert 1,5 l", 299, "EAN-13", None, "0.9"),
    ("NH-1011", "Regnjakke Stryn dame, str. M", 1299, "EAN-13", None, "0.7"),
    ("NH-1012", "Regnjakke Stryn herre, str. L", 1299, "EAN-13", None, "0.8"),
    ("NH-1013", "Refleksvest gul, str. L", 89, "EAN-13", None, "0.1"),
    ("NH-1014", "Vaffeljern doble hjerter", 549, "UPC-A", None, "2.1"),
    ("NH-1015", "Batterier AA alkaliske 8-pk", 129, "UPC-A", 10, "0.2"),
    ("NH-1016", "Kronelys hvit 10-pk", 79, "GTIN-14", None, "0.5"),
    ("NH-1017", "Vedsekk bjørk 40 l", 119, "GTIN-14", None, "12.0"),
    ("NH-1018", "Lagerhylle metall 180 cm", 799, "SKU", None, "14.5"),
    ("NH-1019", "Presenning 3x4 m", 229, "SKU", None, "1.9"),
    ("NH-1020", "Skjærebrett eik 40 cm", 399, "EAN-13", None, "1.4"),
    ("NH-1021", "Støpejernsgryte 4 l", 1199, "EAN-13", None, "5.2"),
    ("NH-1022", "Kokkekniv 20 cm", 699, "EAN-13", None, "0.3"),
    ("NH-1023", "Drikkeflaske 0,75 l", 179, "UPC-A", None, "0.2"),
    ("NH-1024", "Ryggsekk Trolltunga 32 l", 1099, "EAN-13", None, "1.1"),
    ("NH-1025", "Fjellsko Besseggen, str. 42", 1899, "EAN-13", None, "1.5"),
    ("NH-1026", "Lue merinoull, marine", 249, "EAN-13", None, "0.1"),
    ("NH-1027", "Votter strikket, rød", 199, "EAN-13", None, "0.1"),
    ("NH-1028", "Sitteunderlag skum", 69, "EAN-13", 20, "0.1"),
    ("NH-1029", "Myggspray 75 ml", 119, "EAN-13", 12, "0.1"),
    ("NH-1030", "Førstehjelpsett tur", 249, "GTIN-14", None, "0.3"),
    ("NH-1031", "Orienteringskompass", 299, "UPC-A", None, "0.1"),
    ("NH-1032", "Termos 1 l", 349, "EAN-13", None, "0.6"),
    ("NH-1033", "Grillkull 5 kg", 149, "SKU", None, "5.0"),
    ("NH-1034", "Engangsgrill", 49, "EAN-13", 12, "0.9"),
    ("NH-1035", "Hengekøye nylon", 449, "EAN-13", None, "0.7"),
    ("NH-1036", "Kaffe filtermalt 500 g", 89, "EAN-13", 12, "0.5"),
    ("NH-1037", "Melkesjokolade 200 g", 49, "EAN-13", 20, "0.2"),
    ("NH-1038", "Solbriller polariserte", 399, "UPC-A", None, "0.1"),
    ("NH-1039", "Parafinlampe", 329, "SKU", None, "1.3"),
    ("NH-1040", "Liggeunderlag selvoppblåsende", 599, "GTIN-14", None, "1.0"),
)
_FOOD = {"NH-1036", "NH-1037"}  # 15 % VAT on food in Norway, 25 % on the rest

# Workshop supplies for the B2B order of 250 lines: 13 kinds x 20 sizes.
_KINDS = (
    ("Treskrue forsenket", "200 stk"),
    ("Terrasseskrue rustfri", "250 stk"),
    ("Maskinskrue M", "50 stk"),
    ("Sekskantbolt M", "25 stk"),
    ("Mutter M", "100 stk"),
    ("Skive", "100 stk"),
    ("Nylonplugg", "100 stk"),
    ("Dykkert varmforsinket", "1 kg"),
    ("Bor HSS", "1 stk"),
    ("Bits Torx T", "10 stk"),
    ("Slipepapir korn", "10 ark"),
    ("Kabelstrips svart", "100 stk"),
    ("Vinkelbeslag", "10 stk"),
)
_SIZES = (
    "3,0x20",
    "3,5x30",
    "4,0x40",
    "4,0x50",
    "4,5x45",
    "4,5x60",
    "5,0x50",
    "5,0x70",
    "5,0x80",
    "6,0x60",
    "6,0x80",
    "6,0x100",
    "6,0x120",
    "8,0x80",
    "8,0x100",
    "8,0x120",
    "10x100",
    "10x140",
    "12x160",
    "12x200",
)


def _build_catalogue() -> dict[str, CatalogueItem]:
    items: dict[str, CatalogueItem] = {}
    for i, (sku, name, price, kind, case_size, weight) in enumerate(_NAMED, start=1):
        items[sku] = _item(sku, name, Decimal(price), kind, case_size, Decimal(weight), i)
    for i, ((kind_name, pack), size) in enumerate(
        ((k, s) for k in _KINDS for s in _SIZES), start=1
    ):
        sku = f"KT-{20000 + i}"
        barcode = "SKU" if i % 9 == 0 else "UPC-A" if i % 7 == 0 else "EAN-13"
        items[sku] = _item(
            sku,
            f"{kind_name} {size} mm, {pack}",
            Decimal(19 + (i * 37) % 480),
            barcode,
            None,
            Decimal("0.4"),
            100 + i,
        )
    return items


def _item(
    sku: str,
    name: str,
    price: Decimal,
    kind: str,
    case_size: int | None,
    weight: Decimal,
    serial: int,
) -> CatalogueItem:
    # Fictional GS1 Norway company prefix 7042113 (EAN-13 / GTIN-14) and US prefix 084213 (UPC-A).
    ean: str | None
    gtins: tuple[str, ...] = ()
    if kind == "EAN-13":
        ean = with_check_digit(f"70421130{serial:04d}")
    elif kind == "UPC-A":
        ean = with_check_digit(f"084213{serial:05d}")
    elif kind == "GTIN-14":
        ean = None
        gtins = (with_check_digit(f"5704211{serial:06d}"),)
    else:
        ean = None
    case = case_gtin(ean) if case_size and ean else None
    return CatalogueItem(
        sku=sku,
        name=name,
        price=price,
        tax_rate=Decimal(15) if sku in _FOOD else Decimal(25),
        barcode_kind=kind,
        ean=ean,
        gtins=(*gtins, case) if case else gtins,
        case_gtin=case,
        case_size=case_size,
        weight_kg=weight,
    )


def demo_catalogue() -> dict[str, CatalogueItem]:
    """The demo shop's products by SKU (named products first, then workshop supplies)."""
    return _build_catalogue()


# --- customers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Customer:
    first: str
    last: str
    street: str
    zip_code: str
    city: str
    phone: str
    organization: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def email(self) -> str:
        local = f"{self.first}.{self.last}".lower()
        for a, b in (("æ", "ae"), ("ø", "o"), ("å", "a"), (" ", ".")):
            local = local.replace(a, b)
        return f"{local}@example.com"

    def address(self) -> Address:
        extra = {"organization": self.organization} if self.organization else {}
        return Address(
            name=self.name,
            first_name=self.first,
            last_name=self.last,
            **extra,
            line1=self.street,
            city=self.city,
            postal_code=self.zip_code,
            country_code="NO",
            country_name="Norway",
            phone=self.phone,
            email=self.email,
        )


_CUSTOMERS = (
    _Customer("Kari", "Nordmann", "Thorvald Meyers gate 12", "0555", "Oslo", "+4791234501"),
    _Customer("Ola", "Hansen", "Bygdøy allé 41", "0265", "Oslo", "+4791234502"),
    _Customer("Ingrid", "Johansen", "Kirkeveien 88", "0364", "Oslo", "+4791234503"),
    _Customer("Lars", "Olsen", "Storgata 5", "2000", "Lillestrøm", "+4791234504"),
    _Customer("Sigrid", "Larsen", "Torggata 17", "3015", "Drammen", "+4791234505"),
    _Customer("Magnus", "Andersen", "Nedre Slottsgate 3", "0157", "Oslo", "+4791234506"),
    _Customer("Nora", "Pedersen", "Dronningens gate 10", "7011", "Trondheim", "+4791234507"),
    _Customer("Henrik", "Nilsen", "Kongens gate 22", "3256", "Larvik", "+4791234508"),
    _Customer("Emma", "Kristiansen", "Markveien 56", "0554", "Oslo", "+4791234509"),
    _Customer("Jonas", "Jensen", "Skippergata 9", "4611", "Kristiansand", "+4791234510"),
    _Customer("Astrid", "Karlsen", "Jernbanegata 2", "2609", "Lillehammer", "+4791234511"),
    _Customer("Erik", "Johnsen", "Vestre Rosten 79", "7075", "Tiller", "+4791234512"),
    _Customer("Solveig", "Berg", "Sandviksveien 30", "5035", "Bergen", "+4791234513"),
    _Customer("Anders", "Haugen", "Fjellveien 14", "5019", "Bergen", "+4791234514"),
    _Customer("Marte", "Hagen", "Hamnegata 4", "9008", "Tromsø", "+4791234515"),
    _Customer("Ole", "Eriksen", "Kongsgårdsgata 8", "4005", "Stavanger", "+4791234516"),
    _Customer("Hanne", "Bakken", "Tollbugata 33", "0157", "Oslo", "+4791234517"),
    _Customer("Per", "Lie", "Sognsveien 72", "0855", "Oslo", "+4791234518"),
    _Customer("Ida", "Moen", "Grønlandsleiret 25", "0190", "Oslo", "+4791234519"),
    _Customer("Thomas", "Dahl", "Eidsvolls gate 6", "2317", "Hamar", "+4791234520"),
    _Customer("Silje", "Strand", "Kirkegata 19", "1607", "Fredrikstad", "+4791234521"),
    _Customer("Kristian", "Lund", "Ringveien 3", "1369", "Stabekk", "+4791234522"),
    _Customer("Maria", "Solberg", "Sjøgata 11", "8006", "Bodø", "+4791234523"),
    _Customer("Eirik", "Sæther", "Kanalveien 45", "5068", "Bergen", "+4791234524"),
    _Customer("Camilla", "Bjørnstad", "Parkveien 62", "0350", "Oslo", "+4791234525"),
    _Customer("Sindre", "Aas", "Furuveien 7", "1440", "Drøbak", "+4791234526"),
)
_BUSINESS = _Customer(
    "Geir",
    "Hansen",
    "Industriveien 21",
    "1481",
    "Hagan",
    "+4767071200",
    organization="Byggmester Hansen AS",
)


# --- orders ---------------------------------------------------------------------------------


@dataclass
class _ShipmentSpec:
    """One shipment of a demo order: which lines (and how many units) it holds."""

    shipment_id: str
    lines: dict[str, Decimal]  # lineItemId -> units in this shipment
    warehouse: str = OSLO
    method: str = "Bring"
    completed: bool = False
    pickup_store: str | None = None
    service_point: bool = False
    comment: str | None = None
    address: _Customer | None = None


@dataclass
class _OrderSpec:
    number: int
    customer: _Customer
    lines: list[tuple[str, Decimal]]  # (sku, quantity)
    method: str = "Bring"
    warehouse: str = OSLO
    order_type: str = "Online"
    status: str = READY_ORDER_STATUS
    tags: tuple[str, ...] = ()
    payment_method: str = "Klarna"
    authorisation_short_by: Decimal = Decimal(0)
    canceled: dict[str, Decimal] = field(default_factory=dict)  # lineItemId -> units
    shipments: list[_ShipmentSpec] | None = None
    pickup_store: str | None = None
    service_point: bool = False
    comment: str | None = None
    case_size_property: bool = False
    """Its lines of case-packed items say their case size (the `CaseSize` line property)."""


def _q(value: int | str) -> Decimal:
    return Decimal(value)


def _specs(catalogue: dict[str, CatalogueItem]) -> list[_OrderSpec]:
    c = _CUSTOMERS
    specs = [
        _OrderSpec(1001, c[0], [("NH-1003", _q(1))]),
        _OrderSpec(1002, c[1], [("NH-1005", _q(3))], method="PostNord", payment_method="Vipps"),
        _OrderSpec(
            1003,
            c[2],
            [("NH-1002", _q(2)), ("NH-1006", _q(1)), ("NH-1014", _q(1)), ("NH-1020", _q(1))],
            method="Helthjem",
        ),
        _OrderSpec(1004, c[3], [("NH-1018", _q(1)), ("NH-1019", _q(2))], method="Posten"),
        _OrderSpec(1005, c[4], [("NH-1016", _q(2)), ("NH-1030", _q(1)), ("NH-1040", _q(1))]),
        _OrderSpec(
            1006,
            c[5],
            [("NH-1008", _q(48)), ("NH-1003", _q(1))],
            method="PostNord",
            case_size_property=True,
        ),
        _OrderSpec(1007, c[6], [("NH-1015", _q(20)), ("NH-1037", _q(40))]),
        _OrderSpec(
            1008,
            c[7],
            [
                ("NH-1001", _q(1)),
                ("NH-1002", _q(2)),
                ("NH-1004", _q(1)),
                ("NH-1009", _q(2)),
                ("NH-1010", _q(1)),
                ("NH-1011", _q(1)),
                ("NH-1013", _q(4)),
                ("NH-1020", _q(1)),
                ("NH-1022", _q(1)),
                ("NH-1023", _q(3)),
                ("NH-1026", _q(2)),
                ("NH-1027", _q(2)),
                ("NH-1031", _q(1)),
                ("NH-1032", _q(1)),
                ("NH-1035", _q(1)),
            ],
            payment_method="Visa",
        ),
        _big_b2b_order(catalogue),
        _OrderSpec(
            1010,
            c[8],
            [("NH-1024", _q(1)), ("NH-1025", _q(1)), ("NH-1026", _q(2))],
            status="PartiallyShipped",
            shipments=[
                _ShipmentSpec("1", {"1": _q(1), "3": _q(2)}, completed=True),
                _ShipmentSpec("2", {"2": _q(1)}, comment="Restordre: sendes når skoene er inne"),
            ],
        ),
        _OrderSpec(
            1011,
            c[9],
            [("NH-1001", _q(1)), ("NH-1032", _q(2)), ("NH-1002", _q(2))],
            shipments=[
                _ShipmentSpec("1", {"1": _q(1), "2": _q(1), "3": _q(1)}),
                _ShipmentSpec(
                    "2",
                    {"2": _q(1), "3": _q(1)},
                    method="PostNord",
                    comment="Gave, legg ved gavekort uten pris",
                    address=c[10],
                ),
            ],
        ),
        _OrderSpec(
            1012,
            c[11],
            [("NH-1024", _q(1))],
            method="Pickup",
            order_type="ClickAndCollect",
            pickup_store=STORE_OSLO,
            payment_method="Vipps",
        ),
        _OrderSpec(
            1013,
            c[12],
            [("NH-1029", _q(12)), ("NH-1013", _q(2)), ("NH-1017", _q(1))],
            method="Pickup",
            order_type="ClickAndCollect",
            pickup_store=STORE_OSLO,
        ),
        _OrderSpec(1014, c[13], [("NH-1009", _q(1)), ("NH-1010", _q(1))], status="Queued"),
        _OrderSpec(
            1015,
            c[14],
            [("NH-1025", _q(1)), ("NH-1005", _q(2))],
            authorisation_short_by=Decimal(500),
            payment_method="Visa",
        ),
        _OrderSpec(1016, c[15], [("NH-1004", _q(1)), ("NH-1003", _q(1))], method="DHL Express"),
        _OrderSpec(1017, c[16], [("NH-1012", _q(1))], tags=("fail:PrintShippingLabel",)),
        _OrderSpec(
            1018, c[17], [("NH-1022", _q(1)), ("NH-1020", _q(1))], tags=("fail:CapturePayments",)
        ),
        _OrderSpec(1019, c[18], [(SHORT_STOCK_SKU, _q(2)), ("NH-1010", _q(1))]),
        _OrderSpec(1020, c[19], [("NH-1035", _q(1))], tags=("fail:Notification",)),
        _OrderSpec(
            1021,
            c[20],
            [("NH-1023", _q(3)), ("NH-1038", _q(1))],
            canceled={"1": _q(1)},
            comment="Kunden ringte: trenger bare to flasker",
        ),
        _OrderSpec(1022, c[21], [("NH-1011", _q(1)), ("NH-1027", _q(1))], service_point=True),
        _OrderSpec(
            1023,
            c[22],
            [("NH-1031", _q(2)), ("NH-1032", _q(2))],
            method="Helthjem",
            tags=("fail-once:PrintShippingLabel",),
        ),
    ]
    everyday = _everyday_orders(catalogue, first=1024, count=13, customers=c[23:] + c[:10])
    # The last two everyday orders ship with Budbee, which books after the answer
    # (runAfterOrderIsSaved steps); ORD-1036's booking then fails.
    everyday[-2].method = "Budbee"
    everyday[-1].method = "Budbee"
    everyday[-1].tags = ("fail:PrintShippingLabel",)
    specs.extend(everyday)
    specs.append(
        _OrderSpec(
            1037,
            c[3],
            [("NH-1001", _q(1)), ("NH-1017", _q(2))],
            shipments=[
                _ShipmentSpec("1", {"1": _q(1)}),
                _ShipmentSpec("2", {"2": _q(2)}, warehouse=BERGEN),
            ],
        )
    )
    specs.extend(
        [
            _OrderSpec(1038, c[12], [("NH-1032", _q(1))], warehouse=BERGEN),
            _OrderSpec(
                1039,
                c[13],
                [("NH-1011", _q(1)), ("NH-1026", _q(2)), ("NH-1006", _q(1)), ("NH-1040", _q(1))],
                warehouse=BERGEN,
                method="PostNord",
            ),
            _OrderSpec(
                1040,
                c[23],
                [("NH-1003", _q(2)), ("NH-1028", _q(20))],
                warehouse=BERGEN,
                method="Pickup",
                order_type="ClickAndCollect",
                pickup_store=STORE_BERGEN,
            ),
            _OrderSpec(1041, c[14], [("NH-1034", _q(24))], warehouse=BERGEN, method="Helthjem"),
        ]
    )
    return specs


def _big_b2b_order(catalogue: dict[str, CatalogueItem]) -> _OrderSpec:
    rng = random.Random(1009)
    skus = [sku for sku in catalogue if sku.startswith("KT-")][:250]
    lines = [(sku, Decimal(rng.choice((1, 1, 2, 2, 3, 4, 5, 6, 10)))) for sku in skus]
    return _OrderSpec(1009, _BUSINESS, lines, method="Bring", payment_method="Faktura (Klarna B2B)")


_EVERYDAY_SKUS = (
    "NH-1001", "NH-1002", "NH-1003", "NH-1005", "NH-1006", "NH-1009", "NH-1010", "NH-1011",
    "NH-1012", "NH-1013", "NH-1014", "NH-1016", "NH-1018", "NH-1020", "NH-1022", "NH-1023",
    "NH-1024", "NH-1026", "NH-1027", "NH-1030", "NH-1031", "NH-1032", "NH-1033", "NH-1035",
    "NH-1038", "NH-1039", "NH-1040",
)  # fmt: skip


def _everyday_orders(
    catalogue: dict[str, CatalogueItem], *, first: int, count: int, customers: Sequence[_Customer]
) -> list[_OrderSpec]:
    rng = random.Random(2026)
    methods = ("Bring", "Bring", "PostNord", "Helthjem", "Posten")
    payments = ("Klarna", "Vipps", "Visa", "Mastercard")
    specs = []
    for k in range(count):
        skus = rng.sample(_EVERYDAY_SKUS, rng.randint(1, 5))
        lines = [(sku, Decimal(rng.choice((1, 1, 1, 2, 3)))) for sku in skus]
        specs.append(
            _OrderSpec(
                first + k,
                customers[k % len(customers)],
                lines,
                method=rng.choice(methods),
                payment_method=rng.choice(payments),
            )
        )
    return specs


def _line(
    item: CatalogueItem, line_item_id: str, quantity: Decimal, *, case_size: bool = False
) -> OrderLine:
    fields: dict[str, object] = {}
    if item.ean:
        fields["ean"] = item.ean
    if item.gtins:
        fields["gtins"] = list(item.gtins)
    if case_size and item.case_size:
        # A custom line property, as a shop would add it: the station's default
        # `case_size_property` reads it, so a bare case GTIN counts its units.
        fields["properties"] = [
            PropertyItem(key="CaseSize", value=str(item.case_size), value_type="Number")
        ]
    return OrderLine(
        line_item_id=line_item_id,
        code=item.sku,
        display_name=item.name,
        quantity=quantity,
        delivered_quantity=Decimal(0),
        canceled_quantity=Decimal(0),
        ready_for_pickup_quantity=Decimal(0),
        placed_price=item.price,
        tax_rate=item.tax_rate,
        extended_price=item.price * quantity,
        unit=item.unit,
        **fields,
    )


def _pickup_point(store: str) -> PickUpPoint:
    if store == STORE_BERGEN:
        return PickUpPoint(
            service_point_id=store,
            name="Nordlys Bergen Torget",
            address=PickUpPointAddress(
                street="Torget 3",
                postal_code="5014",
                city="Bergen",
                country="Norway",
                country_code="NO",
            ),
        )
    return PickUpPoint(
        service_point_id=store,
        name="Nordlys Oslo Sentrum",
        address=PickUpPointAddress(
            street="Karl Johans gate 14",
            postal_code="0154",
            city="Oslo",
            country="Norway",
            country_code="NO",
        ),
    )


def _service_point() -> PickUpPoint:
    return PickUpPoint(
        service_point_id="123456",
        name="Coop Extra Stabekk (Post i butikk)",
        address=PickUpPointAddress(
            street="Gamle Drammensvei 43",
            postal_code="1369",
            city="Stabekk",
            country="Norway",
            country_code="NO",
        ),
    )


def _build_order(spec: _OrderSpec, catalogue: dict[str, CatalogueItem]) -> OmniumOrder:
    order_id = f"ORD-{spec.number}"
    created = _EPOCH + timedelta(minutes=17 * (spec.number - 1000))
    stamp = created.isoformat(timespec="seconds").replace("+00:00", "Z")
    lines = {
        str(i): _line(catalogue[sku], str(i), qty, case_size=spec.case_size_property)
        for i, (sku, qty) in enumerate(spec.lines, 1)
    }
    shipment_specs = spec.shipments or [
        _ShipmentSpec(
            "1",
            {line_id: line.quantity for line_id, line in lines.items()},
            warehouse=spec.warehouse,
            method=spec.method,
            pickup_store=spec.pickup_store,
            service_point=spec.service_point,
            comment=spec.comment,
        )
    ]
    sub_total = sum((line.extended_price or Decimal(0) for line in lines.values()), Decimal(0))
    shipments: list[Shipment] = []
    payments: list[Payment] = []
    for s in shipment_specs:
        shipment, capture = _build_shipment(order_id, s, spec, lines)
        shipments.append(shipment)
        if capture is not None:
            payments.append(capture)
    shipping_total = sum((s.shipping_total or Decimal(0) for s in shipments), Decimal(0))
    total = sub_total + shipping_total
    # Order-level lines carry the totals over all shipments (house rule 4).
    for line_id, line in lines.items():
        copies = [c for s in shipments for c in s.line_items if c.line_item_id == line_id]
        line.delivered_quantity = sum((c.delivered_quantity for c in copies), Decimal(0))
        line.canceled_quantity = sum((c.canceled_quantity for c in copies), Decimal(0))
    authorisation = Payment(
        id=f"{order_id}-AUTH-1",
        payment_method_name=spec.payment_method,
        amount=total - spec.authorisation_short_by,
        transaction_type="Authorization",
        status="Processed",
    )
    store_id = spec.pickup_store or (
        "nettbutikk-b2b" if spec.customer is _BUSINESS else "nettbutikk"
    )
    return OmniumOrder(
        id=order_id,
        order_number=order_id,
        status=spec.status,
        order_type=spec.order_type,
        market_id="NOR",
        store_id=store_id,
        customer_name=spec.customer.organization or spec.customer.name,
        customer_email=spec.customer.email,
        customer_phone=spec.customer.phone,
        billing_address=spec.customer.address(),
        billing_currency=CURRENCY,
        order_form=OrderForm(
            line_items=list(lines.values()),
            shipments=shipments,
            payments=[authorisation, *payments],
            sub_total=sub_total,
            shipping_total=shipping_total,
            total=total,
        ),
        tags=list(spec.tags),
        properties=[],
        errors=[],
        is_read_only=False,
        created=stamp,
        modified=stamp,
    )


def _build_shipment(
    order_id: str, s: _ShipmentSpec, spec: _OrderSpec, lines: dict[str, OrderLine]
) -> tuple[Shipment, Payment | None]:
    copies = []
    for line_id, units in s.lines.items():
        copy = lines[line_id].model_copy(deep=True)
        copy.quantity = units
        copy.extended_price = (copy.placed_price or Decimal(0)) * units
        copy.canceled_quantity = min(spec.canceled.get(line_id, Decimal(0)), units)
        copy.delivered_quantity = units - copy.canceled_quantity if s.completed else Decimal(0)
        copies.append(copy)
    customer = s.address or spec.customer
    first_shipment = s.shipment_id == "1"
    shipping = SHIPPING_COST.get(s.method, Decimal(99)) if first_shipment else Decimal(0)
    fields: dict[str, object] = {}
    if s.pickup_store:
        fields["pick_up_warehouse_code"] = s.pickup_store
        fields["pick_up_point_information"] = _pickup_point(s.pickup_store)
    elif s.service_point:
        point = _service_point()
        fields["service_point_id"] = point.service_point_id
        fields["pick_up_point_information"] = point
    if s.comment:
        fields["comment"] = s.comment
    capture = None
    if s.completed:
        number = f"70438101{spec.number:06d}{s.shipment_id}"
        fields.update(
            shipment_tracking_number=number,
            shipment_tracking_link=f"https://tracking.bring.com/tracking/{number}",
            shipment_label_link=f"https://sandbox.packstation.invalid/labels/bring/{number}.pdf",
            packages=[
                ShipmentPackage(
                    id=f"{order_id}-PKG-1",
                    barcode=with_check_digit(f"37042113{spec.number:09d}"),
                    weight_in_kg=2.4,
                    volume=24.0,
                    dimensions=Dimensions(length_in_cm=40, width_in_cm=30, height_in_cm=20),
                    shipment_tracking=Tracking(
                        shipment_tracking_number=number,
                        shipment_tracking_link=f"https://tracking.bring.com/tracking/{number}",
                    ),
                    goods_description=", ".join(
                        f"{c.delivered_quantity.normalize():f} × {c.code}" for c in copies
                    ),
                    line_item_references=[
                        LineItemReference(line_item_id=c.line_item_id) for c in copies
                    ],
                )
            ],
            properties=[],
        )
        value = sum(
            (c.delivered_quantity * (c.placed_price or Decimal(0)) for c in copies), Decimal(0)
        )
        capture = Payment(
            id=f"{order_id}-CAP-{s.shipment_id}-1",
            payment_method_name=spec.payment_method,
            amount=value + shipping,
            transaction_type="Capture",
            status="Processed",
            shipment_id=s.shipment_id,
        )
    shipment = Shipment(
        shipment_id=s.shipment_id,
        status="Shipped" if s.completed else READY_SHIPMENT_STATUS,
        order_status="Completed" if s.completed else READY_ORDER_STATUS,
        line_items=copies,
        warehouse_code=s.warehouse,
        shipping_method_name=s.method,
        address=customer.address(),
        shipping_sub_total=shipping,
        shipping_total=shipping,
        **fields,
    )
    return shipment, capture


def demo_orders() -> list[OmniumOrder]:
    """The demo orders, ORD-1001 to ORD-1041 (new objects on every call)."""
    catalogue = _build_catalogue()
    return [_build_order(spec, catalogue) for spec in _specs(catalogue)]


def tenant_orders(total: int, waiting: int, warehouse: str = OSLO) -> list[OmniumOrder]:
    """A busy tenant: `total` copies of ORD-1001 (ids T-000001..), `waiting` of them waiting at
    `warehouse` (InProgress, open shipment there); as many again InProgress at the other
    warehouse, the rest Completed. Created a minute apart, oldest first (queues, benches)."""
    if waiting * 2 > total:
        raise ValueError("at most half the tenant's orders can be waiting here")
    template = demo_orders()[0]
    other = BERGEN if warehouse != BERGEN else OSLO
    orders = []
    for n in range(total):
        order = template.model_copy(deep=True)
        order.id = order.order_number = f"T-{n + 1:06d}"
        order.created = (_EPOCH + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        [shipment] = order.order_form.shipments
        if n % 2 == 0 and n // 2 < waiting:
            shipment.warehouse_code = warehouse
        elif n % 2 == 1 and n // 2 < waiting:
            shipment.warehouse_code = other
        else:
            order.status = shipment.order_status = "Completed"
            shipment.status = "Shipped"
        orders.append(order)
    return orders


# --- stock ----------------------------------------------------------------------------------


def demo_stock() -> dict[tuple[str, str], Decimal]:
    """Units in stock per (warehouse, SKU): every product at both warehouses, enough to pack
    every demo order several times, except SHORT_STOCK_SKU at WH-OSLO (one unit)."""
    catalogue = _build_catalogue()
    demand: dict[tuple[str, str], Decimal] = {}
    for order in demo_orders():
        for shipment in order.order_form.shipments:
            for line in shipment.line_items:
                if line.code and shipment.warehouse_code:
                    key = (shipment.warehouse_code, line.code)
                    demand[key] = demand.get(key, Decimal(0)) + line.quantity
    stock: dict[tuple[str, str], Decimal] = {}
    for i, sku in enumerate(catalogue):
        for warehouse, base in ((OSLO, 40), (BERGEN, 15)):
            units = Decimal(base + (i * 37) % 90)
            stock[(warehouse, sku)] = max(units, 3 * demand.get((warehouse, sku), Decimal(0)))
    stock[(OSLO, SHORT_STOCK_SKU)] = Decimal(1)
    return stock


INTERESTING_ORDERS: dict[str, str] = {
    "ORD-1001": "one line, one unit (EAN-13), Bring",
    "ORD-1002": "one line, quantity 3, PostNord",
    "ORD-1003": "four lines, EAN-13 and UPC-A items, Helthjem",
    "ORD-1004": "items known only by SKU code (no barcode), Posten",
    "ORD-1005": "items known only by GTIN-14 (in gtins)",
    "ORD-1006": "case pack: 48 fire starters = 2 cases of 24; the line says CaseSize 24",
    "ORD-1007": "case packs: UPC-A batteries 20 = 2 x 10, chocolate 40 = 2 x 20 (AI 02+37)",
    "ORD-1008": "15 lines, quantities above 1",
    "ORD-1009": "250 lines (B2B workshop supplies), Byggmester Hansen AS",
    "ORD-1010": "several shipments: shipment 1 already shipped, shipment 2 open (PartiallyShipped)",
    "ORD-1011": "two open WH-OSLO shipments (second one is a gift to another address)",
    "ORD-1012": "click and collect, one line, pickup at STORE-OSLO-SENTRUM",
    "ORD-1013": "click and collect with a case pack (12 mosquito sprays = 1 case)",
    "ORD-1014": "Queued: writes are refused until the sandbox releases it",
    "ORD-1015": "payment capture fails: authorisation 500 NOK short of the order total",
    "ORD-1016": "booking fails: unknown shipping method 'DHL Express'",
    "ORD-1017": "booking fails: tag fail:PrintShippingLabel (carrier unavailable)",
    "ORD-1018": "payment capture fails: tag fail:CapturePayments",
    "ORD-1019": "short stock: NH-1021 has one unit at WH-OSLO, the order wants two",
    "ORD-1020": "Notification fails (tag), not stop-on-error: completes with an errors entry",
    "ORD-1021": "a line already partly cancelled (3 ordered, 1 cancelled)",
    "ORD-1022": "delivery to a Bring service point (pickUpPointInformation)",
    "ORD-1023": "booking fails only the first time (tag fail-once:PrintShippingLabel)",
    "ORD-1035": "Budbee: the carrier's booking finishes after the answer (background steps)",
    "ORD-1036": "Budbee, booking fails after the answer (tag fail:PrintShippingLabel)",
    "ORD-1037": "split between warehouses: shipment 1 at WH-OSLO, shipment 2 at WH-BERGEN",
    "ORD-1040": "click and collect from WH-BERGEN with a case pack",
}
"""Order id -> what it demonstrates (ORD-1024..1036 are everyday orders, 1038..1041 Bergen)."""
