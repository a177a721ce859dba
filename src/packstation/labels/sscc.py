"""SSCC-18 numbers for packages: extension digit, company prefix, station serial, check digit.

The serial reference is the station id followed by a zero-padded counter, so two stations
that share a company prefix never allocate the same number. The counter comes from a caller-
supplied source (the station's store), which keeps this module free of any storage. With a
warehouse database the serial reference is a warehouse-wide serial instead (see
WarehouseSsccAllocator), and station ids no longer matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from packstation.labels.errors import LabelError
from packstation.packing.gs1 import sscc_problem

SSCC_LENGTH = 18
"""Digits in an SSCC, check digit included."""

DEMO_COMPANY_PREFIX = "7012345"
"""The demo GS1 company prefix the sandbox and tests use. Not assigned to anyone: replace it
with your own GS1 company prefix before labels leave the building."""

SSCC_AI = "00"
"""The GS1 application identifier of an SSCC."""

WAREHOUSE_EXTENSION_DIGIT = 1
"""The extension digit of SSCCs numbered by the warehouse database. GS1 leaves the extension
digit to the company to widen its serial space: station-numbered SSCCs (station id + counter)
carry 0, warehouse-numbered ones 1, so the two numberings can never meet."""


_PREFIX_RE = re.compile(r"^[0-9]{6,12}$")
_STATION_RE = re.compile(r"^[0-9]{2}$")


class SsccError(LabelError):
    """An SSCC cannot be made or is not valid; the message is one line for the packer."""


class SsccExhausted(SsccError):
    """The station's counter has outgrown the serial space left by the company prefix."""


