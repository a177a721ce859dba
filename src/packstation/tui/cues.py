"""Cues a packer hears across a hall: a pattern of bells per event, and an optional sound.

Accepted scans stay quiet on the bell (the banner turns green), a refusal rings once, an
aborted workflow three times in a row. `cue_commands` in the settings may add a command per
event (e.g. `aplay /usr/share/sounds/refused.wav`); it is started and never waited for, so a
slow or missing player cannot hold up the next scan.
"""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Callable
from typing import Literal

CueKind = Literal["accepted", "refused", "aborted"]

BELLS: dict[str, int] = {"accepted": 0, "refused": 1, "aborted": 3}
"""How many bells each event rings."""

BELL_GAP_SECONDS = 0.25
"""Between the bells of one pattern: close enough to read as one cue, apart enough to count."""


def ring(
    kind: CueKind, bell: Callable[[], None], later: Callable[[float, Callable[[], None]], object]
) -> None:
    """Ring the event's pattern: the first bell now, the others `BELL_GAP_SECONDS` apart."""
    for number in range(BELLS[kind]):
        if number == 0:
            bell()
        else:
            later(number * BELL_GAP_SECONDS, bell)


async def play(command: str) -> None:
    """Start the event's sound command without waiting for it (its output is discarded)."""
    argv = shlex.split(command)
    if not argv:
        return
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError:
        return  # no player installed: the bell still rang
    # Reaped in the background so it leaves no zombie; nobody waits on the scan's path.
    task = asyncio.ensure_future(process.wait())
    _reaping.add(task)
    task.add_done_callback(_reaping.discard)


_reaping: set[asyncio.Future[int]] = set()
"""Sound commands still playing (held so their reaping task is not collected early)."""
