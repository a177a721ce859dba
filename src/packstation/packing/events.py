"""The session's changes as small immutable events, and their JSON form for the journal."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, get_args

from packstation.packing.decisions import Decision


@dataclass(frozen=True)
class PackerSet:
    """The packer scanned a badge (or logged in): requests carry this user id."""

    TYPE: ClassVar[str] = "packer_set"
    user_id: str


@dataclass(frozen=True)
class ItemPacked:
    """Units of a line went into a package."""

    TYPE: ClassVar[str] = "item_packed"
    line_item_id: str
    units: Decimal
    package_no: int


@dataclass(frozen=True)
class ItemUnpacked:
    """Units of a line were taken out of a package."""

    TYPE: ClassVar[str] = "item_unpacked"
    line_item_id: str
    units: Decimal
    package_no: int


@dataclass(frozen=True)
class PackageOpened:
    """A new, empty package became the open one."""

    TYPE: ClassVar[str] = "package_opened"
    package_no: int


@dataclass(frozen=True)
class BoxChosen:
    """A box preset (and so its dimensions) was chosen for a package."""

    TYPE: ClassVar[str] = "box_chosen"
    package_no: int
    box: str
    length_cm: int
    width_cm: int
    height_cm: int


@dataclass(frozen=True)
class DimensionsSet:
    """A package's dimensions were typed or scanned (replaces any box)."""

    TYPE: ClassVar[str] = "dimensions_set"
    package_no: int
    length_cm: int
    width_cm: int
    height_cm: int


@dataclass(frozen=True)
class WeightSet:
    """A package's weight was typed or scanned."""

    TYPE: ClassVar[str] = "weight_set"
    package_no: int
    weight_kg: Decimal


@dataclass(frozen=True)
class DecisionSet:
    """The packer decided what happens to a line's unpacked rest."""

    TYPE: ClassVar[str] = "decision_set"
    line_item_id: str
    decision: Decision
    warehouse_code: str | None = None
    service_point_id: str | None = None


@dataclass(frozen=True)
class Undone:
    """The last change not yet undone was reversed."""

    TYPE: ClassVar[str] = "undone"


Event = (
    PackerSet
    | ItemPacked
    | ItemUnpacked
    | PackageOpened
    | BoxChosen
    | DimensionsSet
    | WeightSet
    | DecisionSet
    | Undone
)

# The union above is the one list of event types; the journal's type tags come from it.
EVENT_TYPES: dict[str, type[Event]] = {cls.TYPE: cls for cls in get_args(Event)}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as JSON-safe data: {"type": ..., fields...}; Decimals become strings."""
    data: dict[str, Any] = {"type": event.TYPE}
    for field in dataclasses.fields(event):
        value = getattr(event, field.name)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, Decision):
            value = value.value
        data[field.name] = value
    return data


def event_from_dict(data: dict[str, Any]) -> Event:
    """The event `event_to_dict` wrote; ValueError on unknown types or bad fields."""
    try:
        cls = EVENT_TYPES[data["type"]]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a packing event: {data!r}") from exc
    kwargs: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        if field.name not in data:
            if field.default is dataclasses.MISSING:
                raise ValueError(f"{cls.TYPE} event without {field.name}: {data!r}")
            continue
        kwargs[field.name] = _convert(cls.TYPE, field.name, field.type, data[field.name])
    return cls(**kwargs)


def _convert(kind: str, name: str, annotation: object, value: Any) -> Any:
    # Field annotations are strings under `from __future__ import annotations`.
    text = str(annotation)
    try:
        if text == "Decimal":
            if isinstance(value, float | bool):
                raise TypeError(value)
            result = Decimal(str(value))
            if not result.is_finite():
                raise ValueError(value)
            return result
        if text == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(value)
            return value
        if text == "Decision":
            return Decision(value)
        if text == "str":
            if not isinstance(value, str):
                raise TypeError(value)
            return value
        if text == "str | None":
            if value is not None and not isinstance(value, str):
                raise TypeError(value)
            return value
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ValueError(f"{kind} event: bad {name} {value!r}") from exc
    raise ValueError(f"{kind} event: unsupported field {name}")  # pragma: no cover
