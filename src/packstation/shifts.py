"""Shifts: the hours of a working shift (`06:00-14:00`) and the time range of one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from packstation.i18n import _, date_text, time_text


@dataclass(frozen=True)
class ShiftWindow:
    """The time range of a shift, in local time (end exclusive)."""

    start: datetime
    end: datetime
    name: str


def parse_hours(text: str) -> tuple[time, time]:
    """`06:00-14:00` as (start, end); an end at or before the start is on the next day."""
    start_text, sep, end_text = text.strip().partition("-")
    try:
        if not sep:
            raise ValueError(text)
        start, end = time.fromisoformat(start_text.strip()), time.fromisoformat(end_text.strip())
    except ValueError:
        raise ValueError(
            _("not a shift: {text} (use HH:MM-HH:MM, e.g. 06:00-14:00)").format(text=repr(text))
        ) from None
    return start, end


def check_hours(text: str) -> str:
    """A setting's shift hours, checked (ValueError says how to write them), trimmed."""
    parse_hours(text)
    return text.strip()


def shift_on(day: date, hours: str | None, tz: tzinfo | None = None) -> ShiftWindow:
    """The shift with these hours (`06:00-14:00`) that starts on `day`; the whole day if None."""
    zone = tz or datetime.now().astimezone().tzinfo
    if hours is None:
        start = datetime.combine(day, time(), zone)
        name = _("{day} (whole day)").format(day=date_text(day))
        return ShiftWindow(start, start + timedelta(days=1), name)
    first, last = parse_hours(hours)
    start = datetime.combine(day, first, zone)
    end = datetime.combine(day, last, zone)
    if end <= start:
        end += timedelta(days=1)
    name = f"{date_text(day)} {time_text(first)}-{time_text(last)}"
    return ShiftWindow(start, end, name)


def current_shift(now: datetime, shifts: Sequence[str] = ()) -> ShiftWindow:
    """The configured shift that `now` (aware) falls in; the whole of today without one."""
    for hours in shifts:
        for day in (now.date(), now.date() - timedelta(days=1)):
            window = shift_on(day, hours, now.tzinfo)
            if window.start <= now < window.end:
                return window
    return shift_on(now.date(), None, now.tzinfo)


def latest_shift(now: datetime, hours: str) -> ShiftWindow:
    """The latest shift with these hours that has begun by `now` (today's, else yesterday's)."""
    today = shift_on(now.date(), hours, now.tzinfo)
    return (
        today if today.start <= now else shift_on(now.date() - timedelta(days=1), hours, now.tzinfo)
    )
