"""Typed errors of the Omnium client: one class per way a call can fail.

Every error carries the HTTP status (None when no answer arrived) and the server's message.
None of them ever holds a credential or a token.
"""

from __future__ import annotations


class OmniumError(Exception):
    """Base of every error the Omnium client raises."""

    status_code: int | None = None

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code

    @property
    def outcome_unknown(self) -> bool:
        """True when the server may have applied the request although no success came back."""
        return False

    def __str__(self) -> str:
        prefix = f"HTTP {self.status_code}: " if self.status_code is not None else ""
        return f"{prefix}{self.message}"


class BadRequest(OmniumError):
    """400: validation failed, or the order is queued or read-only (`queued` is then True)."""

    status_code = 400

    def __init__(self, message: str, *, queued: bool = False, status_code: int = 400) -> None:
        super().__init__(message, status_code=status_code)
        self.queued = queued


class Unauthorized(OmniumError):
    """401: the token is missing, expired or rejected, or the credentials are wrong."""

    status_code = 401


class Forbidden(OmniumError):
    """403: the API user lacks the role or the store. Never retried."""

    status_code = 403


class OrderNotFound(OmniumError):
    """404: the order, or a line item named in the request, does not exist."""

    status_code = 404


class OrderLocked(OmniumError):
    """409: the order is locked by another operation (or a version/duplicate-id conflict)."""

    status_code = 409


class RateLimited(OmniumError):
    """429: too many requests; wait `retry_after` seconds before the next one."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, status_code=429)
        self.retry_after = retry_after


class ServerError(OmniumError):
    """5xx: the server failed. A workflow call may or may not have been applied."""

    status_code = 500

    @property
    def outcome_unknown(self) -> bool:
        """A 5xx may come after the change was saved, so the caller must re-read the order."""
        return True


class InvalidResponse(OmniumError):
    """A success status whose body is not what Omnium documents. The call may have applied."""

    @property
    def outcome_unknown(self) -> bool:
        """The server said yes but we cannot read what it did, so the caller must re-read."""
        return True


class OmniumUnavailable(OmniumError):
    """No answer: a timeout or a connection error. `sent` says whether the request left us.

    `timed_out` is True when the answer did not come in time (not refused or dropped).
    """

    def __init__(self, message: str, *, sent: bool, timed_out: bool = False) -> None:
        super().__init__(message, status_code=None)
        self.sent = sent
        self.timed_out = timed_out

    @property
    def outcome_unknown(self) -> bool:
        """Unknown when the request may have reached the server (read timeout, dropped reply)."""
        return self.sent
