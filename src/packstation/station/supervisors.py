"""Who is a supervisor: the id in a badge, and the settings' list of supervisors."""

from __future__ import annotations

from typing import Protocol

from packstation.packing.commands import BADGE_PREFIX


class SupervisorsOnly(PermissionError):
    """The badge is not a supervisor's."""


def badge_id(badge: str) -> str:
    """The id in a badge scan (`USER-7` -> `7`); a bare id is returned trimmed."""
    text = badge.strip()
    if text.upper().startswith(BADGE_PREFIX):
        text = text[len(BADGE_PREFIX) :]
    return text.strip()


class _HasSupervisors(Protocol):
    supervisors: list[str]


def is_supervisor(badge: str, settings: _HasSupervisors) -> bool:
    """True if the badge (`USER-<id>` or the id) belongs to a supervisor in the settings."""
    who = badge_id(badge)
    return bool(who) and who in {badge_id(s) for s in settings.supervisors}


def require_supervisor(supervisor: str) -> str:
    """The supervisor's id from a badge or id; SupervisorsOnly when there is none."""
    who = badge_id(supervisor)
    if not who:
        raise SupervisorsOnly("a supervisor's id is required")
    return who
