"""`packstation config`: show the effective settings and where the file lives.

Only argparse at import: `packstation --help` and `--version` register every subcommand, and
the settings module costs about 130 ms (pydantic), so the handlers import it when they run.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation config show` and `packstation config path`."""
    config = subparsers.add_parser(
        "config",
        help="show the effective settings or the settings file's path",
        description=(
            "Settings come from defaults, then the TOML settings file, then PACKSTATION_* "
            "environment variables, then command-line flags (later wins). "
            "Without a subcommand, `show` runs."
        ),
    )
    config.set_defaults(handler=show_command)
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")
    show = actions.add_parser(
        "show",
        help="print every effective setting and where it came from (secret masked)",
        description="Print every effective setting and where it came from; the secret is masked.",
    )
    show.set_defaults(handler=show_command)
    path = actions.add_parser(
        "path",
        help="print the settings file's path",
        description="Print the path of the settings file that would be read (it may not exist).",
    )
    path.set_defaults(handler=path_command)


def path_command(args: argparse.Namespace) -> int:
    """Print the settings file's path."""
    from packstation.config import config_file_path  # deferred: see the module docstring

    print(config_file_path(args))
    return 0


def show_command(args: argparse.Namespace) -> int:
    """Print every effective setting with its source."""
    from packstation.config import resolve_settings  # deferred: see the module docstring
    from packstation.config_show import render_settings

    print(render_settings(resolve_settings(args)))
    return 0
