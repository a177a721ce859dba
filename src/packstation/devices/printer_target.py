"""Where a document goes, as written in the settings: one printer address, parsed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from packstation.devices.raw_tcp import DEFAULT_PORT


class PrinterKind(StrEnum):
    """How the station reaches a printer."""

    RAW_TCP = "tcp"
    CUPS = "cups"
    IPP = "ipp"
    COMMAND = "command"
    SPOOL = "spool"


@dataclass(frozen=True)
class PrinterTarget:
    """A parsed printer address."""

    kind: PrinterKind
    address: str = ""
    """tcp: host; cups: queue; ipp: the printer URI; command: the command line."""
    port: int = 0

    def __str__(self) -> str:
        if self.kind is PrinterKind.RAW_TCP:
            return f"tcp://{self.address}:{self.port}"
        if self.kind is PrinterKind.SPOOL:
            return "spool"
        if self.kind is PrinterKind.IPP:
            return self.address
        return f"{self.kind.value}:{self.address}"


EXAMPLES = "tcp://HOST:9100, cups:QUEUE, ipp://HOST/printers/NAME, command:PROGRAM {file}, spool"


def parse_printer(spec: str) -> PrinterTarget:
    """Read a printer address; ValueError naming the forms that work."""
    text = spec.strip()
    lowered = text.lower()
    if lowered in ("", "spool", "spool:"):
        return PrinterTarget(PrinterKind.SPOOL)
    if lowered.startswith("tcp://"):
        parts = urlsplit(text)
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise ValueError(f"{spec!r}: the port must be a number") from None
        if not parts.hostname:
            raise ValueError(f"{spec!r}: no host (use tcp://HOST:9100)")
        return PrinterTarget(PrinterKind.RAW_TCP, parts.hostname, port)
    if lowered.startswith(("ipp://", "ipps://")):
        if not urlsplit(text).hostname:
            raise ValueError(f"{spec!r}: no host (use ipp://HOST/printers/NAME)")
        return PrinterTarget(PrinterKind.IPP, text)
    for prefix in ("cups:", "lp:"):
        if lowered.startswith(prefix):
            return PrinterTarget(PrinterKind.CUPS, text[len(prefix) :].strip())
    if lowered.startswith("command:"):
        command = text[len("command:") :].strip()
        if not command:
            raise ValueError(f"{spec!r}: no command after command:")
        return PrinterTarget(PrinterKind.COMMAND, command)
    raise ValueError(f"{spec!r} is not a printer address (use {EXAMPLES})")
