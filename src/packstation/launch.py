"""Start the station app: settings, the embedded sandbox when no Omnium is set, the client."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

# Both sides need the Omnium models: loaded here, before the fork, the sandbox child has them.
import packstation.omnium.models
import packstation.omnium.workflow  # noqa: F401
from packstation.config import Settings, load_settings
from packstation.i18n import _, resolve_language, set_language
from packstation.sandbox import process
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.station.data_dir import DataDirError, claim_data_dir

if TYPE_CHECKING:
    # Annotations only: Textual loads after the fork (see station_app).
    from packstation.tui.app import StationApp


class LaunchError(Exception):
    """The station cannot start (one line for the terminal)."""


def _start_embedded_sandbox(
    settings: Settings,
) -> tuple[str, Callable[[], None], process.SandboxProcess | None]:
    """Start the embedded sandbox: (its URL, how to stop it, its child process if any)."""
    data_dir = settings.data_dir / "sandbox"
    if process.CAN_PASS_SOCKETS:
        child = process.SandboxProcess(
            data_dir,
            host=settings.sandbox_host,
            port=settings.sandbox_port,
            lenient=settings.sandbox_lenient,
        )
        child.start()
        return child.url, child.stop, child
    # Windows cannot hand a listening socket to a child: serve from a thread of the station.
    # Deferred: FastAPI and uvicorn take ~0.5 s to import; elsewhere only the child loads them.
    from packstation.sandbox.server import SandboxServer

    server = SandboxServer(
        data_dir,
        host=settings.sandbox_host,
        port=settings.sandbox_port,
        lenient=settings.sandbox_lenient,
    )
    server.start()
    return server.url, server.stop, None


@contextmanager
def station_app(settings: Settings, *, dispatch: bool = False) -> Iterator[StationApp]:
    """The app wired to its back end; the embedded sandbox runs while the context is open."""
    with ExitStack() as stack:
        base_url = settings.api_url.strip()
        client_id = settings.client_id
        secret = settings.client_secret.get_secret_value()
        sandbox: process.SandboxProcess | None = None
        if settings.uses_sandbox:
            client_id, secret = DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
            try:
                base_url, stop, sandbox = _start_embedded_sandbox(settings)
            except (OSError, RuntimeError) as err:
                raise LaunchError(
                    _("the embedded sandbox did not start: {reason}").format(reason=err)
                ) from err
            stack.callback(stop)
        # Deferred: Textual and httpx take ~0.5 s to import (`python -X importtime`); loaded
        # here, after the fork, they load while the sandbox child loads FastAPI on the other
        # core instead of delaying the child's start.
        from packstation.omnium.client import OmniumClient
        from packstation.tui.app import StationApp
        from packstation.tui.station import StationServices

        client = OmniumClient(
            base_url,
            client_id,
            secret,
            timeout=settings.request_timeout,
            connect_timeout=settings.connect_timeout,
        )
        services = StationServices(
            settings=settings,
            client=client,
            sandbox=settings.uses_sandbox,
            sandbox_process=sandbox,
            dispatch=dispatch,
        )
        try:
            yield StationApp(services)
        finally:
            if services.store is not None:
                services.store.close()


EXIT_START_REFUSED = 2
"""Exit status when the data directory cannot be used or another station holds it."""


def run_station(args: argparse.Namespace) -> int:
    """Load settings, claim the data dir, start the sandbox if api_url is empty, run the app."""
    settings = load_settings(args)
    # The file's `language` too (the CLI chose from the flag and environment only).
    set_language(resolve_language(settings.language))
    try:
        # Before anything starts: a second station on this data dir is refused here.
        lock = claim_data_dir(settings.data_dir)
    except DataDirError as err:
        print(_("packstation: error: {reason}").format(reason=err), file=sys.stderr)
        return EXIT_START_REFUSED
    try:
        dispatch = bool(getattr(args, "dispatch", False))
        with lock, station_app(settings, dispatch=dispatch) as app:
            app.run()
    except LaunchError as err:
        print(_("packstation: error: {reason}").format(reason=err), file=sys.stderr)
        return 1
    return app.return_code or 0