def gs1_check_digit(digits: str) -> int:
    """The GS1 mod-10 check digit of a digit string (weights 3,1,3,... from the right)."""
    if not digits.isdigit():
        raise SsccError(f"not all digits: {digits!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def counter_digits(company_prefix: str) -> int:
    """How many counter digits remain after extension, prefix, station id and check digit."""
    return SSCC_LENGTH - 2 - len(company_prefix) - 2


def make_sscc(extension_digit: int, company_prefix: str, serial_reference: str) -> str:
    """Assemble an SSCC-18 from its parts and append the check digit."""
    if not 0 <= extension_digit <= 9:
        raise SsccError(f"extension digit must be 0-9, not {extension_digit}")
    if not _PREFIX_RE.match(company_prefix):
        raise SsccError(f"GS1 company prefix must be 6 to 12 digits, not {company_prefix!r}")
    body = f"{extension_digit}{company_prefix}{serial_reference}"
    if len(body) != SSCC_LENGTH - 1 or not body.isdigit():
        raise SsccError(
            f"serial reference {serial_reference!r} must be {SSCC_LENGTH - 2 - len(company_prefix)}"
            " digits for this company prefix"
        )
    return f"{body}{gs1_check_digit(body)}"


def validate_sscc(value: str) -> str:
    """Return `value` if it is a valid SSCC-18 (checked by biip), else raise SsccError."""
    if len(value) != SSCC_LENGTH or not value.isdigit():
        raise SsccError(f"an SSCC is {SSCC_LENGTH} digits, not {value!r}")
    problem = sscc_problem(value)
    if problem is not None:
        raise SsccError(problem)
    return value


def is_valid_sscc(value: str) -> bool:
    """True when `value` is a valid SSCC-18."""
    try:
        validate_sscc(value)
    except SsccError:
        return False
    return True


def in_station_range(value: str, company_prefix: str, station_id: str) -> bool:
    """True when `value` is an SSCC whose serial reference is this station's (any extension but
    the warehouse's: those serials carry no station id)."""
    if not is_valid_sscc(value) or value[0] == str(WAREHOUSE_EXTENSION_DIGIT):
        return False
    start = 1 + len(company_prefix)
    return value[1:start] == company_prefix and value[start : start + 2] == station_id


def format_sscc(value: str, company_prefix: str | None = None) -> str:
    """The SSCC grouped for people: `3 7012345 010000001 8` (prefix length as given)."""
    validate_sscc(value)
    split = 1 + (len(company_prefix) if company_prefix else 7)
    return f"{value[0]} {value[1:split]} {value[split:-1]} {value[-1]}"


def gs1_element_string(sscc: str) -> str:
    """The GS1 element string `00` + SSCC, as carried in the barcode after FNC1."""
    return SSCC_AI + validate_sscc(sscc)


class SsccAllocator:
    """Allocates SSCCs for one station from a never-reusing serial source.

    `next_serial` is typically `StationStore.next_sscc_serial`; each call must return a
    counter value never returned before (the store guarantees this across restarts).
    The instance is callable, so it can be passed wherever an `sscc()` callable is expected.
    """

    def __init__(
        self,
        company_prefix: str,
        station_id: str,
        next_serial: Callable[[], int],
        *,
        extension_digit: int = 0,
    ) -> None:
        if not _PREFIX_RE.match(company_prefix):
            raise SsccError(f"GS1 company prefix must be 6 to 12 digits, not {company_prefix!r}")
        if not _STATION_RE.match(station_id):
            raise SsccError(f"station id must be two digits, not {station_id!r}")
        if not 0 <= extension_digit <= 9:
            raise SsccError(f"extension digit must be 0-9, not {extension_digit}")
        self.company_prefix = company_prefix
        self.station_id = station_id
        self.extension_digit = extension_digit
        self._next_serial = next_serial
        self._digits = counter_digits(company_prefix)

    @property
    def capacity(self) -> int:
        """The largest counter value this station can turn into an SSCC."""
        return int(10**self._digits) - 1

    def sscc_for(self, counter: int) -> str:
        """The SSCC for a given counter value (no allocation)."""
        if counter < 0:
            raise SsccError(f"serial counter must not be negative, got {counter}")
        if counter > self.capacity:
            raise SsccExhausted(
                f"SSCC serials exhausted for station {self.station_id}: counter {counter} does "
                f"not fit in {self._digits} digits after company prefix {self.company_prefix}"
            )
        serial_reference = f"{self.station_id}{counter:0{self._digits}d}"
        return make_sscc(self.extension_digit, self.company_prefix, serial_reference)

    def allocate(self) -> str:
        """Take the next serial from the source and return its SSCC."""
        return self.sscc_for(self._next_serial())

    def __call__(self) -> str:
        """Same as `allocate()`."""
        return self.allocate()


class WarehouseSsccAllocator:
    """Allocates SSCCs whose whole serial reference is a warehouse-wide serial (no station id):
    unique across stations because the warehouse database hands each serial out once."""

    def __init__(
        self,
        company_prefix: str,
        next_serial: Callable[[], int],
        *,
        extension_digit: int = WAREHOUSE_EXTENSION_DIGIT,
    ) -> None:
        if not _PREFIX_RE.match(company_prefix):
            raise SsccError(f"GS1 company prefix must be 6 to 12 digits, not {company_prefix!r}")
        self.company_prefix = company_prefix
        self.extension_digit = extension_digit
        self._next_serial = next_serial
        self._digits = SSCC_LENGTH - 2 - len(company_prefix)

    @property
    def capacity(self) -> int:
        """The largest serial that fits the serial reference."""
        return int(10**self._digits) - 1

    def sscc_for(self, serial: int) -> str:
        """The SSCC of a warehouse serial (no allocation)."""
        if not 0 < serial <= self.capacity:
            raise SsccExhausted(
                f"warehouse SSCC serial {serial} does not fit in {self._digits} digits after "
                f"company prefix {self.company_prefix}"
            )
        return make_sscc(self.extension_digit, self.company_prefix, f"{serial:0{self._digits}d}")

    def allocate(self) -> str:
        """Take the next serial from the source and return its SSCC."""
        return self.sscc_for(self._next_serial())

    def __call__(self) -> str:
        """Same as `allocate()`."""
        return self.allocate()
