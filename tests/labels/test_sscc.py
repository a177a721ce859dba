"""SSCC-18: check digits, the station's serial space, exhaustion, and no reuse across restarts."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from biip import ParseError
from biip.sscc import Sscc
from hypothesis import given, settings
from hypothesis import strategies as st

from packstation.labels.sscc import (
    DEMO_COMPANY_PREFIX,
    SsccAllocator,
    SsccError,
    SsccExhausted,
    format_sscc,
    gs1_check_digit,
    is_valid_sscc,
    make_sscc,
    validate_sscc,
)


def counter(start: int = 1) -> Callable[[], int]:
    """A fake serial source: start, start + 1, ..."""
    return itertools.count(start).__next__


def test_check_digit_agrees_with_biip() -> None:
    # biip computes the check digit independently of our code.
    body = "37612345000001003"
    sscc = make_sscc(3, "7612345", "000001003")
    assert sscc[:-1] == body
    assert Sscc.parse(sscc).check_digit == gs1_check_digit(body)


def test_check_digit_of_a_published_sscc() -> None:
    # biip's documented example SSCC 1 5703538 141037517 7.
    assert gs1_check_digit("15703538141037517") == 7
    assert make_sscc(1, "5703538", "141037517") == "157035381410375177"
    assert format_sscc("157035381410375177", "5703538") == "1 5703538 141037517 7"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_every_made_sscc_passes_biip_and_a_wrong_check_digit_does_not(body: str) -> None:
    sscc = make_sscc(int(body[0]), body[1:8], body[8:])
    assert Sscc.parse(sscc).value == sscc
    wrong = sscc[:-1] + str((int(sscc[-1]) + 1) % 10)
    with pytest.raises(ParseError):
        Sscc.parse(wrong)
    assert not is_valid_sscc(wrong)


def test_allocator_layout_is_extension_prefix_station_counter_check() -> None:
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "07", counter(42))
    sscc = alloc.allocate()
    assert len(sscc) == 18
    assert sscc[0] == "0"
    assert sscc[1:8] == DEMO_COMPANY_PREFIX
    assert sscc[8:10] == "07"
    assert sscc[10:17] == "0000042"
    assert Sscc.parse(sscc).check_digit == int(sscc[-1])
    assert format_sscc(sscc) == f"0 {DEMO_COMPANY_PREFIX} 070000042 {sscc[-1]}"


def test_allocator_is_callable_and_takes_a_new_serial_each_time() -> None:
    calls: list[int] = []
    source = counter(1)

    def next_serial() -> int:
        calls.append(1)
        return source()

    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", next_serial)
    codes = [alloc() for _ in range(50)] + [alloc.allocate() for _ in range(50)]
    assert len(calls) == 100
    assert len(set(codes)) == 100
    for code in codes:
        assert validate_sscc(code) == code
        assert Sscc.parse(code).value == code


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["701234", DEMO_COMPANY_PREFIX, "70123456", "7012345678", "701234567890"]),
    st.integers(0, 99),
    st.integers(0, 99),
    st.lists(st.integers(0, 99), min_size=1, max_size=20, unique=True),
)
def test_two_stations_never_collide(prefix: str, a: int, b: int, serials: list[int]) -> None:
    if a == b:
        b = (b + 1) % 100
    station_a = SsccAllocator(prefix, f"{a:02d}", iter(serials).__next__)
    station_b = SsccAllocator(prefix, f"{b:02d}", iter(serials).__next__)
    from_a = {station_a() for _ in serials}
    from_b = {station_b() for _ in serials}
    assert len(from_a) == len(from_b) == len(serials)
    assert from_a.isdisjoint(from_b)
    assert all(is_valid_sscc(code) for code in from_a | from_b)


def test_exhausted_counter_space_is_a_clear_error() -> None:
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", counter(9_999_999))
    assert alloc.capacity == 9_999_999
    last = alloc.allocate()
    assert last[10:17] == "9999999"
    with pytest.raises(SsccExhausted) as err:
        alloc.allocate()
    message = str(err.value)
    assert "exhausted" in message and "station 01" in message and "\n" not in message


def test_long_prefix_leaves_a_small_counter() -> None:
    alloc = SsccAllocator("701234567890", "02", counter(99))
    assert alloc.capacity == 99
    assert is_valid_sscc(alloc.allocate())
    with pytest.raises(SsccExhausted):
        alloc.allocate()


@pytest.mark.parametrize(
    ("prefix", "station", "extension"),
    [
        ("70123", "01", 0),
        ("7012345678901", "01", 0),
        ("70x2345", "01", 0),
        (DEMO_COMPANY_PREFIX, "1", 0),
        (DEMO_COMPANY_PREFIX, "AB", 0),
        (DEMO_COMPANY_PREFIX, "01", 10),
    ],
)
def test_bad_configuration_is_refused(prefix: str, station: str, extension: int) -> None:
    with pytest.raises(SsccError):
        SsccAllocator(prefix, station, counter(), extension_digit=extension)


def test_negative_serial_is_refused() -> None:
    with pytest.raises(SsccError, match="negative"):
        SsccAllocator(DEMO_COMPANY_PREFIX, "01", lambda: -1).allocate()


@pytest.mark.parametrize("value", ["", "12345", "0701234501000000120", "07012345010000001X"])
def test_validate_refuses_malformed_values(value: str) -> None:
    with pytest.raises(SsccError):
        validate_sscc(value)


def test_serials_from_the_station_store_survive_a_restart(tmp_path: Path) -> None:
    from packstation.station.store import StationStore

    first: list[str] = []
    with StationStore.open(tmp_path) as store:
        alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", store.next_sscc_serial)
        first = [alloc() for _ in range(5)]
    with StationStore.open(tmp_path) as store:
        alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", store.next_sscc_serial)
        second = [alloc() for _ in range(5)]
    both = first + second
    assert len(set(both)) == 10
    assert all(is_valid_sscc(code) for code in both)
    # The counter keeps rising after the reopen, so nothing handed out before comes back.
    assert int(second[0][10:17]) > int(first[-1][10:17])
