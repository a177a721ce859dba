"""Printers against fakes: a ZPL printer on a loopback socket, a fake `lp`, an IPP endpoint."""

from __future__ import annotations

import os
import socket
import stat
import struct
from pathlib import Path

import httpx
import pytest

from packstation.config import Settings
from packstation.devices.documents import DocumentKind
from packstation.devices.ipp import http_url, ipp_print
from packstation.devices.printer_target import PrinterKind, PrinterTarget, parse_printer
from packstation.devices.raw_tcp import PrinterError, printer_status, send_raw
from packstation.devices.routing import print_document, resend_spooled, spool_dir
from packstation.devices.simulators import SimulatedPrinter
from packstation.devices.spool import spooled_documents
from packstation.devices.zpl_status import PrinterStatus, host_status_answer, parse_host_status

SPOOLED_NO_PAPER = "Printer out of paper: label not printed on paper, saved in the spool folder as "

JOB = b"^XA^FO50,50^A0N,40,40^FDHELLO^FS^XZ"


@pytest.fixture
def printer() -> SimulatedPrinter:
    fake = SimulatedPrinter()
    fake.start()
    yield fake
    fake.stop()


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (PrinterStatus(), "Printer ready"),
        (PrinterStatus(paper_out=True), "Printer out of paper"),
        (PrinterStatus(head_open=True), "Printer head open"),
        (PrinterStatus(paused=True), "Printer paused"),
        (PrinterStatus(paper_out=True, paused=True), "Printer out of paper, paused"),
        (PrinterStatus(ribbon_out=True, over_temperature=True), "Printer out of ribbon, too hot"),
    ],
)
def test_host_status_round_trip(status: PrinterStatus, words: str) -> None:
    answer = host_status_answer(status)
    assert parse_host_status(answer) == status
    assert status.describe() == words
    assert parse_host_status(answer[:20]) is None  # not all there yet
    assert parse_host_status(b"junk" + answer) == status


def test_a_real_zebra_answer() -> None:
    # ~HS from a ZD420 with the head open and paused (from its programming guide's layout).
    answer = (
        b"\x02030,0,1,0812,000,0,0,0,000,0,0,0\x03\r\n"
        b"\x02001,0,1,0,1,2,6,0,00000000,1,000\x03\r\n"
        b"\x021234,0\x03\r\n"
    )
    status = parse_host_status(answer)
    assert status is not None and status.problems == ["head open", "paused"]


def test_ready_printer_gets_the_job(printer: SimulatedPrinter) -> None:
    assert send_raw(printer.host, printer.port, JOB) == PrinterStatus()
    assert printer.wait_for_jobs(1) == [JOB]


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (PrinterStatus(paper_out=True), "Printer out of paper"),
        (PrinterStatus(head_open=True), "Printer head open"),
        (PrinterStatus(paused=True), "Printer paused"),
    ],
)
def test_printer_with_a_problem_is_not_sent_the_job(
    printer: SimulatedPrinter, status: PrinterStatus, words: str
) -> None:
    printer.status = status
    with pytest.raises(PrinterError) as caught:
        send_raw(printer.host, printer.port, JOB)
    assert str(caught.value) == words
    assert printer_status(printer.host, printer.port) == status
    assert printer.wait_for_jobs(1, timeout=0.2) == []


def test_printer_without_status_answers_still_prints(printer: SimulatedPrinter) -> None:
    printer.answers_status = False
    assert send_raw(printer.host, printer.port, JOB, status_timeout=0.2) is None
    assert printer.wait_for_jobs(1) == [JOB]


def test_unreachable_printer_says_so() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(PrinterError, match=rf"Printer 127.0.0.1:{port} not reachable"):
        send_raw("127.0.0.1", port, JOB, timeout=1)


