"""Who may sign in at a station: any badge, or only the packers the settings list."""

from __future__ import annotations

from collections.abc import Iterable

from packstation.i18n import _
from packstation.packing.commands import BADGE_PREFIX


def badge_id(badge: str) -> str:
    """The id in a badge scan (`USER-7` -> `7`); a bare id is returned trimmed."""
    text = badge.strip()
    if text.upper().startswith(BADGE_PREFIX):
        text = text[len(BADGE_PREFIX) :]
    return text.strip()


def sign_in_refusal(
    badge: str, packers: Iterable[str], supervisors: Iterable[str] = ()
) -> str | None:
    """Why this badge may not sign in to pack (None: it may). An empty `packers` allows all."""
    allowed = {badge_id(p).casefold() for p in packers}
    if not allowed:
        return None
    who = badge_id(badge)
    if who.casefold() in allowed or who.casefold() in {badge_id(s).casefold() for s in supervisors}:
        return None
    return _("Badge {badge} is not on this station's packers list: ask a supervisor").format(
        badge=who
    )
