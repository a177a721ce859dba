"""Start the station app: settings, the embedded sandbox when no Omnium is set, the client."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack


def run_station(args: argparse.Namespace) -> int:
    """Load settings, start the sandbox if api_url is empty, run the app until it quits."""
    from packstation.config import load_settings
    from packstation.omnium.client import OmniumClient
    from packstation.tui.app import StationApp, StationServices

    settings = load_settings(args)
    with ExitStack() as stack:
        base_url = settings.api_url.strip()
        client_id = settings.client_id
        secret = settings.client_secret.get_secret_value()
        if settings.uses_sandbox:
            from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
            from packstation.sandbox.server import SandboxServer

            server = SandboxServer(
                settings.data_dir / "sandbox",
                host=settings.sandbox_host,
                port=settings.sandbox_port,
            )
            try:
                server.start()
            except OSError as err:
                print(
                    f"packstation: error: the embedded sandbox did not start: {err}",
                    file=sys.stderr,
                )
                return 1
            stack.callback(server.stop)
            base_url = server.url
            client_id, secret = DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
        client = OmniumClient(
            base_url,
            client_id,
            secret,
            timeout=settings.request_timeout,
            connect_timeout=settings.connect_timeout,
        )
        services = StationServices(settings=settings, client=client, sandbox=settings.uses_sandbox)
        app = StationApp(services)
        app.run()
        if services.store is not None:
            services.store.close()
    return app.return_code or 0
