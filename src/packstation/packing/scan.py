"""Scan interpretation: the raw text of one scan -> what it means for the current order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder
from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset
from packstation.packing.commands import (
    BADGE_PREFIX,
    BOX_PREFIX,
    COUNT_PREFIX,
    DESTINATION_PREFIX,
    MAX_KEYED_COUNT_DIGITS,
    Command,
)
from packstation.packing.gs1 import (
    GS,
    Gs1Data,
    has_valid_check_digit,
    looks_like_gs1,
    marked_as_gs1,
    metres_to_cm,
    parse_gs1,
)
from packstation.packing.gtin import normalise_gtin
from packstation.packing.index import LineIndex, code_key, line_gtins
from packstation.packing.rules import find_preset
from packstation.packing.symbology import MAX_SCAN_CHARS, shown, split_scan


class RejectKind(StrEnum):
    """Why a scan or an action was refused (the UI may colour or count them)."""

    UNKNOWN_BARCODE = "unknown_barcode"
    NOT_ON_ORDER = "not_on_order"
    NOT_IN_SHIPMENT = "not_in_shipment"
    LINE_COMPLETE = "line_complete"
    TOO_MANY = "too_many"
    BAD_WEIGHT = "bad_weight"
    BAD_DIMENSIONS = "bad_dimensions"
    UNKNOWN_BOX = "unknown_box"
    EMPTY_PACKAGE = "empty_package"
    NOTHING_LEFT = "nothing_left"
    NOTHING_TO_UNDO = "nothing_to_undo"
    NOT_READY = "not_ready"
    BAD_BADGE = "bad_badge"
    BAD_COUNT = "bad_count"
    BAD_EVENT = "bad_event"
    NOT_RECORDED = "not_recorded"
    """The change was rolled back: the station could not write it to its journal."""
    HELD = "held"
    """Not applied: typed after a scan that may belong to another order (see tui.stray)."""
    LINE_COMMAND_WAITING = "line_command_waiting"
    """Not applied: CMD-CANCEL-LINE / CMD-SPLIT-LINE waits for an item of its line."""
    COUNT_WAITING = "count_waiting"
    """Not applied: a keyed count waits for the item it counts."""
    BAD_DESTINATION = "bad_destination"
    """A split destination the station does not list."""
    ABORT_WAITING = "abort_waiting"
    """Not applied: the order waits for CMD-ABORT to be confirmed or dropped."""
    NOT_SIGNED_IN = "not_signed_in"
    """A badge the station's packers list does not hold, or no packer signed in."""


@dataclass(frozen=True)
class OrderIdScan:
    """An order id (with no order loaded, any scan that is not a command or badge)."""

    order_id: str


@dataclass(frozen=True)
class ItemScan:
    """Units of one line of the order; `code` is what was scanned, for messages."""

    line_item_id: str
    units: Decimal
    code: str


@dataclass(frozen=True)
class BoxScan:
    """`BOX-<preset>`: put the open package in this box."""

    preset: BoxPreset


@dataclass(frozen=True)
class WeightScan:
    """A GS1 weight (AI 330n gross, else 310n net) in kilograms."""

    kg: Decimal


@dataclass(frozen=True)
class DimensionsScan:
    """GS1 dimensions (AI 331n-333n) in whole centimetres, with a weight if one came along."""

    length_cm: int
    width_cm: int
    height_cm: int
    weight_kg: Decimal | None = None


@dataclass(frozen=True)
class BadgeScan:
    """`USER-<id>`: a packer's or supervisor's badge."""

    user_id: str


@dataclass(frozen=True)
class CountScan:
    """A keyed count (`12` + Enter, or `QTY-12`): the next item scan packs this many units."""

    units: int


@dataclass(frozen=True)
class DestinationScan:
    """`TO-<warehouse or pickup point>`: where the line just split goes."""

    code: str


@dataclass(frozen=True)
class CommandScan:
    """A command barcode from the command sheet."""

    command: Command


