"""A sample label with demo data, for trying a printer or the layout."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from packstation.labels.errors import LabelError
from packstation.labels.label import LabelData
from packstation.labels.render import LabelFormat, render_label
from packstation.labels.sscc import SsccAllocator


def sample_label(company_prefix: str, station_id: str) -> LabelData:
    """Demo label data; its SSCC uses counter 0, which a station store never hands out."""
    sscc = SsccAllocator(company_prefix, station_id, lambda: 0).allocate()
    return LabelData(
        sscc=sscc,
        order_id="SAMPLE - NOT FOR SHIPPING",
        package_number=1,
        package_count=2,
        weight_kg=Decimal("2.35"),
        length_cm=40,
        width_cm=30,
        height_cm=20,
        ship_to_name="Kari Nordmann",
        ship_to_city="Oslo",
        ship_to_postal_code="0150",
        ship_to_country="NO",
        shipping_method="Home delivery",
        tracking_number="SAMPLE0000000001",
        company_prefix=company_prefix,
    )


def write_sample_label(
    path: Path, fmt: LabelFormat | str, size: str, company_prefix: str, station_id: str
) -> None:
    """Write the sample label to `path`."""
    content = render_label(sample_label(company_prefix, station_id), fmt, size)
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise LabelError(f"cannot write {path}: {exc.strerror or exc}") from exc
