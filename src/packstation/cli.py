"""`packstation` and its subcommands.

Each subcommand lives beside the code it drives and registers itself through a
`register(subparsers)` function; this module only assembles them. Heavy imports happen inside
the handlers so that `packstation --help` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from packstation import __version__

# Modules that contribute subcommands, each with `register(subparsers) -> None`.
COMMAND_MODULES = (
    "packstation.config_cli",
    "packstation.sandbox.cli",
    "packstation.labels.cli",
    "packstation.station.cli",
    "packstation.devices.scale_cli",
    "packstation.devices.print_cli",
    "packstation.warehouse.cli",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="packstation",
        description=(
            "A packing station for Omnium orders. Run without a subcommand to open the "
            "station; with no Omnium configured it starts the embedded sandbox."
        ),
    )
    parser.add_argument("--version", action="version", version=f"packstation {__version__}")
    parser.add_argument("--config", metavar="FILE", help="settings file (default: user config)")
    parser.add_argument("--api-url", metavar="URL", help="Omnium base URL (empty = sandbox)")
    parser.add_argument("--warehouse", metavar="CODE", help="this station's warehouse code")
    parser.add_argument("--station-id", metavar="NN", help="this station's two-digit id")
    parser.add_argument("--data-dir", metavar="DIR", help="where the station keeps its data")
    parser.add_argument("--theme", metavar="NAME", help="colour theme")
    parser.add_argument(
        "--language", metavar="LANG", help="en, nb, sv or da (default: the system's, else en)"
    )
    parser.add_argument(
        "--dispatch",
        action="store_true",
        help="open the dispatch screen: scan packages at the dock to ship them",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


EXIT_SETTINGS_ERROR = 2
"""Exit status for invalid settings, the same as argparse uses for invalid arguments."""


def _speak(args: argparse.Namespace) -> None:
    """The CLI's language: --language, else PACKSTATION_LANGUAGE, else the system's."""
    from packstation.i18n import LanguageError, resolve_language, set_language

    wanted = args.language or os.environ.get("PACKSTATION_LANGUAGE", "")
    # A bad value: the settings' validation reports it, naming the flag or variable.
    with contextlib.suppress(LanguageError):
        set_language(resolve_language(wanted))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `packstation` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _speak(args)
    # After parsing: `--version` and `--help` end above without pydantic (about 130 ms).
    from packstation.config import SettingsError

    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        # Deferred like the settings: launch loads the Omnium models (pydantic) too.
        from packstation.launch import run_station

        handler = run_station
    try:
        return handler(args)
    except SettingsError as exc:
        # One line naming the key and the problem; a traceback would only hide it.
        print(f"{parser.prog}: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_SETTINGS_ERROR


if __name__ == "__main__":
    sys.exit(main())
