"""`packstation sandbox`: run the embedded Omnium-compatible server on its own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from packstation.i18n import _
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_READER_ID
from packstation.sandbox.collector import leave_startup_out_of_collections

PROG = "packstation sandbox"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation sandbox`."""
    parser = subparsers.add_parser(
        "sandbox",
        # The one line `packstation --help` lists; the sandbox's own options are for developers.
        help=_("run the Omnium-compatible sandbox server alone"),
        description=(
            "Serve the embedded Omnium-compatible sandbox (demo orders, workflows, failure "
            "injection) so that several stations can share it. Binds to loopback unless told "
            "otherwise. Stop it with Ctrl-C; its state stays in the data directory."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8765, help="port to listen on (default 8765; 0 = any free)"
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        help="state directory (default: <data dir>/sandbox)",
    )
    # Not `dest="config"`: the top-level --config names the station's settings file.
    parser.add_argument(
        "--config",
        dest="workflow_config",
        metavar="FILE",
        type=Path,
        help="workflow configuration TOML (default: the packaged default workflows)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="wipe the state and seed the demo data again"
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help=(
            "ignore request fields Omnium's contract does not have (as Omnium most likely "
            "does) instead of answering 400 naming them"
        ),
    )
    parser.set_defaults(handler=run)


def _default_data_dir(args: argparse.Namespace) -> Path:
    # Deferred: `packstation` imports this module to build its parser; the settings load
    # pydantic (~130 ms), which `--help` and `--version` do without.
    from packstation.config import load_settings

    return Path(load_settings(args).data_dir) / "sandbox"


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    # Deferred: FastAPI and uvicorn (~0.35 s CPU) load only to serve, never in the station.
    from packstation.sandbox.server import SandboxServer

    if not 0 <= args.port <= 65535:
        print(f"{PROG}: error: --port must be 0-65535", file=sys.stderr)
        return 2
    data_dir = args.data if args.data is not None else _default_data_dir(args)
    if args.workflow_config is not None and not args.workflow_config.is_file():
        print(f"{PROG}: error: no such config file: {args.workflow_config}", file=sys.stderr)
        return 2
    server = SandboxServer(
        data_dir,
        args.host,
        args.port,
        config_path=args.workflow_config,
        reset=args.reset,
        lenient=args.lenient,
    )
    try:
        server.start()
    except (OSError, ValueError, RuntimeError) as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    leave_startup_out_of_collections()
    print(f"Omnium sandbox listening on {server.url}  (state: {data_dir})")
    print(f"  API users: {DEMO_CLIENT_ID} / {DEMO_CLIENT_SECRET} (OrderAdmin),")
    print(f"             {DEMO_READER_ID} / {DEMO_CLIENT_SECRET} (OrderRead)")
    print(f"  OpenAPI:   {server.url}/openapi.json   docs: {server.url}/docs")
    strictness = "ignored (--lenient)" if args.lenient else "refused with 400"
    print(f"  Request fields Omnium's contract lacks are {strictness}.")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        print("\nStopping the sandbox...", flush=True)
    finally:
        server.stop()
    return 0
