"""Timestamps as the store writes them: ISO-8601 UTC with microseconds (sortable as text)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """A datetime as stored: UTC, fixed width, so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is local time
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """A stored timestamp back as an aware UTC datetime."""
    return datetime.fromisoformat(text)


def now_text() -> str:
    """The current time as stored."""
    return to_text(utc_now())
