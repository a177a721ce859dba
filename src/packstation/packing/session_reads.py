"""What the event checks and the event sentences read from a packing session."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Protocol

from packstation.omnium.models import OmniumOrder
from packstation.packing.events import Event
from packstation.packing.index import LineIndex
from packstation.packing.rules import PackingRules


class SessionReads(Protocol):
    """The read side of `PackingSession` that checking and describing an event need."""

    @property
    def order(self) -> OmniumOrder: ...

    @property
    def rules(self) -> PackingRules: ...

    @property
    def index(self) -> LineIndex: ...

    @property
    def events(self) -> tuple[Event, ...]: ...

    @property
    def open_package_no(self) -> int: ...

    @property
    def can_undo(self) -> bool: ...

    def remaining(self, line_item_id: str) -> Decimal: ...

    def packed(self, line_item_id: str) -> Decimal: ...

    def units_packable(self, line_item_id: str) -> Decimal: ...

    def package_contents(self, package_no: int) -> Mapping[str, Decimal]: ...
