"""What happens when the station starts: store, connection, resume prompt, pending submits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from datetime import timedelta
from typing import TypeVar

from packstation.i18n import N_, _
from packstation.omnium.errors import Forbidden, OmniumError, Unauthorized
from packstation.packing.session import PackingSession
from packstation.packing.status_check import check_statuses
from packstation.station import booking_waits, follow_ups
from packstation.station.errors import StoreError
from packstation.station.progress import SubmitProgress
from packstation.station.store import open_store
from packstation.tui.alerts import submit_alert
from packstation.tui.booking_resume import resume_booking_waits
from packstation.tui.flow import after_resumed_submit, resume_owed_follow_ups, rules_for
from packstation.tui.screens.connection import ConnectionErrorScreen
from packstation.tui.screens.dispatch import DispatchScreen
from packstation.tui.screens.fatal import FatalScreen
from packstation.tui.screens.order import READY, OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.resume import ResumeScreen
from packstation.tui.screens.settings_refused import SettingsRefusedScreen
from packstation.tui.station import LocalBackend, Station
from packstation.tui.waiting import RequestCancelled
from packstation.warehouse import buffer

T = TypeVar("T")

QUEUE_DELAY = 0.3
"""Seconds after start before the queue of waiting orders is read."""


async def open_station_store(app: Station) -> bool:
    """Open the SQLite store off the event loop; a damaged file is set aside and reported."""
    if app.services.store is not None:
        return True
    try:
        retention = timedelta(days=app.settings.retention_days)
        store, set_aside = await app.in_thread(open_store, app.settings.data_dir, retention)
    except StoreError as err:
        await app.push_screen(FatalScreen(_("The station's store cannot be opened"), str(err)))
        return False
    app.services.store = store
    if set_aside is not None:
        app.notify(
            str(set_aside),
            title=_("Station store set aside"),
            severity="warning",
            timeout=30,
        )
    return True


async def start_warehouse(app: Station) -> None:
    """With warehouse_db: buffer what the station shares and publish it in a worker thread;
    without: buffer nothing (records still waiting stay for a start with it)."""
    settings = app.settings
    if not settings.warehouse_url:
        await app.in_thread(buffer.enable, app.store, settings.station_id, False)
        return
    # Deferred: psycopg and its pool take about 100 ms to import, only warehouse stations pay.
    from packstation.warehouse.service import Warehouse

    warehouse = await app.in_thread(
        Warehouse, settings.warehouse_url, app.store, settings.station_id
    )
    app.services.warehouse = warehouse
    warehouse.start()


async def ask_token_early(app: Station) -> None:
    """Ask for the token while the store opens; `connect` then finds it, or asks again and
    says why it failed."""
    with contextlib.suppress(OmniumError):
        await app.client.get_token()


CHECK_CANCELLED = N_("cancelled with Esc before Omnium answered")
"""The connection screen's reason when the packer cancelled a start-up check (shown with
`_()`)."""


async def start_up_check(app: Station, what: str, request: Awaitable[T]) -> T:
    """Await one start-up request; while it waits the order screen says what for, and Escape
    cancels it (RequestCancelled). Without this a back end that never answered left the
    station silent, scans waiting, until the request's deadline (35 s by default)."""
    order_screen = next((s for s in app.screen_stack if isinstance(s, OrderScreen)), None)
    # Only while starting: later (the sandbox restarted) the order screen keeps its message.
    shown = order_screen if not app.started.is_set() else None
    if shown is not None:
        shown.banner(_("Starting: {what}… Esc to cancel").format(what=what), "wait")
    try:
        return await app.startup_waiting.run(what, request)
    finally:
        if shown is not None:
            shown.banner(_(READY), "info")


async def connect(app: Station) -> None:
    """Ask for a token until Omnium answers; in between show the URL, the reason, a retry."""
    sandbox = app.services.sandbox_process
    url = app.client.base_url
    while True:
        try:
            connecting = _("connecting to Omnium at {url}").format(url=url)
            await start_up_check(app, connecting, app.client.get_token())
            return
        except RequestCancelled:
            await app.push_screen_wait(ConnectionErrorScreen(url, _(CHECK_CANCELLED)))
        except OmniumError as err:
            stopped = await app.in_thread(sandbox.failure, 1.0) if sandbox is not None else None
            reason = stopped or str(err)
            refused = stopped is None and isinstance(err, Unauthorized | Forbidden)
            await app.push_screen_wait(
                ConnectionErrorScreen(app.client.base_url, reason, credentials_refused=refused)
            )
            if sandbox is not None:
                await app.in_thread(sandbox.restart)


SETTINGS_HINT = N_(
    "Fix the setting in the settings file (packstation config path shows where; packstation "
    "config show shows what is in effect), or add the status to the order type in Omnium, "
    "then start the station again. Ctrl+Q quits."
)
"""Shown with `_()`."""


async def read_order_types(app: Station) -> bool:
    """Read Omnium's order types and check the configured statuses against them.

    Until they are read the connection screen shows why (F5 tries again). A status an order
    type lacks stops the station here: every submit of that type would be refused or, worse,
    run another workflow than the warehouse expects."""
    while True:
        try:
            order_types = await start_up_check(
                app, _("reading Omnium's order types"), app.client.order_types()
            )
            break
        except RequestCancelled:
            await app.push_screen_wait(
                ConnectionErrorScreen(
                    app.client.base_url,
                    _("order types: {reason}").format(reason=_(CHECK_CANCELLED)),
                )
            )
        except OmniumError as err:
            await app.push_screen_wait(
                ConnectionErrorScreen(
                    app.client.base_url,
                    _(
                        "cannot read Omnium's order types (GET /api/Settings/OrderTypes): {reason}"
                    ).format(reason=err),
                )
            )
    app.services.order_types = tuple(order_types)
    check = check_statuses(rules_for(app), order_types)
    for warning in check.warnings:
        app.notify(warning, title=_("Settings"), severity="warning", timeout=30)
    if check.problems:
        await app.push_screen(SettingsRefusedScreen(check.problems, _(SETTINGS_HINT)))
        return False
    return True


