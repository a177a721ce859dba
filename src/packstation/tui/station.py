"""What the screens, the flow and start-up use of the running station: the `Station` protocol.

`StationApp` provides it. The modules that drive screens and submits take a `Station` (a
screen gets it as `self.station`), so none of them imports the app; the app imports them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.worker import Worker

from packstation.config import Settings
from packstation.omnium.client import OmniumClient
from packstation.omnium.order_types import OrderType
from packstation.station.sender import SubmitSender
from packstation.station.store import StationStore
from packstation.tui.alerts import Alert
from packstation.tui.cues import CueKind
from packstation.tui.scan_queue import QueueHost, ScanQueue
from packstation.tui.scanner import Scan
from packstation.tui.themes import ThemeSet
from packstation.tui.tracker import SubmitTracker
from packstation.tui.waiting import Waiting

if TYPE_CHECKING:
    # Only for the annotation: psycopg loads only on stations with warehouse_db.
    from packstation.warehouse.service import Warehouse


class LocalBackend(Protocol):
    """A back end the station started itself (the embedded sandbox's child process)."""

    def failure(self, wait: float = 0.0) -> str | None:
        """Why it stopped, or None while it runs."""

    def restart(self) -> None:
        """Start it again after it stopped."""


@dataclass
class StationServices:
    """What the app talks to: settings, the Omnium client and the station store."""

    settings: Settings
    client: OmniumClient
    store: StationStore | None = None
    sandbox: bool = False
    sandbox_process: LocalBackend | None = None
    """The embedded sandbox's child process, when the station started one."""
    warehouse: Warehouse | None = None
    """The warehouse database's pool, publisher and serial blocks, when warehouse_db is set."""
    order_types: tuple[OrderType, ...] = ()
    """Omnium's order types with their statuses and steps, read at start."""
    dispatch: bool = False
    """Started with `--dispatch`: the dispatch screen opens at start."""


class Station(QueueHost, Protocol):
    """The running station as its screens and steps see it (the app's services and UI).

    It extends what the scan queue uses of the app (`QueueHost`: screens, alerts, toasts,
    bell), so those are declared once.
    """

    services: StationServices
    theme_set: ThemeSet
    packer: str
    scan_context: str | None
    """The order scans are typed under (None outside an order)."""
    sender_enabled: bool
    startup_waiting: Waiting
    """The start-up check's request while it waits (Escape on the order screen cancels it)."""
    trackers: dict[int, SubmitTracker]
    pending_submits: int
    """Background submits that ended badly, not yet acknowledged."""

    @property
    def settings(self) -> Settings:
        """The station's settings."""

    @property
    def client(self) -> OmniumClient:
        """The Omnium client."""

    @property
    def store(self) -> StationStore:
        """The station store (opened at start)."""

    @property
    def sender(self) -> SubmitSender:
        """The station's outbox sender."""

    @property
    def packer_id(self) -> str:
        """The id sent as userId."""

    @property
    def scale_feed(self) -> object | None:
        """The scale's feed (tui.scale.ScaleFeed) when a scale is configured, else None."""

    scans: ScanQueue
    """The queue of scans and actions waiting to be applied."""

    @property
    def idle(self) -> bool:
        """True when no scan is queued or being applied."""

    async def in_thread(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run blocking work (SQLite, files) off the event loop."""

    async def refresh_pending(self) -> None:
        """Re-read the pending submits count from the store."""

    def set_pending_note(self, note: str) -> None:
        """What the sender is waiting for, or ""."""

    def set_packer(self, badge: str) -> None:
        """Remember who packs."""

    def is_supervisor(self, badge: str) -> bool:
        """True when this badge id is a supervisor's."""

    def send_submit(self, tracker: SubmitTracker) -> None:
        """Send a submit in the background."""

    def cue(self, kind: CueKind) -> None:
        """Ring the event's cue: accepted, refused or aborted."""

    def raise_alert(self, alert: Alert) -> None:
        """Show an alert on every screen until acknowledged."""

    def showing_submit(self, tracker: SubmitTracker) -> bool:
        """True when the screen on top shows this submit (its outcome needs no alert)."""

    def fill_bar(self, bar: Any) -> None:
        """Put the station's state into a status bar."""

    def post_scan(self, text: str) -> None:
        """Queue a scan as if the scanner had typed it."""

    def post_action(self, run: Callable[[], Awaitable[None]], label: str = "action") -> None:
        """Queue a key/mouse action behind the scans already typed."""

    async def dispatch_scan(self, scan: Scan) -> None:
        """Hand a scan to the current screen."""

    async def wait_for_scans(self) -> None:
        """Wait until every queued scan has been applied."""

    async def back_to_orders(
        self, message: str = "", kind: str = "info", *, sending: str | None = None
    ) -> None:
        """Close everything above the order screen (`sending`: the message reports that
        order's background send)."""

    def background_send_ended(self, order_id: str, text: str, kind: str) -> None:
        """Replace the order screen's "still being sent" banner for this order, if shown."""

    def refresh_queue_shown(self) -> None:
        """Re-read the queue if the order screen shows it."""

    async def show_workflow(self, screen: Screen[Any]) -> None:
        """Show a submit's workflow screen in place of the order being packed."""

    def run_soon(self, factory: Callable[[], Awaitable[None]]) -> None:
        """Run a coroutine as a worker."""

    def warm_up(self) -> None:
        """Load the GS1 parser in the background."""

    async def switch_language(self, language: str) -> None:
        """Speak another language from now on, on every screen at once."""

    # Textual's App: the parts used through the station.

    def push_screen(self, screen: Screen[Any]) -> AwaitMount:
        """Show a screen on top."""

    async def push_screen_wait(self, screen: Screen[Any]) -> Any:
        """Show a screen on top and wait for its answer."""

    def run_worker(
        self, work: Any, *, group: str = "default", exit_on_error: bool = True
    ) -> Worker[Any]:
        """Run a coroutine as a worker."""

    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None) -> Timer:
        """Call `callback` after `delay` seconds."""

    def set_interval(self, interval: float, callback: Callable[[], Any] | None = None) -> Timer:
        """Call `callback` every `interval` seconds."""
