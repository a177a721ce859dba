"""How Omnium's JSON maps to pydantic models: the base models, casing and `null` handling.

Python attributes are snake_case; JSON is camelCase on output, and camelCase, PascalCase or
snake_case is accepted on input (house rule 1). Quantities and money are `Decimal` in Python
and JSON numbers on the wire. Order-side models (`OpenModel`) keep the fields they do not know,
so that an order read from Omnium and written back loses nothing.

Reading is defensive: wherever the contract allows `null` (and for a few identity fields it
marks nullable), a `null` or a missing field reads as the field's empty value (`[]`, `0`, `""`,
`False`), so no caller has to test for None. Requests are written with only the fields that
were given (`RequestModel`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    AliasGenerator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic.alias_generators import to_camel, to_pascal

MAX_ENTRIES = 250
"""The reference caps every list in a workflow request or result at 250 entries."""

UNSET_DATE = "0001-01-01T00:00:00"
"""How Omnium writes a non-nullable date that was never set."""


Quantity = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    # Omnium writes quantities and money as JSON decimal numbers (1.0, 2.5), never strings.
    # The builtin itself, not a Python function calling it: a large order has 70,000 of them.
    PlainSerializer(float, return_type=float, when_used="json"),
]
"""A quantity or an amount: `Decimal` in Python, a JSON number on the wire."""

NonNegativeQuantity = Annotated[Quantity, Field(ge=0)]


def null_as(empty: Any) -> BeforeValidator:
    """Read `null` as `empty` (a fresh copy for lists)."""
    return BeforeValidator(
        lambda value: (
            (list(empty) if isinstance(empty, list) else empty) if value is None else value
        )
    )


Amount = Annotated[Quantity, null_as(Decimal(0))]
"""A number Omnium always writes (`null` read as 0 all the same): quantities, prices, totals."""

Text = Annotated[str, null_as("")]
"""A string read with `null` as "" (ids the contract marks nullable but the station needs)."""

Flag = Annotated[bool, null_as(False)]
"""A boolean read with `null` as False."""

Date = Annotated[str, null_as(UNSET_DATE)]
"""A non-nullable date: `null` or missing reads as Omnium's unset date."""


def _validation_alias(name: str) -> AliasChoices:
    return AliasChoices(to_camel(name), to_pascal(name), name)


_ALIASES = AliasGenerator(validation_alias=_validation_alias, serialization_alias=to_camel)


class WireModel(BaseModel):
    """Base of every Omnium model: camelCase out, any casing in, strict about the rest."""

    model_config = ConfigDict(
        alias_generator=_ALIASES,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
    )

    def to_json_dict(self) -> dict[str, Any]:
        """The model as Omnium's JSON: camelCase, unset fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def dotnet_camel(name: str) -> str:
    """camelCase the way .NET's JSON naming policy does: `OrderId`->`orderId`, `EAN`->`ean`."""
    if not name[:1].isupper():
        return name
    chars = list(name)
    for i, char in enumerate(chars):
        if not char.isupper():
            break
        # In a run of capitals the last one starts the next word (`IDNumber` -> `idNumber`).
        if i > 0 and i + 1 < len(chars) and chars[i + 1].islower():
            break
        chars[i] = char.lower()
    return "".join(chars)


class OpenModel(WireModel):
    """An Omnium entity that keeps fields it does not model (a real order has over a hundred)."""

    model_config = ConfigDict(extra="allow")

    @model_validator(mode="before")
    @classmethod
    def _camel_case_keys(cls, data: Any) -> Any:
        # Unknown fields are written back as they were read; camelCase them on the way in so
        # an order sent in PascalCase (house rule 1) still comes out camelCase.
        if not isinstance(data, Mapping):
            return data
        try:
            # Fast path (this runs for every line of a 5,000-line order): the first letters of
            # all keys, joined, are all lowercase (or uncased) when no key is PascalCase.
            firsts = "".join([key[:1] for key in data])
        except TypeError:  # a key that is not a string
            firsts = "".join(key[:1] for key in data if isinstance(key, str))
        if firsts.islower() or not any(char.isupper() for char in firsts):
            return data
        renamed: dict[Any, Any] = {}
        for key, value in data.items():
            new = dotnet_camel(key) if isinstance(key, str) else key
            renamed[new if new == key or new not in data else key] = value
        return renamed


class RequestModel(WireModel):
    """A request body: only the fields that were given travel (never a `null` for "not set")."""

    def to_json_dict(self) -> dict[str, Any]:
        """The request as Omnium's JSON: camelCase, unset and None fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)