@dataclass(frozen=True)
class Rejected:
    """A scan or action that changes nothing, with the reason shown to the packer."""

    reason: str
    kind: RejectKind
    line_item_id: str | None = None


ScanResult = (
    OrderIdScan
    | ItemScan
    | BoxScan
    | WeightScan
    | DimensionsScan
    | BadgeScan
    | CommandScan
    | CountScan
    | DestinationScan
    | Rejected
)

Remaining = Callable[[str], Decimal]


def interpret(
    raw: str,
    order: OmniumOrder | None,
    index: LineIndex | None,
    *,
    presets: Sequence[BoxPreset] = DEFAULT_BOX_PRESETS,
    remaining: Remaining | None = None,
    case_sizes: Mapping[str, int] | None = None,
) -> ScanResult:
    """What one scan means: command, box, badge, order id, item, weight, dimensions, count,
    split destination or a refusal.

    `remaining(line_item_id)` (units still to pack) picks among lines sharing a code;
    `case_sizes` (case GTIN-14 -> units) lets a bare case GTIN count as its case.
    """
    symbology, body = split_scan(raw)
    if len(body) > MAX_SCAN_CHARS:
        return Rejected(
            _("Scan too long (over {count} characters): {scan}").format(
                count=MAX_SCAN_CHARS, scan=shown(body)
            ),
            RejectKind.UNKNOWN_BARCODE,
        )
    if not body:
        return Rejected(_("Empty scan"), RejectKind.UNKNOWN_BARCODE)
    upper = body.upper()
    if upper in _COMMANDS:
        return CommandScan(_COMMANDS[upper])
    if upper.startswith(BOX_PREFIX):
        return _box(body[len(BOX_PREFIX) :], presets)
    if upper.startswith(BADGE_PREFIX):
        user_id = body[len(BADGE_PREFIX) :].strip()
        if not user_id or GS in user_id:
            return Rejected(_("Badge without a user id"), RejectKind.BAD_BADGE)
        return BadgeScan(user_id)
    if upper.startswith(COUNT_PREFIX):
        return _count(body[len(COUNT_PREFIX) :], body)
    if upper.startswith(DESTINATION_PREFIX) and order is not None:
        return DestinationScan(body[len(DESTINATION_PREFIX) :].strip())
    if order is None or index is None:
        if GS in body:
            return Rejected(_("Scan an order first"), RejectKind.NOT_READY)
        return OrderIdScan(body)
    gtin: str | None = None
    if looks_like_gs1(body, symbology):
        data = parse_gs1(body)
        if data is not None:
            if data.gtin is None:
                return _measure(data)
            gtin = normalise_gtin(data.gtin)
            units = 1 if data.count is None else data.count
            if units <= 0:
                return Rejected(
                    _("Count {count} in {scan} is not a number of units").format(
                        count=data.count, scan=shown(body)
                    ),
                    RejectKind.BAD_COUNT,
                )
            return _item(index, gtin, None, body, Decimal(units), remaining)
    if _keyed_count(body) and code_key(body) not in index.by_code:
        # 1-4 digits are no GTIN (8-14): a count keyed for the next item.
        return CountScan(int(body))
    gtin = normalise_gtin(body)
    result = _item(index, gtin, body, body, Decimal(1), remaining)
    if isinstance(result, ItemScan) and _bare_case_of_units(index, body, result.line_item_id):
        size = (case_sizes or {}).get(gtin or "")
        if size is not None:
            return ItemScan(result.line_item_id, Decimal(size), body)
        # A case's own GTIN-14 carries no count: packing 1 would send the wrong quantity.
        return Rejected(
            _("{scan} is a case of {line}: scan the case's GS1 label or key the count").format(
                scan=shown(body), line=index.label(result.line_item_id)
            ),
            RejectKind.BAD_COUNT,
            line_item_id=result.line_item_id,
        )
    unknown = isinstance(result, Rejected) and result.kind is RejectKind.UNKNOWN_BARCODE
    if unknown and marked_as_gs1(body, symbology):
        # Marked as GS1, yet neither GS1 nor a code this order knows: a misread.
        return Rejected(
            _("Not a readable GS1 code, scan it again: {scan}").format(scan=shown(body)),
            RejectKind.UNKNOWN_BARCODE,
        )
    return result


