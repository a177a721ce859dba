"""The right document on the right printer: each kind goes where the `printers` setting says.

A document that cannot be printed is never lost: it is kept in the spool folder with the
reason, and `resend_spooled` (reprint) sends it again.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from packstation.config import Settings
from packstation.devices.command_printer import print_with_command, run_command
from packstation.devices.cups import cups_argv
from packstation.devices.documents import DocumentKind
from packstation.devices.ipp import ipp_print
from packstation.devices.print_result import PrintOutcome, PrintResult
from packstation.devices.printer_target import PrinterKind, PrinterTarget, parse_printer
from packstation.devices.printer_turns import busy_message, printer_turn
from packstation.devices.raw_tcp import PrinterError, send_raw
from packstation.devices.spool import SpooledDocument, note_failure, remove_spooled, write_spool

PRINT_TIMEOUT_S = 30.0
RAW_TCP_TIMEOUT_S = 5.0
STOPPED = "not sent: the packer stopped waiting for the printer"
"""Why a document of a print the packer gave up on is in the spool rather than printed."""


def spool_dir(settings: Settings) -> Path:
    """The folder documents go to when they are not printed."""
    return settings.data_dir / "spool"


def printer_for(kind: DocumentKind, settings: Settings) -> PrinterTarget:
    """The printer a kind of document goes to: its `printers` entry, else print_command."""
    spec = settings.printers.get(kind, "")
    if spec.strip():
        return parse_printer(spec)
    if settings.print_command.strip():
        return PrinterTarget(PrinterKind.COMMAND, settings.print_command)
    return PrinterTarget(PrinterKind.SPOOL)


def _document_format(name: str) -> str:
    return {
        ".pdf": "application/pdf",
        ".png": "image/png",
        ".svg": "image/svg+xml",
    }.get(Path(name).suffix.lower(), "application/octet-stream")


def send_to(
    target: PrinterTarget, name: str, content: bytes, timeout: float = PRINT_TIMEOUT_S
) -> tuple[str | None, tuple[str, ...]]:
    """Send one document to one printer: (None, argv) when it took it, else (reason, argv)."""
    if target.kind is PrinterKind.RAW_TCP:
        try:
            send_raw(target.address, target.port, content, timeout=min(timeout, RAW_TCP_TIMEOUT_S))
        except PrinterError as exc:
            return str(exc), ()
        return None, ()
    if target.kind is PrinterKind.IPP:
        error = ipp_print(
            target.address,
            content,
            job_name=name,
            document_format=_document_format(name),
            timeout=timeout,
        )
        return error, ()
    if target.kind is PrinterKind.CUPS:
        return _print_cups(target.address, name, content, timeout)
    if target.kind is PrinterKind.COMMAND:
        return print_with_command(target.address, name, content, timeout)
    return "no printer set", ()


def send_in_turn(
    target: PrinterTarget, name: str, content: bytes, timeout: float = PRINT_TIMEOUT_S
) -> tuple[str | None, tuple[str, ...]]:
    """`send_to` once no other print holds this printer (waiting at most `timeout` s)."""
    with printer_turn(str(target), timeout) as turn:
        if not turn:
            return busy_message(str(target), timeout), ()
        return send_to(target, name, content, timeout)


def _print_cups(
    queue: str, name: str, content: bytes, timeout: float
) -> tuple[str | None, tuple[str, ...]]:
    with tempfile.TemporaryDirectory(prefix="packstation-print-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        raw = Path(name).suffix.lower() == ".zpl"
        argv = cups_argv(queue, str(path), name, raw=raw)
        if argv is None:
            return "CUPS is not installed here (no lp or lpr)", ()
        return run_command(argv, timeout), tuple(argv)


def print_document(
    kind: DocumentKind,
    name: str,
    content: bytes,
    settings: Settings,
    *,
    timeout: float = PRINT_TIMEOUT_S,
    stop: threading.Event | None = None,
) -> PrintResult:
    """Print one document on its kind's printer; keep it in the spool (with why) if not, or
    once `stop` is set (the packer stopped waiting for the printer)."""
    spool = spool_dir(settings)
    if stop is not None and stop.is_set():
        # Sent now, it would print after (or among) the documents of the next order.
        path = write_spool(spool, name, content, kind=kind, reason=STOPPED)
        return PrintResult(PrintOutcome.SPOOLED, name, path, STOPPED, noun=kind.noun)
    try:
        target = printer_for(kind, settings)
    except ValueError as exc:
        error: str | None = str(exc)
        path = write_spool(spool, name, content, kind=kind, reason=str(exc))
        return PrintResult(PrintOutcome.SPOOLED, name, path, error, noun=kind.noun)
    if target.kind is PrinterKind.SPOOL:
        path = write_spool(spool, name, content, kind=kind)
        chosen = bool(settings.printers.get(kind, "").strip())  # `printers` says "spool"
        return PrintResult(
            PrintOutcome.SPOOLED, name, path, None, noun=kind.noun, spool_by_setting=chosen
        )
    error, argv = send_in_turn(target, name, content, timeout)
    if error is None:
        return PrintResult(PrintOutcome.PRINTED, name, None, None, argv, kind.noun, _shown(target))
    path = write_spool(spool, name, content, kind=kind, reason=error, printer=str(target))
    return PrintResult(PrintOutcome.SPOOLED, name, path, error, argv, kind.noun, _shown(target))


def _shown(target: PrinterTarget) -> str:
    # A command line may be long and is the packer's business only when it fails.
    return "" if target.kind is PrinterKind.COMMAND else str(target)


def resend_spooled(
    document: SpooledDocument, settings: Settings, *, timeout: float = PRINT_TIMEOUT_S
) -> PrintResult:
    """Send a spooled document to its kind's printer; it leaves the spool only when printed."""
    content = document.path.read_bytes()
    try:
        target = printer_for(document.kind, settings)
    except ValueError as exc:
        return PrintResult(
            PrintOutcome.SPOOLED, document.name, document.path, str(exc), noun=document.kind.noun
        )
    if target.kind is PrinterKind.SPOOL:
        error: str | None = "no printer set"
        argv: tuple[str, ...] = ()
    else:
        error, argv = send_in_turn(target, document.name, content, timeout)
    if error is None:
        remove_spooled(document.path)
        return PrintResult(
            PrintOutcome.PRINTED,
            document.name,
            None,
            None,
            argv,
            document.kind.noun,
            _shown(target),
        )
    note_failure(document, error, str(target))
    return PrintResult(
        PrintOutcome.SPOOLED,
        document.name,
        document.path,
        error,
        argv,
        document.kind.noun,
        _shown(target),
    )
