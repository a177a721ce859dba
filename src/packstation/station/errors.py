"""Typed errors of the station's store: each has a one-line message fit for the screen."""

from __future__ import annotations

import errno
from pathlib import Path

from packstation.i18n import _


class StoreError(Exception):
    """Base of every error the station store raises."""


class StoreUnusable(StoreError):
    """The database file is damaged or not ours (left in place: opened without setting aside)."""

    def __init__(self, path: Path, reason: str, message: str | None = None) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            message
            or _("Station database {path} is unusable ({reason})").format(path=path, reason=reason)
        )


class StoreSetAside(StoreUnusable):
    """The database file was damaged or not ours; it was renamed so a fresh one can be made."""

    def __init__(self, path: Path, moved_to: Path, reason: str) -> None:
        self.moved_to = moved_to
        super().__init__(
            path,
            reason,
            _(
                "Station database {path} is unusable ({reason}); "
                "moved aside to {moved_to}, a new one will be created"
            ).format(path=path, reason=reason, moved_to=moved_to.name),
        )


class StoreTooNew(StoreError):
    """The database was written by a newer packstation; it is left untouched."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        self.path = path
        self.found = found
        self.supported = supported
        super().__init__(
            _(
                "Station database {path} has schema version {found}, this packstation knows "
                "up to {supported}; upgrade packstation (the file was left untouched)"
            ).format(path=path, found=found, supported=supported)
        )


class SessionAlreadyOpen(StoreError):
    """A packing session is still unfinished; resume or discard it before starting another."""

    def __init__(self, session_id: int, order_id: str) -> None:
        self.session_id = session_id
        self.order_id = order_id
        super().__init__(
            _(
                "Session {session_id} for order {order_id} is unfinished; "
                "resume or discard it first"
            ).format(session_id=session_id, order_id=order_id)
        )


class SessionClosed(StoreError):
    """The session was already finished or discarded, or does not exist."""


class JournalWriteFailed(StoreError):
    """The journal could not be written (disk full, read-only, I/O error): nothing was recorded."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            _("Nothing was recorded: the station could not write its journal ({reason})").format(
                reason=reason
            )
        )


def disk_full(err: BaseException) -> bool:
    """True when a store write failed because the disk (or the database's quota) is full."""
    return getattr(err, "errno", None) == errno.ENOSPC or "disk is full" in str(err).lower()


class SubmitNotRecorded(StoreError):
    """The submit could not be written to the outbox: nothing was recorded, nothing sent."""

    def __init__(self, order_id: str, reason: str, *, full: bool) -> None:
        self.order_id = order_id
        self.reason = reason
        self.full = full
        if full:
            message = _(
                "Order {order_id} NOT sent: the station's disk is full ({reason}). Nothing was "
                "recorded and nothing was sent to Omnium; the order stays open as packed. "
                "Have disk space freed on this station, then scan CMD-SUBMIT again."
            ).format(order_id=order_id, reason=reason)
        else:
            message = _(
                "Order {order_id} NOT sent: the station could not write its outbox ({reason}). "
                "Nothing was recorded and nothing was sent to Omnium; the order stays open as "
                "packed. Call a supervisor, then scan CMD-SUBMIT again."
            ).format(order_id=order_id, reason=reason)
        super().__init__(message)
