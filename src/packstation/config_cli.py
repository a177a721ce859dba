"""`packstation config`: show the effective settings and where the file lives.

Only the standard library at import: `packstation --help` and `--version` register every
subcommand, and the settings module costs about 130 ms (pydantic), so the handlers import it
when they run.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from packstation.i18n import _
from packstation.pins import hash_pin, pin_problem


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation config show` and `packstation config path`."""
    config = subparsers.add_parser(
        "config",
        help=_("show the effective settings or the settings file's path"),
        description=_(
            "Settings come from defaults, then the TOML settings file, then PACKSTATION_* "
            "environment variables, then command-line flags (later wins). "
            "Without a subcommand, `show` runs."
        ),
    )
    config.set_defaults(handler=show_command)
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")
    show = actions.add_parser(
        "show",
        help=_("print every effective setting and where it came from (secret masked)"),
        description=_(
            "Print every effective setting and where it came from; the secret is masked."
        ),
    )
    show.set_defaults(handler=show_command)
    path = actions.add_parser(
        "path",
        help=_("print the settings file's path"),
        description=_("Print the path of the settings file that would be read (it may not exist)."),
    )
    path.set_defaults(handler=path_command)
    pin = actions.add_parser(
        "hash-pin",
        help=_("make the hash of a supervisor's PIN for the supervisor_pins setting"),
        description=_(
            "Ask for a PIN (twice, hidden; or read one line from standard input) and print "
            "its salted hash as a settings line. Only the hash goes into the settings."
        ),
    )
    pin.add_argument("supervisor", nargs="?", help=_("the supervisor's badge id (e.g. anna)"))
    pin.set_defaults(handler=hash_pin_command)


def path_command(args: argparse.Namespace) -> int:
    """Print the settings file's path."""
    from packstation.config import config_file_path  # deferred: see the module docstring

    print(config_file_path(args))
    return 0


def hash_pin_command(args: argparse.Namespace) -> int:
    """Print the hash of a PIN read from the terminal (asked twice) or from standard input."""
    if sys.stdin.isatty():
        pin = getpass.getpass(_("PIN: "))
        if getpass.getpass(_("PIN again: ")) != pin:
            print(_("packstation: error: the two PINs differ"), file=sys.stderr)
            return 2
    else:
        pin = sys.stdin.readline().rstrip("\r\n")
    problem = pin_problem(pin)
    if problem is not None:
        print(_("packstation: error: {reason}").format(reason=problem), file=sys.stderr)
        return 2
    stored = hash_pin(pin)
    who = (args.supervisor or "").strip().removeprefix("USER-")
    # A TOML line for the settings file (a dotted key under the top level), or the bare hash.
    print(f"supervisor_pins.{json.dumps(who)} = {json.dumps(stored)}" if who else stored)
    return 0


def show_command(args: argparse.Namespace) -> int:
    """Print every effective setting with its source."""
    from packstation.config import resolve_settings  # deferred: see the module docstring
    from packstation.config_show import render_settings

    print(render_settings(resolve_settings(args)))
    return 0
