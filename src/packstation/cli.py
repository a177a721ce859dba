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
from packstation.i18n import LanguageError, _, resolve_language, set_language

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
        description=_(
            "A packing station for Omnium orders. Run without a subcommand to open the "
            "station; with no Omnium configured it starts the embedded sandbox."
        ),
    )
    parser.add_argument("--version", action="version", version=f"packstation {__version__}")
    parser.add_argument("--config", metavar="FILE", help=_("settings file (default: user config)"))
    parser.add_argument("--api-url", metavar="URL", help=_("Omnium base URL (empty = sandbox)"))
    parser.add_argument("--warehouse", metavar="CODE", help=_("this station's warehouse code"))
    parser.add_argument("--station-id", metavar="NN", help=_("this station's two-digit id"))
    parser.add_argument("--data-dir", metavar="DIR", help=_("where the station keeps its data"))
    parser.add_argument("--theme", metavar="NAME", help=_("colour theme"))
    parser.add_argument(
        "--language", metavar="LANG", help=_("en, nb, sv or da (default: the system's, else en)")
    )
    parser.add_argument(
        "--dispatch",
        action="store_true",
        help=_("open the dispatch screen: scan packages at the dock to ship them"),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


EXIT_SETTINGS_ERROR = 2
"""Exit status for invalid settings, the same as argparse uses for invalid arguments."""


def _speak(argv: Sequence[str] | None) -> None:
    """The CLI's language: --language, else PACKSTATION_LANGUAGE, else the system's."""
    # Before the full parser is built: its help texts and argparse's errors are translated.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--language", default="")
    known, _unused = early.parse_known_args(sys.argv[1:] if argv is None else argv)
    wanted = known.language or os.environ.get("PACKSTATION_LANGUAGE", "")
    # A bad value: the settings' validation reports it, naming the flag or variable.
    with contextlib.suppress(LanguageError):
        set_language(resolve_language(wanted))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `packstation` console script."""
    _speak(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
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
        reason = " ".join(str(exc).split())
        print(_("packstation: error: {reason}").format(reason=reason), file=sys.stderr)
        return EXIT_SETTINGS_ERROR


if __name__ == "__main__":
    sys.exit(main())
