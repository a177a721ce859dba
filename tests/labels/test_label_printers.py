"""A package label sent to a simulated ZPL printer arrives as ZPL that scans as its SSCC."""

from __future__ import annotations

import itertools
from pathlib import Path

from labels_support import decode_modules, order_with_packages, zpl_barcodes, zpl_bc_modules

from packstation.config import Settings
from packstation.devices.simulators import SimulatedPrinter
from packstation.devices.zpl_status import PrinterStatus
from packstation.labels.label import labels_for_shipment
from packstation.labels.printing import print_labels, spool_dir
from packstation.labels.sscc import DEMO_COMPANY_PREFIX, SsccAllocator

SPOOLED_NO_PAPER = "Printer out of paper: label not printed on paper, saved in the spool folder as "


def test_label_reaches_the_printer_and_decodes(tmp_path: Path) -> None:
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", itertools.count(1).__next__)
    labels = labels_for_shipment(order_with_packages([alloc(), alloc()]), "S-1")
    with SimulatedPrinter() as printer:
        settings = Settings(data_dir=tmp_path, printers={"sscc_label": printer.address})
        results = print_labels(labels, settings)
        jobs = printer.wait_for_jobs(2)
    assert all(r.printed for r in results)
    assert len(jobs) == 2
    by_sscc = {data.sscc: data for data in labels}
    for job in jobs:
        ((_, field),) = zpl_barcodes(job.decode("utf-8"))
        data = by_sscc.pop(field.removeprefix(">;>800"))
        decoded = decode_modules(zpl_bc_modules(field))
        assert [(d.raw, d.symbology) for d in decoded] == [("00" + data.sscc, "]C1")]
    assert by_sscc == {}
    assert not spool_dir(settings).exists()


def test_paper_out_keeps_the_label_in_the_spool(tmp_path: Path) -> None:
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "01", itertools.count(1).__next__)
    labels = labels_for_shipment(order_with_packages([alloc()]), "S-1")
    with SimulatedPrinter(status=PrinterStatus(paper_out=True)) as printer:
        settings = Settings(data_dir=tmp_path, printers={"sscc_label": printer.address})
        (result,) = print_labels(labels, settings)
        assert printer.wait_for_jobs(1, timeout=0.2) == []
    assert SPOOLED_NO_PAPER in result.message
    assert result.path is not None and result.path.read_bytes().startswith(b"^XA")