@pytest.mark.parametrize(
    ("spec", "target"),
    [
        ("tcp://10.0.0.5:9100", PrinterTarget(PrinterKind.RAW_TCP, "10.0.0.5", 9100)),
        ("tcp://zebra-1", PrinterTarget(PrinterKind.RAW_TCP, "zebra-1", 9100)),
        ("cups:Laser_1", PrinterTarget(PrinterKind.CUPS, "Laser_1")),
        ("lp:", PrinterTarget(PrinterKind.CUPS, "")),
        (
            "ipp://cups.local:631/printers/A4",
            PrinterTarget(PrinterKind.IPP, "ipp://cups.local:631/printers/A4"),
        ),
        (
            "command:lp -d Z -o raw {file}",
            PrinterTarget(PrinterKind.COMMAND, "lp -d Z -o raw {file}"),
        ),
        ("spool", PrinterTarget(PrinterKind.SPOOL)),
    ],
)
def test_printer_addresses(spec: str, target: PrinterTarget) -> None:
    assert parse_printer(spec) == target


@pytest.mark.parametrize("spec", ["zebra", "tcp://:9100", "tcp://h:port", "command:", "ipp://"])
def test_bad_printer_addresses(spec: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        parse_printer(spec)


# --- routing --------------------------------------------------------------------------------


def fake_lp(bin_dir: Path, log: Path, *, fail: str = "") -> None:
    """An `lp` on PATH that records its arguments and the file it was given."""
    bin_dir.mkdir(exist_ok=True)
    body = (
        'echo "$fail" >&2; exit 1'
        if fail
        else f'printf "%s\\n" "$@" > {log}; cp "${{@: -1}}" {log}.file'
    )
    script = f"#!/bin/bash\nfail={fail!r}\n{body}\n"
    lp = bin_dir / "lp"
    lp.write_text(script)
    lp.chmod(lp.stat().st_mode | stat.S_IEXEC)


def test_each_kind_goes_to_its_printer(
    tmp_path: Path, printer: SimulatedPrinter, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "lp.log"
    fake_lp(tmp_path / "bin", log)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    settings = Settings(
        data_dir=tmp_path,
        printers={"sscc_label": printer.address, "packing_slip": "cups:Laser_1"},
    )
    label = print_document(DocumentKind.SSCC_LABEL, "a.zpl", JOB, settings)
    slip = print_document(DocumentKind.PACKING_SLIP, "slip.pdf", b"%PDF-1.4 slip", settings)
    other = print_document(DocumentKind.PICKUP_SLIP, "pickup.pdf", b"%PDF-1.4 pickup", settings)
    assert label.printed and label.message == f"Printed a.zpl on {printer.address}"
    assert printer.wait_for_jobs(1) == [JOB]
    assert slip.printed and slip.command[:3] == ("lp", "-d", "Laser_1")
    assert log.read_text().splitlines()[:2] == ["-d", "Laser_1"]
    assert "raw" not in log.read_text()  # a PDF goes through CUPS's filters
    assert Path(f"{log}.file").read_bytes() == b"%PDF-1.4 slip"
    assert not other.printed and other.error is None  # no printer for pickup slips: spooled
    assert [d.name for d in spooled_documents(spool_dir(settings))] == ["pickup.pdf"]


def test_paper_out_keeps_the_label_and_resend_prints_it(
    tmp_path: Path, printer: SimulatedPrinter
) -> None:
    settings = Settings(data_dir=tmp_path, printers={"sscc_label": printer.address})
    printer.status = PrinterStatus(paper_out=True)
    result = print_document(DocumentKind.SSCC_LABEL, "b.zpl", JOB, settings)
    assert not result.printed
    assert result.message.startswith(SPOOLED_NO_PAPER)
    (waiting,) = spooled_documents(spool_dir(settings))
    assert (waiting.name, waiting.kind, waiting.reason) == (
        "b.zpl",
        DocumentKind.SSCC_LABEL,
        "Printer out of paper",
    )
    assert waiting.printer == printer.address
    assert not resend_spooled(waiting, settings).printed  # still out of paper: stays
    assert len(spooled_documents(spool_dir(settings))) == 1
    printer.status = PrinterStatus()
    assert resend_spooled(waiting, settings).printed
    assert printer.wait_for_jobs(1) == [JOB]
    assert spooled_documents(spool_dir(settings)) == []
    assert [p.name for p in spool_dir(settings).iterdir()] == [".reasons"]
    assert list((spool_dir(settings) / ".reasons").iterdir()) == []


def test_failing_lp_keeps_the_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(tmp_path / "bin", tmp_path / "log", fail="lp: The printer or class does not exist.")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    settings = Settings(data_dir=tmp_path, printers={"carrier_label": "cups:Gone"})
    result = print_document(DocumentKind.CARRIER_LABEL, "c.pdf", b"%PDF", settings)
    assert not result.printed
    assert "does not exist" in (result.error or "")
    assert "carrier label not printed on paper, saved in the spool folder as" in result.message
    assert spooled_documents(spool_dir(settings))[0].kind is DocumentKind.CARRIER_LABEL


def test_without_lp_or_lpr_cups_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    settings = Settings(data_dir=tmp_path, printers={"packing_slip": "cups:"})
    result = print_document(DocumentKind.PACKING_SLIP, "d.pdf", b"%PDF", settings)
    assert result.error == "CUPS is not installed here (no lp or lpr)"


def test_kinds_without_a_printer_use_print_command(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, print_command="true")
    assert print_document(DocumentKind.COMMAND_SHEET, "s.pdf", b"%PDF", settings).printed


# --- IPP ------------------------------------------------------------------------------------


def ipp_answer(status: int) -> bytes:
    return b"\x02\x00" + struct.pack(">HI", status, 1) + b"\x01\x03"


def test_ipp_print_job_is_well_formed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=ipp_answer(0x0000))

    error = ipp_print(
        "ipp://printer.test/printers/A4",
        b"%PDF-1.4 body",
        job_name="slip.pdf",
        transport=httpx.MockTransport(handler),
    )
    assert error is None
    (request,) = seen
    assert str(request.url) == "http://printer.test:631/printers/A4"
    assert request.headers["content-type"] == "application/ipp"
    body = request.content
    assert body[:4] == b"\x02\x00\x00\x02"  # IPP 2.0, Print-Job
    assert b"printer-uri\x00\x1eipp://printer.test/printers/A4" in body
    assert b"document-format\x00\x0fapplication/pdf" in body
    assert body.endswith(b"\x03%PDF-1.4 body")


def test_ipp_refusals_in_words() -> None:
    refused = httpx.MockTransport(lambda r: httpx.Response(200, content=ipp_answer(0x0507)))
    error = ipp_print("ipp://p.test/x", b"x", job_name="x", transport=refused)
    assert error is not None and "refused the job (status 0x0507)" in error
    broken = httpx.MockTransport(lambda r: httpx.Response(404))
    assert "HTTP 404" in (ipp_print("ipps://p.test/x", b"x", job_name="x", transport=broken) or "")
    assert http_url("ipps://p.test:8631/x") == "https://p.test:8631/x"


def test_a_failed_resend_records_the_new_reason(tmp_path: Path, printer: SimulatedPrinter) -> None:
    settings = Settings(data_dir=tmp_path, printers={"sscc_label": printer.address})
    printer.status = PrinterStatus(paper_out=True)
    print_document(DocumentKind.SSCC_LABEL, "r.zpl", JOB, settings)
    (waiting,) = spooled_documents(spool_dir(settings))
    printer.status = PrinterStatus(head_open=True)
    assert resend_spooled(waiting, settings).error == "Printer head open"
    (still,) = spooled_documents(spool_dir(settings))
    assert (still.reason, still.spooled_at) == ("Printer head open", waiting.spooled_at)
    note = spool_dir(settings) / ".reasons" / "r.zpl.json"
    assert stat.S_IMODE(note.stat().st_mode) == 0o600  # it names the customer's order


def test_a_kind_the_printers_setting_sends_to_the_spool_says_so(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, printers={"packing_slip": "spool"})
    result = print_document(DocumentKind.PACKING_SLIP, "s.pdf", b"%PDF", settings)
    assert not result.printed
    # Not "no printer set": the setting chose the spool; and the file is named in full.
    assert result.message == (
        "The printers setting sends it to the spool folder: packing slip not printed on paper, "
        f"saved in the spool folder as {spool_dir(settings) / 's.pdf'}"
    )
