"""Send label files to their printer (the `printers` setting, or print_command), or the spool.

The command (Settings.print_command, e.g. `lp -d ZEBRA -o raw {file}`) is split with shlex and
run without a shell; `{file}` is replaced by the label's path (appended when absent). With no
printer, or when it fails, the label is kept in the spool folder so nothing is lost.
Routing, printers and the spool live in `packstation.devices`; this module renders labels.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from packstation.config import Settings
from packstation.devices.command_printer import FILE_PLACEHOLDER, build_command, print_with_command
from packstation.devices.documents import DocumentKind
from packstation.devices.print_result import PrintOutcome, PrintResult
from packstation.devices.routing import PRINT_TIMEOUT_S, print_document, spool_dir
from packstation.devices.spool import write_spool
from packstation.labels.label import LabelData, LabelSize
from packstation.labels.render import LabelFormat, label_filename, render_label

__all__ = [
    "FILE_PLACEHOLDER",
    "PRINT_TIMEOUT_S",
    "PrintOutcome",
    "PrintResult",
    "build_command",
    "print_file",
    "print_labels",
    "spool_dir",
]


def print_file(
    name: str,
    content: bytes,
    *,
    command: str,
    spool: Path,
    timeout: float = PRINT_TIMEOUT_S,
) -> PrintResult:
    """Print `content` (a file called `name`) with `command`; spool it when that is not possible."""
    if not command.strip():
        return PrintResult(PrintOutcome.SPOOLED, name, write_spool(spool, name, content))
    error, argv = print_with_command(command, name, content, timeout)
    if error is None:
        return PrintResult(PrintOutcome.PRINTED, name, None, None, argv)
    path = write_spool(spool, name, content, reason=error, printer="command")
    return PrintResult(PrintOutcome.SPOOLED, name, path, error, argv)


def print_labels(
    labels: Sequence[LabelData],
    settings: Settings,
    *,
    timeout: float = PRINT_TIMEOUT_S,
    stop: threading.Event | None = None,
) -> list[PrintResult]:
    """Render each label in the configured format and size, and print or spool it; once
    `stop` is set (the packer stopped waiting for the printer) the rest go to the spool."""
    fmt = LabelFormat(settings.label_format)
    size = LabelSize(settings.label_size)
    results: list[PrintResult] = []
    for data in labels:
        name, content = label_filename(data, fmt), render_label(data, fmt, size)
        results.append(
            print_document(
                DocumentKind.SSCC_LABEL, name, content, settings, timeout=timeout, stop=stop
            )
        )
    return results
