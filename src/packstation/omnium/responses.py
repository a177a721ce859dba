"""Turning Omnium's error answers into typed exceptions.

Omnium's error bodies are not specified: some endpoints answer RFC 7807 ProblemDetails JSON,
some a plain string (sometimes JSON-quoted). Both become one bounded line of text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from packstation.omnium.errors import (
    BadRequest,
    Forbidden,
    OmniumError,
    OrderLocked,
    OrderNotFound,
    RateLimited,
    ServerError,
    Unauthorized,
)

MAX_MESSAGE_LENGTH = 500
"""Longest server message kept in an exception (plain-text bodies can be whole HTML pages)."""

_QUEUED_WORDS = ("queued", "read-only", "readonly", "read only")
_WHITESPACE = re.compile(r"\s+")


def is_queued_message(message: str) -> bool:
    """True when a 400's message says the order is queued or read-only."""
    lowered = message.lower()
    return any(word in lowered for word in _QUEUED_WORDS)


def _one_line(text: str) -> str:
    line = _WHITESPACE.sub(" ", text).strip()
    if len(line) > MAX_MESSAGE_LENGTH:
        line = line[: MAX_MESSAGE_LENGTH - 1].rstrip() + "…"
    return line


def _get(data: Mapping[str, Any], key: str) -> Any:
    # ProblemDetails is camelCase by the RFC, but .NET services sometimes answer PascalCase.
    for name in (key, key[:1].upper() + key[1:]):
        if name in data:
            return data[name]
    return None


def _flatten_errors(errors: Any) -> str:
    if isinstance(errors, Mapping):
        parts = []
        for key, value in errors.items():
            text = " ".join(str(v) for v in value) if isinstance(value, list) else str(value)
            parts.append(f"{key}: {text}" if key else text)
        return "; ".join(parts)
    if isinstance(errors, list):
        return "; ".join(str(e) for e in errors)
    return "" if errors is None else str(errors)


def problem_message(data: Mapping[str, Any]) -> str:
    """The human message of a ProblemDetails (or similar) JSON object."""
    head = ""
    for key in ("detail", "title", "message", "error"):
        value = _get(data, key)
        if isinstance(value, str) and value.strip():
            head = value.strip()
            break
    details = _flatten_errors(_get(data, "errors"))
    if head and details:
        return f"{head} ({details})"
    return head or details


def error_message(response: httpx.Response) -> str:
    """One bounded line saying what the server said went wrong."""
    text = response.text.strip()
    message = ""
    if text:
        try:
            data: Any = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, Mapping):
            message = problem_message(data) or text
        elif isinstance(data, str):
            message = data
        elif text.startswith("<"):
            # An HTML error page (a proxy, a load balancer): its markup helps nobody.
            message = ""
        else:
            message = text
    message = _one_line(message)
    return message or response.reason_phrase or f"HTTP {response.status_code}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), else None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if seconds == seconds and seconds != float("inf") else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def error_for_response(
    response: httpx.Response, clean: Callable[[str], str] = lambda s: s
) -> OmniumError:
    """The typed exception for a non-success answer; `clean` masks secrets in the message."""
    status = response.status_code
    message = clean(error_message(response))
    if status == 401:
        return Unauthorized(message, status_code=status)
    if status == 403:
        return Forbidden(message, status_code=status)
    if status == 404:
        return OrderNotFound(message, status_code=status)
    if status == 409:
        return OrderLocked(message, status_code=status)
    if status == 429:
        return RateLimited(
            message, retry_after=parse_retry_after(response.headers.get("Retry-After"))
        )
    if 400 <= status < 500:
        return BadRequest(message, queued=is_queued_message(message), status_code=status)
    if status >= 500:
        return ServerError(message, status_code=status)
    return OmniumError(message, status_code=status)
