"""Raw TCP printing (port 9100, "JetDirect") for ZPL printers, with the `~HS` status check.

Before a label is sent the printer is asked for its host status. A printer that answers and
reports a problem (out of paper, head open, paused) is not sent the label, so it is kept in the
spool with the reason in words; one that does not answer `~HS` (not every printer speaks ZPL
status) is sent the label anyway.
"""

from __future__ import annotations

import socket
import time

from packstation.devices.zpl_status import HOST_STATUS, PrinterStatus, parse_host_status

DEFAULT_PORT = 9100
CONNECT_TIMEOUT_S = 5.0
STATUS_TIMEOUT_S = 2.0


class PrinterError(Exception):
    """The printer cannot take the document; the message says why in words."""


def _where(host: str, port: int) -> str:
    return f"{host}:{port}"


def connect(host: str, port: int, timeout: float) -> socket.socket:
    """A connection to the printer; PrinterError when it cannot be reached in time."""
    try:
        return socket.create_connection((host, port), timeout=timeout)
    except TimeoutError:
        raise PrinterError(
            f"Printer {_where(host, port)} not reachable: no answer within {timeout:g} s"
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PrinterError(f"Printer {_where(host, port)} not reachable: {reason}") from None


def read_status(conn: socket.socket, timeout: float) -> PrinterStatus | None:
    """Ask `~HS` on an open connection; None when the printer does not answer it in time."""
    conn.sendall(HOST_STATUS)
    received = b""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        conn.settimeout(left)
        try:
            chunk = conn.recv(1024)
        except TimeoutError:
            return None
        if not chunk:
            return None
        received += chunk
        status = parse_host_status(received)
        if status is not None:
            return status
    return None


def printer_status(
    host: str,
    port: int = DEFAULT_PORT,
    *,
    timeout: float = CONNECT_TIMEOUT_S,
    status_timeout: float = STATUS_TIMEOUT_S,
) -> PrinterStatus | None:
    """The printer's status; None when it does not answer `~HS`. PrinterError if unreachable."""
    with connect(host, port, timeout) as conn:
        try:
            return read_status(conn, status_timeout)
        except OSError as exc:
            raise PrinterError(
                f"Printer {_where(host, port)} dropped the connection: {exc}"
            ) from None


def send_raw(
    host: str,
    port: int,
    data: bytes,
    *,
    timeout: float = CONNECT_TIMEOUT_S,
    status_timeout: float = STATUS_TIMEOUT_S,
) -> PrinterStatus | None:
    """Send `data` when the printer is ready (or does not say); PrinterError in words if not."""
    with connect(host, port, timeout) as conn:
        try:
            status = read_status(conn, status_timeout)
            if status is not None and not status.ready:
                raise PrinterError(status.describe())
            conn.settimeout(timeout)
            conn.sendall(data)
        except TimeoutError:
            raise PrinterError(
                f"Printer {_where(host, port)} stopped taking data (timeout {timeout:g} s)"
            ) from None
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise PrinterError(
                f"Printer {_where(host, port)} dropped the connection: {reason}"
            ) from None
    return status
