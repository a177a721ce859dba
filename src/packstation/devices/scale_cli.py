"""`packstation scale read` and `packstation scale watch`: try the scale from the shell."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from packstation.devices.scale import open_scale, read_stable
from packstation.devices.scale_monitor import ScaleMonitor
from packstation.devices.scale_reading import ScaleError
from packstation.devices.simulate_cli import add_scale_simulator
from packstation.i18n import _

PROG = "packstation scale"
EXIT_NO_READING = 1


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation scale read` and `packstation scale watch`."""
    scale = subparsers.add_parser(
        "scale",
        help=_("read the scale (to set it up or check it)"),
        description=_(
            "Read the scale: serial MT-SICS (sics), continuous output (continuous) or a USB "
            "HID postal scale (hid). Port, protocol and baud rate default to the settings."
        ),
    )
    scale.set_defaults(handler=lambda args: _usage(scale))
    sub = scale.add_subparsers(dest="scale_command", metavar="SUBCOMMAND")
    read = sub.add_parser(
        "read",
        help=_("print one stable reading (exit 1 when none comes within 5 s)"),
        description=_("Print one stable reading, e.g. `1.234 kg`; exit 1 with the reason if none."),
    )
    watch = sub.add_parser(
        "watch",
        help=_("print every reading as it changes (Ctrl+C stops)"),
        description=_("Print each reading as it changes, in words when it cannot be used."),
    )
    for parser in (read, watch):
        parser.add_argument(
            "--port", metavar="PORT", help=_("serial port (/dev/ttyUSB0, COM3) or HID VID:PID")
        )
        parser.add_argument(
            "--protocol", choices=["sics", "continuous", "hid"], help=_("what the scale speaks")
        )
        parser.add_argument("--baud", type=int, metavar="N", help=_("serial baud rate"))
    read.add_argument(
        "--within", type=float, default=5.0, metavar="S", help=_("seconds to wait (default 5)")
    )
    read.set_defaults(handler=run_read)
    watch.set_defaults(handler=run_watch)
    add_scale_simulator(sub)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _scale_args(args: argparse.Namespace) -> tuple[str, str, int]:
    """Port, protocol and baud: the flags, else the settings."""
    # Deferred: `packstation` imports this module to build its parser; the settings load
    # pydantic (~130 ms), which `--help` and `--version` do without.
    from packstation.config import load_settings

    settings = load_settings(args)
    protocol = args.protocol or settings.scale_protocol
    port = args.port if args.port is not None else settings.scale_port
    return port, protocol, args.baud or settings.scale_baud


def run_read(args: argparse.Namespace) -> int:
    """Print one stable reading, or the reason there is none."""
    port, protocol, baud = _scale_args(args)
    try:
        scale = open_scale(port, protocol, baud)
        try:
            reading = read_stable(scale, args.within)
        finally:
            scale.close()
    except ScaleError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_NO_READING
    print(reading.weight_text)
    return 0


def run_watch(args: argparse.Namespace) -> int:
    """Print each change of reading until interrupted."""
    port, protocol, baud = _scale_args(args)

    def show(reading: Any) -> None:
        print(f"{time.strftime('%H:%M:%S')}  {reading.describe()}", flush=True)

    monitor = ScaleMonitor(lambda: open_scale(port, protocol, baud), show)
    monitor.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        monitor.stop()
    return 0