_COMMANDS = {c.value: c for c in Command}


def _keyed_count(body: str) -> bool:
    text = body.strip()
    return text.isascii() and text.isdigit() and len(text) <= MAX_KEYED_COUNT_DIGITS


def _count(number: str, body: str) -> ScanResult:
    text = number.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_KEYED_COUNT_DIGITS:
        return Rejected(
            _("{scan}: not a count (1 to 9999)").format(scan=shown(body)), RejectKind.BAD_COUNT
        )
    if int(text) <= 0:
        return Rejected(
            _("{scan}: a count must be above 0").format(scan=shown(body)), RejectKind.BAD_COUNT
        )
    return CountScan(int(text))


def _box(name: str, presets: Sequence[BoxPreset]) -> ScanResult:
    preset = find_preset(presets, name)
    if preset is None:
        known = ", ".join(p.name for p in presets)
        return Rejected(
            _("Unknown box '{box}' (known: {known})").format(box=shown(name), known=known),
            RejectKind.UNKNOWN_BOX,
        )
    return BoxScan(preset)


def _measure(data: Gs1Data) -> ScanResult:
    if data.has_dimensions:
        if data.length_m is None or data.width_m is None or data.height_m is None:
            return Rejected(
                _("Dimension scan needs length, width and height"), RejectKind.BAD_DIMENSIONS
            )
        return DimensionsScan(
            metres_to_cm(data.length_m),
            metres_to_cm(data.width_m),
            metres_to_cm(data.height_m),
            data.weight_kg,
        )
    assert data.weight_kg is not None  # parse_gs1 returns None when nothing is usable
    return WeightScan(data.weight_kg)


def _item(
    index: LineIndex,
    gtin: str | None,
    code: str | None,
    body: str,
    units: Decimal,
    remaining: Remaining | None,
) -> ScanResult:
    ids: tuple[str, ...] = ()
    if gtin is not None:
        ids = index.by_gtin.get(gtin, ())
    if not ids and code is not None:
        ids = index.by_code.get(code_key(code), ())
    if ids:
        return ItemScan(_pick(ids, units, remaining), units, body)
    if (gtin is not None and gtin in index.elsewhere_gtin) or (
        code is not None and code_key(code) in index.elsewhere_code
    ):
        return Rejected(
            _("Item {scan} is on order {order_id} but not in this station's shipment").format(
                scan=shown(body), order_id=index.order_id
            ),
            RejectKind.NOT_IN_SHIPMENT,
        )
    if code is not None and code.strip() == index.order_id:
        return OrderIdScan(index.order_id)
    if gtin is not None and has_valid_check_digit(gtin):
        return Rejected(
            _("Item {scan} is not on order {order_id}").format(
                scan=shown(body), order_id=index.order_id
            ),
            RejectKind.NOT_ON_ORDER,
        )
    return Rejected(
        _("Unknown barcode {scan}").format(scan=shown(body)), RejectKind.UNKNOWN_BARCODE
    )


def _bare_case_of_units(index: LineIndex, body: str, line_item_id: str) -> bool:
    """True for a bare GTIN-14 of a packaging level (indicator 1-8) of a line sold in units."""
    code = body.strip()
    if len(code) != 14 or code[0] not in "12345678":
        return False
    line = index.lines.get(line_item_id)
    # A line known only by its case GTIN is sold by the case: one scan is one unit of it.
    return line is not None and any(g[0] == "0" for g in line_gtins(line))


def _pick(ids: tuple[str, ...], units: Decimal, remaining: Remaining | None) -> str:
    # First line that can take all the units, else the first still needing some, else the first.
    if remaining is None or len(ids) == 1:
        return ids[0]
    left = [(lid, remaining(lid)) for lid in ids]
    for lid, rest in left:
        if rest >= units:
            return lid
    for lid, rest in left:
        if rest > 0:
            return lid
    return ids[0]
