"""End to end with the bench's hardware simulated: an MT-SICS scale on a pty, a ZPL printer on
a loopback port, `packstation sandbox` as its own process, and the station in tmux."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import Terminal, running_sandbox, station_env

from packstation.devices.simulators import SimulatedPrinter, SimulatedScale
from packstation.devices.zpl_status import PrinterStatus

# The ZPL reading and barcode decoding of the labels tests, reused (not a package of its own).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "labels"))
from labels_support import decode_modules, zpl_barcodes, zpl_bc_modules

# The toast wraps a longer line on the terminal: its first words.
SPOOLED_NO_PAPER = "Printer out of paper: label not printed"


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[tuple[Terminal, SimulatedScale, SimulatedPrinter]]:
    """The station in tmux with a simulated scale and printer configured."""
    with (
        running_sandbox(tmp_path) as url,
        SimulatedScale("sics") as scale,
        SimulatedPrinter() as printer,
    ):
        env = station_env(tmp_path, url, tmp_path / "station")
        env.update(
            PACKSTATION_SCALE_PROTOCOL="sics",
            PACKSTATION_SCALE_PORT=scale.port,
            PACKSTATION_SCALE_WEIGH_ON="scan",
            PACKSTATION_PRINT_LABELS="true",
            PACKSTATION_PRINTERS=json.dumps({"sscc_label": printer.address}),
        )
        terminal = Terminal.start(env)
        try:
            yield terminal, scale, printer
        finally:
            terminal.close()


def test_live_weight_less_tare_label_on_the_printer_and_paper_out(
    bench: tuple[Terminal, SimulatedScale, SimulatedPrinter],
) -> None:
    terminal, scale, printer = bench
    terminal.wait_for("SCAN AN ORDER")
    scale.show("0.950")
    terminal.scan("USER-anna")
    terminal.scan("ORD-1002")
    terminal.wait_for("Scale: 0.950 kg (stable)")
    for _ in range(3):
        terminal.scan("7042113000051")
    terminal.scan("BOX-S")
    terminal.send("F3")  # the package dialog shows the live weight
    terminal.wait_for("F7 takes the scale's, less the box")
    scale.show("1.300", stable=False)
    terminal.wait_for("Scale unstable: settling (1.300 kg)")
    scale.show("1.234")
    terminal.wait_for("Scale: 1.234 kg (stable)")
    terminal.send("F7")
    terminal.wait_for("1.084")  # 1.234 kg less box S's 0.15 kg, in the weight field
    terminal.send("Escape")
    terminal.wait_for("box S  25×20×10 cm  1.084 kg")
    terminal.scan("CMD-SUBMIT")  # all packed and weighed: one scan sends
    terminal.wait_for("ORDER ORD-1002 SENT", seconds=60)
    (job,) = printer.wait_for_jobs(1, timeout=30)
    ((_, field),) = zpl_barcodes(job.decode("utf-8"))
    (decoded,) = decode_modules(zpl_bc_modules(field))
    assert decoded.symbology == "]C1" and decoded.raw.startswith("00070123450")
    assert "Weight 1.08 kg" in job.decode("utf-8")

    printer.status = PrinterStatus(paper_out=True)  # the paper runs out
    terminal.send("F10")
    terminal.wait_for("SCAN AN ORDER")
    terminal.scan("ORD-1001")
    terminal.wait_for("ORDER ORD-1001")
    terminal.scan("7042113000037")
    terminal.scan("BOX-ENV")
    scale.show("0.450")
    terminal.wait_for("Scale: 0.450 kg (stable)")
    terminal.scan("CMD-SUBMIT")  # weighs on the scan (0.450 less ENV's 0.05), then sends
    terminal.wait_for("ORDER ORD-1001 SENT", seconds=60)
    terminal.wait_for(SPOOLED_NO_PAPER, seconds=30)
    assert len(printer.jobs) == 1
