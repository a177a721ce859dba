"""Scan interpretation: every kind of scan and every rejection (`packstation.packing.scan`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from packing_factories import L, make_order

from packstation.packing.boxes import DEFAULT_BOX_PRESETS
from packstation.packing.commands import Command
from packstation.packing.gtin import normalise_gtin
from packstation.packing.index import LineIndex
from packstation.packing.scan import (
    BadgeScan,
    BoxScan,
    CommandScan,
    DimensionsScan,
    ItemScan,
    OrderIdScan,
    Rejected,
    RejectKind,
    ScanResult,
    WeightScan,
    interpret,
)

EAN13 = "5901234123457"
UPCA = "036000291452"
EAN8 = "96385074"
GTIN14 = "15901234123454"
GS = "\x1d"

ORDER = make_order(
    L("MUG-BLUE", EAN13, 3, name="Blue mug"),
    L("PLATE", "0" + UPCA, 2),  # stored as EAN-13, scanned as UPC-A
    L("SPOON", EAN8, 1),
    L("CASE", None, 1, gtins=[GTIN14]),
    L("bowl-7", None, 2),
    other=[L("LAMP", "4006381333931", 1)],
)
SHIPMENT = ORDER.order_form.shipments[0]
INDEX = LineIndex.build(ORDER, SHIPMENT)


def scan(raw: str, remaining: dict[str, int] | None = None) -> ScanResult:
    left = None if remaining is None else (lambda lid: Decimal(remaining.get(lid, 0)))
    return interpret(raw, ORDER, INDEX, presets=DEFAULT_BOX_PRESETS, remaining=left)


@pytest.mark.parametrize("command", list(Command))
def test_every_command_barcode(command: Command) -> None:
    assert scan(command.value) == CommandScan(command)
    assert scan(command.value.lower() + "\r\n") == CommandScan(command)
    assert scan("]C0" + command.value) == CommandScan(command)


def test_commands_are_understood_without_an_order() -> None:
    assert interpret("CMD-ABORT", None, None) == CommandScan(Command.ABORT)


def test_box_barcode_selects_preset_case_insensitively() -> None:
    result = scan("box-m")
    assert isinstance(result, BoxScan)
    assert result.preset.name == "M"
    assert (result.preset.length_cm, result.preset.width_cm, result.preset.height_cm) == (
        40,
        30,
        20,
    )


def test_unknown_box_is_rejected_naming_the_known_ones() -> None:
    result = scan("BOX-HUGE")
    assert isinstance(result, Rejected)
    assert result.kind is RejectKind.UNKNOWN_BOX
    assert "HUGE" in result.reason and "XL" in result.reason


def test_badge() -> None:
    assert scan("USER-anna") == BadgeScan("anna")
    assert interpret("USER-42\n", None, None) == BadgeScan("42")


def test_badge_without_id_is_rejected() -> None:
    result = scan("USER-")
    assert isinstance(result, Rejected) and result.kind is RejectKind.BAD_BADGE


def test_without_an_order_anything_else_is_an_order_id() -> None:
    assert interpret(" ORD-2024-17 \r\n", None, None) == OrderIdScan("ORD-2024-17")
    assert interpret(EAN13, None, None) == OrderIdScan(EAN13)


def test_without_an_order_a_gs1_string_is_not_an_order_id() -> None:
    result = interpret(f"0105901234123457{GS}3010", None, None)
    assert isinstance(result, Rejected) and result.kind is RejectKind.NOT_READY


def test_loaded_order_id_scanned_again() -> None:
    assert scan("ORD-1") == OrderIdScan("ORD-1")


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (EAN13, "1"),
        ("]E0" + EAN13, "1"),
        ("0" + EAN13, "1"),  # GTIN-14 form of the EAN-13
        (UPCA, "2"),  # UPC-A matches the line's EAN-13 with a leading 0
        ("0" + UPCA, "2"),
        (EAN8, "3"),  # an EAN-8 starting with 96 is not read as GS1 AI 96
        ("]E4" + EAN8, "3"),
        (GTIN14, "4"),
        ("mug-blue", "1"),
        ("  MUG-BLUE \t", "1"),
        ("BOWL-7", "5"),
    ],
)
def test_plain_codes_find_their_line(raw: str, line: str) -> None:
    result = scan(raw)
    assert isinstance(result, ItemScan)
    assert (result.line_item_id, result.units) == (line, Decimal(1))


@pytest.mark.parametrize(
    ("raw", "units"),
    [
        (f"0105901234123457{GS}303", 3),
        (f"]C10105901234123457{GS}303", 3),
        (f"]d2{GS}0105901234123457{GS}302", 2),
        ("]Q301059012341234573002", 2),  # fixed-length AI 01 needs no separator after it
        ("(01)05901234123457(37)4", 4),
        (f"0205901234123457{GS}375", 5),
        (f"0105901234123457{GS}10LOT42{GS}302", 2),
        ("0105901234123457", 1),
    ],
)
def test_gs1_element_strings_with_counts(raw: str, units: int) -> None:
    result = scan(raw)
    assert isinstance(result, ItemScan)
    assert result.line_item_id == "1"
    assert result.units == Decimal(units)


def test_gs1_count_of_zero_is_rejected() -> None:
    result = scan(f"0105901234123457{GS}300")
    assert isinstance(result, Rejected) and result.kind is RejectKind.BAD_COUNT


@pytest.mark.parametrize(
    ("raw", "kg"),
    [
        ("3303001500", Decimal("1.5")),  # gross, 3 decimals
        ("]C13302000125", Decimal("1.25")),
        ("3102012345", Decimal("123.45")),  # net
        (f"3103000900{GS}3303001000", Decimal("1.0")),  # gross wins over net
    ],
)
def test_weights_in_kg(raw: str, kg: Decimal) -> None:
    assert scan(raw) == WeightScan(kg)


def test_dimensions_in_metres_become_whole_cm() -> None:
    raw = f"]C13312000045{GS}3322000030{GS}3333000205"
    assert scan(raw) == DimensionsScan(45, 30, 21)  # 0.205 m rounds half up to 21 cm


def test_dimensions_with_a_weight_keep_both() -> None:
    raw = f"3313000450{GS}3323000300{GS}3333000200{GS}3302002500"
    assert scan(raw) == DimensionsScan(45, 30, 20, Decimal("25.00"))


def test_partial_dimensions_are_rejected() -> None:
    result = scan(f"3313000450{GS}3323000300")
    assert isinstance(result, Rejected) and result.kind is RejectKind.BAD_DIMENSIONS


def test_gtin_not_on_the_order() -> None:
    result = scan("7031000000014")
    assert isinstance(result, Rejected)
    assert result.kind is RejectKind.NOT_ON_ORDER
    assert result.reason == "Item 7031000000014 is not on order ORD-1"


def test_gs1_gtin_not_on_the_order() -> None:
    result = scan(f"0107031000000014{GS}302")
    assert isinstance(result, Rejected) and result.kind is RejectKind.NOT_ON_ORDER


def test_item_of_another_shipment_of_the_order() -> None:
    for raw in ("4006381333931", "lamp"):
        result = scan(raw)
        assert isinstance(result, Rejected)
        assert result.kind is RejectKind.NOT_IN_SHIPMENT
        assert "not in this station's shipment" in result.reason


@pytest.mark.parametrize("raw", ["xyz", "123456", "5901234123458", ""])
def test_unknown_barcodes(raw: str) -> None:
    result = scan(raw)
    assert isinstance(result, Rejected)
    assert result.kind is RejectKind.UNKNOWN_BARCODE
    if raw:
        assert result.reason == f"Unknown barcode {raw}"


@pytest.mark.parametrize(
    "raw", ["]C1010704211300012937", f"01070421130001{GS}37", "(01)0704211300012(37)"]
)
def test_a_gs1_marked_scan_that_is_not_valid_gs1_is_a_misread(raw: str) -> None:
    result = scan(raw)
    assert isinstance(result, Rejected)
    assert result.kind is RejectKind.UNKNOWN_BARCODE
    assert result.reason.startswith("Not a readable GS1 code, scan it again: ")


@pytest.mark.parametrize("raw", [f"]C1{EAN13}", "]C1MUG-BLUE"])
def test_a_gs1_marked_scan_of_a_known_code_still_packs(raw: str) -> None:
    # Some scanners send ]C1 for any Code 128: the code itself still counts.
    result = scan(raw)
    assert isinstance(result, ItemScan) and result.units == 1


def test_rejection_shows_group_separators_and_shortens_long_scans() -> None:
    result = scan("Z" * 30 + GS + "Q" * 30)
    assert isinstance(result, Rejected)
    assert "<GS>" in result.reason and result.reason.endswith("…")


def test_code_on_two_lines_goes_to_first_line_still_needing_units() -> None:
    order = make_order(L("DUP", EAN13, 2), L("DUP", EAN13, 3))
    index = LineIndex.build(order, order.order_form.shipments[0])

    def first(left: dict[str, int], raw: str = EAN13) -> str:
        result = interpret(raw, order, index, remaining=lambda lid: Decimal(left[lid]))
        assert isinstance(result, ItemScan)
        return result.line_item_id

    assert first({"1": 2, "2": 3}) == "1"
    assert first({"1": 0, "2": 3}) == "2"
    assert first({"1": 0, "2": 3}, "dup") == "2"
    assert first({"1": 0, "2": 0}) == "1"  # all full: the session will say so for line 1
    # A count the first line cannot take goes to a line that can.
    assert first({"1": 1, "2": 3}, f"0105901234123457{GS}303") == "2"


def test_index_is_built_once_and_normalises_gtins() -> None:
    assert INDEX.by_gtin[normalise_gtin(UPCA) or ""] == ("2",)
    assert INDEX.by_code["mug-blue"] == ("1",)
    assert set(INDEX.lines) == {"1", "2", "3", "4", "5"}


@pytest.mark.parametrize(
    ("text", "gtin14"),
    [(EAN8, "000000" + EAN8), (UPCA, "00" + UPCA), (EAN13, "0" + EAN13), (GTIN14, GTIN14)],
)
def test_normalise_gtin(text: str, gtin14: str) -> None:
    assert normalise_gtin(text) == gtin14


@pytest.mark.parametrize(
    "text", [None, "", "1234567", "12345678901", "ABCDEFGH", "１２３４５６７８"]
)
def test_normalise_gtin_refuses_non_gtins(text: str | None) -> None:
    assert normalise_gtin(text) is None


def test_a_bare_case_gtin_of_a_line_sold_in_units_is_refused() -> None:
    case = "1" + EAN13[:-1] + "4"  # the mug's case GTIN-14 (indicator 1)
    order = make_order(L("MUG-BLUE", EAN13, 48, gtins=[case]))
    index = LineIndex.build(order, order.order_form.shipments[0])
    result = interpret(case, order=order, index=index)
    assert isinstance(result, Rejected) and result.kind is RejectKind.BAD_COUNT
    assert "scan the case's GS1 label or key the count" in result.reason
    # The unit's own EAN still packs one; a line known only by its case GTIN is sold by the case.
    assert isinstance(interpret(EAN13, order=order, index=index), ItemScan)
    assert isinstance(interpret(GTIN14, order=ORDER, index=INDEX), ItemScan)