SANDBOX_CHECK_SECONDS = 1.0
"""How often the station looks whether its embedded sandbox still runs."""


async def restart_stopped_sandbox(app: Station) -> None:
    """The embedded sandbox died while the station ran: the connection screen, F5 restarts it.

    Without this every request failed until the station itself was restarted."""
    sandbox = app.services.sandbox_process
    if sandbox is None:
        return
    reason = sandbox.failure()
    while reason is not None:
        await app.push_screen_wait(ConnectionErrorScreen(app.client.base_url, reason))
        await app.in_thread(sandbox.restart)
        # A child that cannot start goes down within a moment: give it that moment.
        reason = await app.in_thread(sandbox.failure, 1.0)
    await connect(app)
    app.notify(_("The embedded sandbox was restarted"), title=_("Sandbox"))


class SandboxWatch:
    """Looks every second whether the embedded sandbox still runs, and restarts it if not."""

    def __init__(self, app: Station, sandbox: LocalBackend) -> None:
        self.app = app
        self.sandbox = sandbox
        self.restarting = False

    def check(self) -> None:
        """Start a restart when the child stopped (and none is under way)."""
        # failure() without a wait is one waitpid: cheap enough for the event loop.
        if self.restarting or self.sandbox.failure() is None:
            return
        self.restarting = True
        self.app.run_worker(self._restart(), group="sandbox", exit_on_error=False)

    async def _restart(self) -> None:
        try:
            await restart_stopped_sandbox(self.app)
        finally:
            self.restarting = False


def watch_sandbox(app: Station) -> None:
    """Watch the embedded sandbox's child while the station runs (nothing on a real Omnium)."""
    sandbox = app.services.sandbox_process
    if sandbox is not None:
        app.set_interval(SANDBOX_CHECK_SECONDS, SandboxWatch(app, sandbox).check)


async def offer_resume(app: Station) -> None:
    """An unfinished session comes back as it was, or is discarded after a confirmation."""
    unfinished = await app.in_thread(app.store.journal.unfinished_session)
    if unfinished is None:
        return
    choice = await app.push_screen_wait(ResumeScreen(unfinished))
    if choice == "discard":
        await app.in_thread(app.store.journal.discard, unfinished.session_id)
        app.notify(
            _("Order {order_id}: unfinished packing discarded").format(order_id=unfinished.order.id)
        )
        return
    session = PackingSession.replay(
        unfinished.order,
        rules_for(app),
        unfinished.events,
        shipment_id=unfinished.shipment_id,
    )
    if session.packer_id:
        app.set_packer(session.packer_id)
    await app.push_screen(PackScreen(session, unfinished.session_id))


async def resume_pending_submits(app: Station) -> None:
    """Finish submits a previous run left in the outbox, in the background."""

    def progress(_p: SubmitProgress) -> None:
        app.run_soon(app.refresh_pending)

    outcomes = await app.sender.resume_pending(on_progress=progress)
    for outcome in outcomes:
        if outcome.aborted or outcome.state == "failed":
            app.raise_alert(
                submit_alert(
                    outcome.order_id,
                    outcome.results,
                    aborted=outcome.aborted,
                    error=outcome.error,
                )
            )
    await app.refresh_pending()
    for outcome in outcomes:
        await after_resumed_submit(app, outcome)


async def run_startup(app: Station) -> None:
    """The whole start sequence; the order screen is already showing."""
    # Omnium's first answer is the longest wait of the start (on a first launch, the embedded
    # sandbox's child is still loading): the store opens while the token request waits.
    early_token = asyncio.create_task(ask_token_early(app))
    if not await open_station_store(app):
        early_token.cancel()
        return
    await start_warehouse(app)
    await app.refresh_pending()
    url = app.client.base_url
    try:
        connecting = _("connecting to Omnium at {url}").format(url=url)
        await start_up_check(app, connecting, early_token)
    except RequestCancelled:
        await app.push_screen_wait(ConnectionErrorScreen(url, _(CHECK_CANCELLED)))
    await connect(app)
    if not await read_order_types(app):
        return
    await offer_resume(app)
    # Read before the workers start: a pending submit they finish is theirs to follow up.
    owed = await app.in_thread(follow_ups.owed, app.store) if app.sender_enabled else []
    if owed:
        app.run_worker(resume_owed_follow_ups(app, owed), group="send", exit_on_error=False)
    # Only with something to resume: an empty outbox needs no sender worker.
    if app.sender_enabled and app.pending_submits > 0:
        app.run_worker(resume_pending_submits(app), group="send", exit_on_error=False)
    if app.sender_enabled and await app.in_thread(booking_waits.waiting, app.store):
        app.run_worker(resume_booking_waits(app), group="booking", exit_on_error=False)
    app.started.set()
    for screen in app.screen_stack:
        if isinstance(screen, OrderScreen):
            # A moment later: a packer who scans at once needs the CPU for that order; the
            # queue load then skips itself and runs when the order screen shows again.
            screen.set_timer(QUEUE_DELAY, screen.action_refresh_queue)
    app.set_timer(QUEUE_DELAY, app.warm_up)
    watch_sandbox(app)
    if app.services.dispatch:
        await app.push_screen(DispatchScreen())
