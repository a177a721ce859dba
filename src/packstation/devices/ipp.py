"""IPP Print-Job straight to a printer or print server (`ipp://host:631/printers/NAME`).

Only what a Print-Job needs is encoded (RFC 8010): the operation attributes and the document.
"""

from __future__ import annotations

import itertools
import struct
import time

import httpx

PRINT_JOB = 0x0002
IPP_VERSION = b"\x02\x00"
OPERATION_ATTRIBUTES = 0x01
END_OF_ATTRIBUTES = 0x03
TAG_CHARSET, TAG_LANGUAGE, TAG_URI, TAG_NAME, TAG_MIME = 0x47, 0x48, 0x45, 0x42, 0x49
SUCCESSFUL_MAX = 0x00FF
IPP_TIMEOUT_S = 30.0
MAX_ANSWER = 64 * 1024
"""Bytes of a Print-Job answer read at most (its status is in the first eight)."""

_request_ids = itertools.count(1)


def _attribute(tag: int, name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return (
        bytes([tag])
        + struct.pack(">H", len(raw_name))
        + raw_name
        + struct.pack(">H", len(raw_value))
        + raw_value
    )


def http_url(printer_uri: str) -> str:
    """The HTTP URL an `ipp://` / `ipps://` URI is reached at (port 631 by default)."""
    scheme, _, rest = printer_uri.partition("://")
    host, slash, path = rest.partition("/")
    if ":" not in host.rsplit("]", 1)[-1]:
        host += ":631"
    web = "https" if scheme.lower() == "ipps" else "http"
    return f"{web}://{host}{slash}{path}"


def print_job_request(
    printer_uri: str, content: bytes, *, job_name: str, document_format: str, user: str
) -> bytes:
    """The binary IPP Print-Job request with the document appended."""
    header = IPP_VERSION + struct.pack(">HI", PRINT_JOB, next(_request_ids))
    attributes = (
        bytes([OPERATION_ATTRIBUTES])
        + _attribute(TAG_CHARSET, "attributes-charset", "utf-8")
        + _attribute(TAG_LANGUAGE, "attributes-natural-language", "en")
        + _attribute(TAG_URI, "printer-uri", printer_uri)
        + _attribute(TAG_NAME, "requesting-user-name", user)
        + _attribute(TAG_NAME, "job-name", job_name)
        + _attribute(TAG_MIME, "document-format", document_format)
        + bytes([END_OF_ATTRIBUTES])
    )
    return header + attributes + content


def status_code(response: bytes) -> int | None:
    """The status-code of an IPP response; None when it is too short to be one."""
    if len(response) < 8:
        return None
    return int(struct.unpack(">H", response[2:4])[0])


def ipp_print(
    printer_uri: str,
    content: bytes,
    *,
    job_name: str,
    document_format: str = "application/pdf",
    user: str = "packstation",
    timeout: float = IPP_TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
) -> str | None:
    """Send one Print-Job; None when the printer accepted it, else the reason in one line."""
    body = print_job_request(
        printer_uri, content, job_name=job_name, document_format=document_format, user=user
    )
    # httpx's timeout is per read: a printer trickling its answer held the print (and, after
    # the packer stopped waiting, the printer's turn) for ever. The whole answer has a deadline.
    deadline = time.monotonic() + timeout
    answer = b""
    try:
        with (
            httpx.Client(timeout=timeout, transport=transport) as client,
            client.stream(
                "POST",
                http_url(printer_uri),
                content=body,
                headers={"Content-Type": "application/ipp"},
            ) as response,
        ):
            if response.status_code != 200:
                return f"IPP printer {printer_uri} answered HTTP {response.status_code}"
            for chunk in response.iter_bytes():
                answer += chunk
                if time.monotonic() > deadline:
                    return f"IPP printer {printer_uri} did not answer within {timeout:g} s"
                if len(answer) >= MAX_ANSWER:
                    break  # the status is in the first bytes
    except httpx.HTTPError as exc:
        return f"IPP printer {printer_uri} not reachable: {exc}"
    code = status_code(answer)
    if code is None:
        return f"IPP printer {printer_uri} sent no IPP answer"
    if code > SUCCESSFUL_MAX:
        return f"IPP printer {printer_uri} refused the job (status 0x{code:04x})"
    return None
