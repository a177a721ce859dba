"""Code 128 / GS1-128 symbols decode back to exactly their payload (zxing-cpp)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from labels_support import decode_symbol

from packstation.labels.barcodes import code128, gs1_128
from packstation.labels.errors import LabelError
from packstation.packing.commands import Command


@pytest.mark.parametrize("command", list(Command))
def test_every_command_decodes_as_plain_code128(command: Command) -> None:
    decoded = decode_symbol(code128(command.value))
    assert len(decoded) == 1
    assert decoded[0].raw == command.value
    assert decoded[0].symbology == "]C0"  # no FNC1: not mistaken for GS1
    assert not decoded[0].gs1


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=24)
)
def test_any_printable_ascii_round_trips(payload: str) -> None:
    decoded = decode_symbol(code128(payload), module_px=2)
    assert [d.raw for d in decoded] == [payload]
    assert decoded[0].symbology == "]C0"


@pytest.mark.parametrize(
    "payload",
    [
        "USER-12345",
        "USER-1234X",
        "BOX-1",
        "A1234567B",
        "12345",
        "1",
        "USER-7",
        "99",
        "9999",
        "99ABC",
    ],
)
def test_digit_runs_switching_subsets_round_trip(payload: str) -> None:
    assert [d.raw for d in decode_symbol(code128(payload))] == [payload]


def test_sscc_element_string_decodes_as_gs1_with_fnc1() -> None:
    element = "00" + "070123450100000012"
    symbol = gs1_128(element)
    decoded = decode_symbol(symbol)
    assert len(decoded) == 1
    assert decoded[0].symbology == "]C1"  # FNC1 in first position
    assert decoded[0].gs1
    assert decoded[0].raw == element
    assert decoded[0].hri == "(00)070123450100000012"
    # Start C (11010011100) then FNC1 (11110101110).
    assert symbol.modules.startswith("11010011100" + "11110101110")


@pytest.mark.parametrize("payload", ["", "ÆØÅ", "tab\there", "CMD-ñ"])
def test_non_printable_or_non_ascii_is_refused(payload: str) -> None:
    with pytest.raises(LabelError):
        code128(payload)


def test_gs1_requires_digits() -> None:
    with pytest.raises(LabelError):
        gs1_128("00ABC")
