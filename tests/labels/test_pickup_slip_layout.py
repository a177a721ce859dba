"""The pickup slip's layout and formats."""

from __future__ import annotations

from packstation.labels.label import LabelSize
from packstation.labels.pickup_slip import (
    PickupSlip,
    pickup_slip_filename,
    pickup_slip_for,
    pickup_slip_page,
    render_pickup_slip,
)
from packstation.omnium.models import OmniumOrder


def test_the_slip_shows_order_number_customer_and_shelf_only_when_named() -> None:
    order = OmniumOrder(id="ORD-9", order_number="100009", customer_name="Kari Nordmann")
    slip = pickup_slip_for(order, " C-3 ")
    texts = pickup_slip_page(slip).texts()
    assert "100009" in texts and "Kari Nordmann" in texts and "C-3" in texts
    assert "Id ORD-9" in texts
    bare = pickup_slip_page(pickup_slip_for(order)).texts()
    assert "Shelf / bin" not in bare and "C-3" not in bare


def test_the_slip_renders_in_every_label_format_and_is_named_for_its_order() -> None:
    slip = PickupSlip("ORD/9", "ORD/9", "Ola <b>Nordmann</b>")
    zpl = render_pickup_slip(slip, "zpl", LabelSize.A6)
    assert zpl.startswith(b"^XA") and zpl.rstrip().endswith(b"^XZ")
    assert render_pickup_slip(slip, "png").startswith(b"\x89PNG")
    svg = render_pickup_slip(slip, "svg")
    assert b"&lt;b&gt;" in svg and b"<b>" not in svg  # a name is text, never markup
    assert pickup_slip_filename(slip, "zpl") == "ORD_9-pickup.zpl"
