"""The scan queue: scans, and the actions that must keep their place among them, applied in order.

Completed scans go into one queue that a single worker applies, one at a time, to whichever
screen is current. A screen handles a scan with `async handle_scan(scan)` (a burst of item
scans: `handle_scans(batch)`); while it awaits (a request, a journal write, a screen change)
later scans wait in the queue, so each applies to the order it was typed for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from textual import Logger
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from packstation.i18n import _
from packstation.packing.symbology import scan_body
from packstation.tui.alerts import Alert
from packstation.tui.scanner import Scan

MAX_BATCH = 256
"""At most this many waiting scans are applied together."""


def batchable(scan: Scan) -> bool:
    """Plain item scans may be applied together; commands and badges go one by one."""
    head = scan_body(scan.text).upper()
    return not head.startswith(("CMD-", "USER-"))


class ScanTarget(Protocol):
    """A screen that takes scans."""

    async def handle_scan(self, scan: Scan) -> None:
        """Apply one scan."""


@dataclass(frozen=True)
class QueuedAction:
    """A keyboard or mouse action that must apply in order with the scans around it."""

    run: Callable[[], Awaitable[None]]
    label: str = "action"


class QueueHost(Protocol):
    """What the queue uses of the app: its screens, its alerts, and the packer's attention."""

    started: asyncio.Event
    alerts: list[Alert]

    @property
    def screen(self) -> Screen[Any]:
        """The screen on top."""

    @property
    def screen_stack(self) -> list[Screen[Any]]:
        """The screens, bottom first."""

    @property
    def log(self) -> Logger:
        """Textual's log."""

    def acknowledge_alert(self) -> None:
        """The packer saw the oldest alert."""

    def bell(self) -> None:
        """Ring the terminal bell."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a toast."""


class ScanQueue:
    """The station's one queue of scans and actions, and the loop that applies them."""

    def __init__(self, host: QueueHost) -> None:
        self._host = host
        self._items: asyncio.Queue[Scan | QueuedAction] = asyncio.Queue()
        self._idle = asyncio.Event()
        self._idle.set()
        self._applied = 0

    def put(self, item: Scan | QueuedAction) -> None:
        """Queue a scan or an action behind those already waiting."""
        self._idle.clear()
        self._items.put_nowait(item)

    def empty(self) -> bool:
        """True when nothing waits (one item may still be being applied)."""
        return self._items.empty()

    @property
    def idle(self) -> bool:
        """True when no scan is queued or being applied."""
        return self._idle.is_set() and self._items.empty()

    @property
    def applied(self) -> int:
        """How many scans have been applied since start."""
        return self._applied

    async def wait_until_idle(self) -> None:
        """Wait until every queued scan has been applied."""
        while not self._items.empty() or not self._idle.is_set():
            await self._idle.wait()
            await asyncio.sleep(0)

    async def run(self) -> None:
        """Apply scans (and queued actions) one at a time, in the order they were typed."""
        carry: Scan | QueuedAction | None = None
        # Scans typed while the station starts wait here until the store and Omnium are ready.
        await self._host.started.wait()
        while True:
            item = carry if carry is not None else await self._items.get()
            # Applied in its own call: what it touched (the screen that took the scan, with its
            # order) is let go when it returns, not held here until the next scan comes.
            carry = await self._apply_next(item)
            del item

    async def _apply_next(self, item: Scan | QueuedAction) -> Scan | QueuedAction | None:
        """Apply one scan or action, or a burst of item scans; return a scan taken too early."""
        host = self._host
        carry: Scan | QueuedAction | None = None
        batch: list[Scan] = []
        try:
            await self._scans_taken()
            if isinstance(item, Scan) and host.alerts:
                # The scan acknowledges the alert; it is not applied (the packer looked up).
                host.acknowledge_alert()
                return None
            if isinstance(item, QueuedAction):
                await item.run()
                return None
            batch = [item]
            target = self.target()
            if hasattr(target, "handle_scans") and batchable(item):
                # A burst already waiting: apply it together (one journal commit, one
                # redraw). Only plain item scans join; commands wait for the next round.
                while not self._items.empty() and len(batch) < MAX_BATCH:
                    follower = self._items.get_nowait()
                    if isinstance(follower, Scan) and batchable(follower):
                        batch.append(follower)
                    else:
                        carry = follower
                        break
            if len(batch) > 1:
                await target.handle_scans(batch)  # type: ignore[union-attr]
            else:
                await self.dispatch(item)
        except Exception as err:  # one bad scan must not stop the scanner
            what = item.label if isinstance(item, QueuedAction) else repr(item.text)
            host.log.error(f"{what} failed: {err!r}")
            host.bell()
            failed = _("{what} failed: {reason}").format(what=what, reason=err)
            host.notify(failed, severity="error")
        finally:
            self._applied += max(1, len(batch))
            if self._items.empty() and carry is None:
                self._idle.set()
        return carry

    def _scans_wait(self) -> bool:
        # A question (resume? retry? a dialog's fields) or the command palette is open: what
        # was typed waits for it to close. The palette would otherwise be popped from under
        # its own dismiss when a scan changes screens (a crash).
        screen = self._host.screen
        return bool(getattr(screen, "HOLDS_SCANS", False)) or isinstance(screen, CommandPalette)

    async def _scans_taken(self) -> None:
        """Wait until the screen on top takes scans and actions again."""
        while self._scans_wait():  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    async def dispatch(self, scan: Scan) -> None:
        """Hand a scan to the current screen, or refuse it when that screen takes none."""
        await self._scans_taken()
        target = self.target()
        if target is None:
            self._host.bell()
            self._host.notify(
                _("Scan {scan} ignored here").format(scan=repr(scan.text)), severity="warning"
            )
            return
        await target.handle_scan(scan)

    def target(self) -> ScanTarget | None:
        """The topmost screen that takes scans, or None when a screen above it blocks them."""
        for screen in reversed(self._host.screen_stack):
            if getattr(screen, "handle_scan", None) is not None:
                return cast("ScanTarget", screen)
            if getattr(screen, "BLOCKS_SCANS", False):
                return None
        return None
