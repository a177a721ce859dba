"""`packstation scale simulate` and `packstation print simulate`: try the station without hardware.

Each runs a simulated device in the foreground and takes one-line commands on standard input,
so a person (or a test driving a terminal) can change what the scale shows or pull the
printer's paper.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from packstation.devices.simulators import ScaleFace, SimulatedPrinter, SimulatedScale
from packstation.devices.zpl_status import PrinterStatus

SCALE_HELP = (
    "type a weight (1.234) for a stable reading, ~1.234 for an unstable one, "
    "'unit g|kg|lb', 'over', or 'quit'"
)
PRINTER_HELP = "type 'paper' (out of paper), 'head' (head open), 'pause', 'ok', or 'quit'"


def add_scale_simulator(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation scale simulate`."""
    simulate = sub.add_parser(
        "simulate",
        help="run a simulated serial scale on a pseudo-terminal (to try the station)",
        description=f"Run a simulated scale and print its port. Then {SCALE_HELP}.",
    )
    simulate.add_argument("--protocol", choices=["sics", "continuous"], default="sics")
    simulate.add_argument("--weight", default="0", metavar="W", help="starting weight")
    simulate.add_argument("--unit", default="kg", choices=["kg", "g", "lb"])
    simulate.set_defaults(handler=run_scale_simulator)


def add_printer_simulator(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation print simulate`."""
    simulate = sub.add_parser(
        "simulate",
        help="run a simulated ZPL printer on a loopback port (to try the station)",
        description=f"Run a simulated raw TCP (9100) ZPL printer. Then {PRINTER_HELP}.",
    )
    simulate.add_argument("--port", type=int, default=9100, help="TCP port (default 9100)")
    simulate.add_argument("--out", metavar="DIR", help="also save each job received here")
    simulate.set_defaults(handler=run_printer_simulator)


def _scale_command(scale: Any, line: str) -> str:
    words = line.split()
    if not words:
        return ""
    if words[0] == "over":
        scale.overload()
        return "overloaded"
    if words[0] == "unit" and len(words) == 2 and words[1] in ("kg", "g", "lb"):
        scale.show(scale.face.weight, words[1], stable=scale.face.stable)
        return f"unit {words[1]}"
    stable = not words[0].startswith("~")
    try:
        weight = Decimal(words[0].lstrip("~"))
    except InvalidOperation:
        return f"not understood: {SCALE_HELP}"
    scale.show(weight, stable=stable)
    return f"{weight} {scale.face.unit} {'stable' if stable else 'unstable'}"


def run_scale_simulator(args: argparse.Namespace) -> int:
    """Run the simulated scale until 'quit' or end of input."""
    face = ScaleFace(Decimal(args.weight), args.unit)
    with SimulatedScale(args.protocol, face) as scale:
        print(f"Simulated {args.protocol} scale on {scale.port}", flush=True)
        print(SCALE_HELP, flush=True)
        for line in sys.stdin:
            if line.strip() == "quit":
                break
            answer = _scale_command(scale, line.strip())
            if answer:
                print(answer, flush=True)
    return 0


def run_printer_simulator(args: argparse.Namespace) -> int:
    """Run the simulated printer until 'quit' or end of input."""
    states = {
        "paper": PrinterStatus(paper_out=True),
        "head": PrinterStatus(head_open=True),
        "pause": PrinterStatus(paused=True),
        "ok": PrinterStatus(),
    }
    out = Path(args.out) if args.out else None
    with SimulatedPrinter(port=args.port) as printer:
        print(f"Simulated ZPL printer at {printer.address}", flush=True)
        print(PRINTER_HELP, flush=True)
        shown = 0
        for line in sys.stdin:
            for number, job in enumerate(printer.jobs[shown:], start=shown + 1):
                print(f"job {number}: {len(job)} bytes", flush=True)
                if out is not None:
                    out.mkdir(parents=True, exist_ok=True)
                    (out / f"job-{number}.zpl").write_bytes(job)
            shown = len(printer.jobs)
            word = line.strip()
            if word == "quit":
                break
            if word in states:
                printer.status = replace(states[word])
                print(printer.status.describe(), flush=True)
            elif word:
                print(f"not understood: {PRINTER_HELP}", flush=True)
    return 0
