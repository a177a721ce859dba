"""One document at a time per printer, and a bounded wait for a printer still busy.

When the packer stops waiting for a hung printer (Escape), the print goes on in its thread
until its transport gives up. A later print to the same printer waits its turn here, for at
most its own timeout, instead of opening a second connection whose labels would mix with the
first job's on the paper; if the turn does not come, the document is kept in the spool with
the reason (issue 12, the printer part of item 6).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_turns: dict[str, threading.Lock] = {}
_guard = threading.Lock()


@contextmanager
def printer_turn(printer: str, timeout: float) -> Iterator[bool]:
    """Hold `printer` for one document; yields False when it stayed busy for `timeout` s."""
    with _guard:
        turn = _turns.setdefault(printer, threading.Lock())
    got = turn.acquire(timeout=max(timeout, 0.0))
    try:
        yield got
    finally:
        if got:
            turn.release()


def busy_message(printer: str, timeout: float) -> str:
    """Why a document was not sent to a printer still busy with an earlier print."""
    return (
        f"printer {printer} is still busy with an earlier print (not done within "
        f"{timeout:g} s); not sent, so the two do not mix"
    )
