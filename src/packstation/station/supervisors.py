"""Who is a supervisor: the id in a badge, and the settings' list of supervisors."""

from __future__ import annotations

from typing import Protocol

from packstation.i18n import _
from packstation.packing.badges import badge_id

__all__ = ["SupervisorsOnly", "badge_id", "is_supervisor", "require_supervisor"]


class SupervisorsOnly(PermissionError):
    """The badge is not a supervisor's."""


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
        raise SupervisorsOnly(_("a supervisor's id is required"))
    return who
