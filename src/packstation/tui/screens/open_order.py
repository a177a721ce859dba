"""What the review and package dialogs, and the scale, use of the pack screen."""

from __future__ import annotations

from typing import Protocol

from packstation.packing.outcome import Outcome
from packstation.packing.session import PackingSession
from packstation.tui.scanner import Scan
from packstation.tui.station import Station


class OpenOrder(Protocol):
    """The order being packed: its session, its last banner, and how it takes a change."""

    session: PackingSession
    last_banner: tuple[str, str]

    @property
    def station(self) -> Station:
        """The running station."""

    def banner(self, text: str, kind: str = "info") -> None:
        """Show the last scan's result."""

    async def handle_scan(self, scan: Scan) -> None:
        """Apply one scan to the order."""

    async def show_outcome(self, outcome: Outcome) -> Outcome:
        """Journal an outcome, then show it; the outcome as recorded."""
