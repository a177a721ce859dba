"""The station app: scanner capture, themes, and the screens' shared services.

Every key passes through `StationApp.on_event` before any widget sees it; completed scans go
into the scan queue (`tui/scan_queue.py`), whose single worker applies them in order to
whichever screen is current.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Input

from packstation.config import Settings
from packstation.i18n import N_, _, resolve_language, set_language
from packstation.omnium.client import OmniumClient
from packstation.packing import gs1
from packstation.packing.commands import BADGE_PREFIX
from packstation.station.retry_policy import RetryPolicy
from packstation.station.sender import SubmitSender
from packstation.station.store import StationStore
from packstation.station.supervisors import is_supervisor
from packstation.tui import textual_fixes
from packstation.tui.alerts import Alert
from packstation.tui.commands import (
    ActionsProvider,
    LanguagesProvider,
    StationPalette,
    ThemesProvider,
    translated_system_commands,
)
from packstation.tui.cues import CueKind, play, ring
from packstation.tui.flow import run_sender
from packstation.tui.scale import ScaleFeed, start_scale_feed
from packstation.tui.scan_queue import QueuedAction, ScanQueue
from packstation.tui.scanner import KeyOutcome, Scan, ScanCapture
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.quit import QuitScreen
from packstation.tui.screens.settings_refused import SettingsRefusedScreen
from packstation.tui.startup import run_startup
from packstation.tui.station import StationServices
from packstation.tui.themes import DEFAULT_THEME, ThemeSet, load_themes
from packstation.tui.tracker import SubmitTracker
from packstation.tui.waiting import Waiting
from packstation.tui.widgets import AlertStrip, StationBar

ACK_KEYS = frozenset({"escape", "enter"})
"""Keys that acknowledge an alert (as does any scan)."""


class StationApp(App[int]):
    """The packing station."""

    TITLE = "packstation"
    CSS_PATH = "station.tcss"
    COMMANDS = App.COMMANDS | {ActionsProvider, ThemesProvider, LanguagesProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", N_("Quit"), show=True, priority=True),
        Binding("ctrl+p", "command_palette", N_("Commands"), show=True, priority=True),
    ]

    def __init__(
        self,
        services: StationServices,
        *,
        theme_set: ThemeSet | None = None,
        sender_enabled: bool = True,
    ) -> None:
        textual_fixes.apply()
        super().__init__()
        self.services = services
        set_language(resolve_language(services.settings.language))
        self.theme_set = theme_set if theme_set is not None else load_themes()
        self.capture = ScanCapture()
        self.scans = ScanQueue(self)
        self.scan_context: str | None = None
        self.packer: str = ""
        self.sender_enabled = sender_enabled
        self._field_value_at_buffer_start: str | None = None
        self._typed_scheduled = False
        self.started = asyncio.Event()
        self.startup_waiting = Waiting()
        self.trackers: dict[int, SubmitTracker] = {}
        """Submits being sent from this process; each leaves when it finished."""
        self._sender: SubmitSender | None = None
        self.retry_policy: RetryPolicy | None = None
        self.pending_note = ""
        self.scale_feed: ScaleFeed | None = None
        self.alerts: list[Alert] = []
        """Background submits that ended badly, oldest first, until the packer acknowledges."""

    # --- settings and services ----------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The station's settings."""
        return self.services.settings

    @property
    def client(self) -> OmniumClient:
        """The Omnium client (the real one, also on the sandbox)."""
        return self.services.client

    @property
    def store(self) -> StationStore:
        """The station store (opened at start)."""
        assert self.services.store is not None, "store not open yet"
        return self.services.store

    @property
    def sender(self) -> SubmitSender:
        """The station's outbox sender (one per app, so submits go out in order)."""
        if self._sender is None:
            self._sender = SubmitSender(self.store, self.client, self.retry_policy or RetryPolicy())
        return self._sender

    def send_submit(self, tracker: SubmitTracker) -> None:
        """Send a submit in the background; it goes on when the packer moves to the next order."""
        self.run_worker(run_sender(self, tracker), group="send", exit_on_error=False)

    async def in_thread(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run blocking work (SQLite, files) off the event loop."""
        return await asyncio.to_thread(func, *args)

    # --- start ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The order screen is the bottom of the stack (no empty default screen under it)."""
        return OrderScreen()

    def on_mount(self) -> None:
        """Register themes, start taking scans, then connect in the background."""
        for theme in self.theme_set.themes.values():
            self.register_theme(theme)
        wanted = self.settings.theme
        self.theme = wanted if wanted in self.theme_set.themes else DEFAULT_THEME
        for problem in self.theme_set.problems:
            self.notify(problem, title=_("Theme file skipped"), severity="warning")
        self._consume_scans()
        self.startup()
        self.scale_feed = start_scale_feed(self)

    def on_unmount(self) -> None:
        """Stop reading the scale and publishing to the warehouse database."""
        if self.scale_feed is not None:
            self.scale_feed.stop()
        if self.services.warehouse is not None:
            self.services.warehouse.close()

    @work(exclusive=True, group="startup")
    async def startup(self) -> None:
        """Open the store, offer to resume, check Omnium answers, then resume pending submits."""
        await run_startup(self)

    def warm_up(self) -> None:
        """Load the GS1 parser in a background thread so the first item scan need not wait."""
        self.run_worker(gs1.warm_up, thread=True, group="warm-up", exit_on_error=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast, always as plain text: messages carry scans, names and server errors."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands (theme, quit, keys, screenshot), in the station's language."""
        return translated_system_commands(super().get_system_commands(screen))

    def action_help_quit(self) -> None:
        """Ctrl+C: say which key quits (Textual's hint, in the station's language and as plain
        text: its [b] markup showed as brackets in the station's plain-text toasts)."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                key = self.get_key_display(active.binding)
                self.notify(
                    _("Press {key} to quit the app").format(key=key),
                    title=_("Do you want to quit?"),
                )
                return

    async def switch_language(self, language: str) -> None:
        """Speak another language from now on: every screen of the stack shows it at once."""
        set_language(language)
        for screen in list(self.screen_stack):
            change = getattr(screen, "change_language", None)
            if change is not None:
                await change()
            else:
                screen.refresh()
        self.refresh_bindings()

    def action_command_palette(self) -> None:
        """The command palette (ctrl+p), in the station's variant that closes only once."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(StationPalette(id="--command-palette"))

    async def action_quit(self) -> None:
        """Quit; with submits still pending, ask first (ctrl+q again quits)."""
        if isinstance(self.screen, SettingsRefusedScreen):
            self.screen.action_quit_refused()  # exit status 2, the reasons left on the terminal
            return
        if isinstance(self.screen, QuitScreen) or self.pending_submits <= 0:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        self.bell()
        await self.push_screen(QuitScreen(self.pending_submits, self.pending_note), answered)

    # --- keys and scans -------------------------------------------------------------------

    def _secret_field_focused(self) -> bool:
        focused = self.focused
        return isinstance(focused, Input) and focused.password

    def _field_focused(self) -> bool:
        # Every text field of the station (and of the command palette) is an Input.
        return isinstance(self.focused, Input)

    async def on_event(self, event: events.Event) -> None:
        """See every key first: the scanner buffer decides what widgets get."""
        # A password field (the supervisor's PIN) is never a scanner's: its keys go straight to
        # it, so a PIN can never turn into a scan shown on screen.
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and not self._secret_field_focused()
        ):
            if self.alerts and not self.capture.buffer and event.key in ACK_KEYS:
                # A key by hand (not a scanner's Enter: the buffer is empty) acknowledges.
                event.stop()
                self.acknowledge_alert()
                return
            field_focused = self._field_focused()
            if field_focused and not self.capture.buffer and isinstance(self.focused, Input):
                self._field_value_at_buffer_start = self.focused.value
            outcome = self.capture.feed(
                event.key,
                event.character,
                field_focused=field_focused,
                typed_under=self.scan_context,
            )
            if outcome is KeyOutcome.SCAN:
                scan = self.capture.completed
                assert scan is not None
                if field_focused and isinstance(self.focused, Input):
                    # The scanner typed into the field too: put the field back as it was.
                    self.focused.value = self._field_value_at_buffer_start or ""
                self._show_typed()
                answer = getattr(self.screen, "answer_scan", None)
                if answer is not None and answer(scan.text):
                    # A question on screen (resume?) answered by a command barcode: the scan
                    # queue may be waiting for that very answer, so it is not queued.
                    return
                self.scans.put(scan)
                return
            if outcome is KeyOutcome.CONSUMED:
                self._show_typed()
                return
        await super().on_event(event)

    def _show_typed(self) -> None:
        # Coalesced: a burst of keys updates the bar once, after the keys already queued.
        if not self._typed_scheduled:
            self._typed_scheduled = True
            self.call_later(self._update_typed)

    def _update_typed(self) -> None:
        self._typed_scheduled = False
        for bar in self.screen.query(StationBar):
            bar.typed = self.capture.text

    def post_scan(self, text: str) -> None:
        """Queue a scan as if the scanner had typed it (palette entries, buttons, tests)."""
        self.capture.clear()
        self.scans.put(Scan(text=text, seq=-1, typed_under=self.scan_context))

    def post_action(self, run: Callable[[], Awaitable[None]], label: str = "action") -> None:
        """Queue a key/mouse action behind the scans already typed, so order is kept."""
        self.scans.put(QueuedAction(run, label))

    @work(exclusive=True, group="scans")
    async def _consume_scans(self) -> None:
        """Apply scans (and queued actions) one at a time, in the order they were typed."""
        await self.scans.run()

    async def dispatch_scan(self, scan: Scan) -> None:
        """Hand a scan to the current screen, or refuse it when that screen takes none."""
        await self.scans.dispatch(scan)

    async def wait_for_scans(self) -> None:
        """Wait until every queued scan has been applied (tests, benchmarks)."""
        await self.scans.wait_until_idle()

    @property
    def idle(self) -> bool:
        """True when no scan is queued or being applied."""
        return self.scans.idle

    @property
    def scans_applied(self) -> int:
        """How many scans have been applied since start."""
        return self.scans.applied

    # --- shared behaviour -----------------------------------------------------------------

    def set_packer(self, badge: str) -> None:
        """Remember who packs (the id of the last USER- badge)."""
        self.packer = badge.removeprefix(BADGE_PREFIX)
        self.refresh_bars()

    @property
    def packer_id(self) -> str:
        """The id sent as userId: the badge, or the station when no badge was scanned."""
        return self.packer or f"station-{self.settings.station_id}"

    def is_supervisor(self, badge: str) -> bool:
        """True when this badge id is listed as a supervisor in the settings."""
        return is_supervisor(badge, self.settings)

    def refresh_bars(self) -> None:
        """Bring every status bar up to date."""
        for screen in self.screen_stack:
            for bar in screen.query(StationBar):
                self.fill_bar(bar)

    def fill_bar(self, bar: Any) -> None:
        """Put the station's state into a status bar."""
        bar.sandbox = self.services.sandbox
        bar.where = _("{warehouse} · station {station_id}").format(
            warehouse=self.settings.warehouse, station_id=self.settings.station_id
        )
        bar.packer = self.packer
        bar.pending = self.pending_submits
        bar.note = self.pending_note
        bar.typed = self.capture.text
        bar.alerts = len(self.alerts)
        for strip in bar.screen.query(AlertStrip):
            strip.show_alert(self.alerts[0] if self.alerts else None, len(self.alerts))

    def raise_alert(self, alert: Alert) -> None:
        """Show an alert on every screen until acknowledged, with the aborted cue."""
        self.alerts.append(alert)
        self.cue("aborted")
        self.refresh_bars()

    def cue(self, kind: CueKind) -> None:
        """The event's bell pattern, and its sound command (started, never waited for)."""
        ring(kind, self.bell, self.set_timer)
        command = self.settings.cue_commands.get(kind)
        if command:
            self.run_worker(play(command), group="cues", exit_on_error=False)

    def showing_submit(self, tracker: SubmitTracker) -> bool:
        """True when the screen on top shows this submit (its outcome needs no alert)."""
        return getattr(self.screen, "tracker", None) is tracker

    def acknowledge_alert(self) -> None:
        """The packer saw the oldest alert: drop it, and show what waits now."""
        if self.alerts:
            alert = self.alerts.pop(0)
            base = self.screen_stack[0] if self.screen_stack else None
            if isinstance(base, OrderScreen):
                base.alert_acknowledged(alert.order_id)
        self.refresh_bars()
        self.refresh_queue_shown()

    pending_submits: int = 0

    def set_pending_note(self, note: str) -> None:
        """What the sender is waiting for (shown beside the pending count), or ""."""
        self.pending_note = note
        self.refresh_bars()

    def set_pending(self, count: int) -> None:
        """Update the pending submits count shown on every screen."""
        self.pending_submits = count
        self.refresh_bars()

    async def refresh_pending(self) -> None:
        """Re-read the pending submits count from the store."""
        if self.services.store is None:
            return
        count = await self.in_thread(self.store.outbox.pending_count)
        self.set_pending(int(count))

    async def back_to_orders(
        self, message: str = "", kind: str = "info", *, sending: str | None = None
    ) -> None:
        """Close everything above the order screen (the next order starts there)."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, OrderScreen):
            await self.pop_screen()
        self.scan_context = None
        if message and isinstance(self.screen, OrderScreen):
            self.screen.banner(message, kind, sending=sending)

    def background_send_ended(self, order_id: str, text: str, kind: str) -> None:
        """Replace the order screen's "still being sent" banner for this order, if shown."""
        base = self.screen_stack[0] if self.screen_stack else None
        if isinstance(base, OrderScreen):
            base.send_ended(order_id, text, kind)

    def refresh_queue_shown(self) -> None:
        """Re-read the queue if the order screen shows it (a submit just changed what waits)."""
        if isinstance(self.screen, OrderScreen):
            self.screen.action_refresh_queue()

    async def show_workflow(self, screen: Screen[Any]) -> None:
        """Show a submit's workflow screen in place of the order being packed."""
        await self.back_to_orders()
        await self.push_screen(screen)

    def run_soon(self, factory: Callable[[], Awaitable[None]]) -> None:
        """Run a coroutine as a worker (keeps the UI responsive)."""

        async def _runner() -> None:
            with contextlib.suppress(asyncio.CancelledError):
                await factory()

        self.run_worker(_runner(), exclusive=False)
