"""The domain's refusals and texts in the packer's language; what code compares stays a kind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from packing_factories import L, make_order, session_for

from packstation.i18n import set_language
from packstation.packing.commands import Command
from packstation.packing.errors import OrderQueued
from packstation.packing.scan import RejectKind
from packstation.packing.target import check_order

MUG = "5901234123457"


def test_a_refusal_is_in_norwegian_and_english_again_after_switching_back() -> None:
    session = session_for(L("MUG", MUG, 2, name="Blue mug"))
    assert session.handle_scan(MUG).ok and session.handle_scan(MUG).ok
    set_language("nb")
    refused = session.handle_scan(MUG)
    assert refused.rejection is not None
    assert refused.rejection.kind is RejectKind.LINE_COMPLETE
    assert refused.message == "Linje MUG (Blue mug): alle 2 enheter er allerede pakket"
    set_language("en")
    again = session.handle_scan(MUG)
    assert again.rejection is not None and again.rejection.kind is RejectKind.LINE_COMPLETE
    assert again.message == "Line MUG (Blue mug): all 2 units already packed"


def test_a_weight_refusal_in_swedish_shows_the_decimal_comma() -> None:
    session = session_for(L("MUG", MUG, 1))
    set_language("sv")
    refused = session.set_weight(Decimal("80.5"))
    assert refused.rejection is not None and refused.rejection.kind is RejectKind.BAD_WEIGHT
    assert refused.message == "Vikt 80,5 kg är över max 70 kg"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Order ORD-1 is queued in Omnium: try again shortly"),
        ("da", "Ordre ORD-1 står i kø i Omnium: prøv igen om lidt"),
    ],
)
def test_an_order_refusal_names_omniums_id_unchanged(language: str, expected: str) -> None:
    set_language(language)
    with pytest.raises(OrderQueued) as raised:
        check_order(make_order(L("MUG", MUG, 1), status="Queued"))
    assert str(raised.value) == expected and raised.value.order_id == "ORD-1"


def test_a_command_keeps_its_barcode_and_says_its_meaning_in_the_language_shown() -> None:
    set_language("nb")
    assert Command.SIGN_OUT.value == "CMD-SIGN-OUT"
    assert Command.SIGN_OUT.meaning == "Logg ut pakkeren (mellom ordrer)"
    set_language("en")
    assert Command.SIGN_OUT.meaning == "Sign the packer out (between orders)"


def test_a_submit_refused_in_norwegian_is_still_refused_by_kind() -> None:
    session = session_for(L("MUG", MUG, 1))
    set_language("nb")
    refused = session.submit()
    assert refused.rejection is not None and refused.rejection.kind is RejectKind.NOT_READY
    assert refused.message.startswith("Kan ikke sende: ")
    assert "Ingenting er pakket" in refused.message
