"""Cues across a hall (issue 15, item 11): the bell pattern and the sound command of each event
(accepted, refused, aborted), on scans, refusals, a foreground abort and a background alert."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tui_support import SIZE, burst, open_order, scans, settle, wait_for, workflow_done

from packstation.tui.alerts import Alert
from packstation.tui.app import StationApp
from packstation.tui.cues import BELL_GAP_SECONDS, CueKind, play, ring

WEIGHT = "3103000500"


def sound(log: Path, kind: str) -> str:
    """A `cue_commands` entry that appends `kind` to `log` (a player stand-in)."""
    script = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + '\\n')"
    return shlex.join([sys.executable, "-c", script, str(log), kind])


def played(log: Path) -> list[str]:
    """The events whose sound command ran, in order."""
    return log.read_text().split() if log.exists() else []


async def until(predicate: Callable[[], bool]) -> None:
    """Return once `predicate` holds (the caller bounds the wait)."""
    while not predicate():  # noqa: ASYNC110 - a file, not an event, says the player ran
        await asyncio.sleep(0.02)


@pytest.mark.parametrize(
    ("kind", "bells", "delays"),
    [
        ("accepted", 0, []),
        ("refused", 1, []),
        ("aborted", 3, [BELL_GAP_SECONDS, 2 * BELL_GAP_SECONDS]),
    ],
)
def test_each_event_rings_its_own_bell_pattern(
    kind: CueKind, bells: int, delays: list[float]
) -> None:
    now: list[str] = []
    later: list[float] = []
    ring(kind, lambda: now.append("bell"), lambda delay, _bell: later.append(delay))
    assert (len(now) + len(later), later) == (bells, delays)


async def test_a_sound_command_runs_and_a_missing_player_is_no_error(tmp_path: Path) -> None:
    log = tmp_path / "sounds.log"
    await play(sound(log, "refused"))
    await play("")  # nothing configured: nothing runs
    await play(str(tmp_path / "no-such-player") + " x.wav")  # not installed: the bell suffices
    await asyncio.wait_for(until(lambda: bool(played(log))), 15)
    assert played(log) == ["refused"]


async def test_scans_refusals_aborts_and_alerts_play_their_sound_and_bells(
    station: Callable[..., StationApp], tmp_path: Path
) -> None:
    log = tmp_path / "sounds.log"
    commands = {kind: sound(log, kind) for kind in ("accepted", "refused", "aborted")}
    app = station(cue_commands=commands)
    bells: list[str] = []
    app.bell = lambda: bells.append("bell")  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1017", packer="anna")
        del bells[:]
        log.unlink(missing_ok=True)  # the badge and the order's own cues
        # An accepted scan: no bell, the accepted sound.
        line = pack.session.lines()[0]
        item = line.ean or line.code or ""
        burst(app, scans(*[item] * int(line.packable)))
        await settle(pilot, app)
        await wait_for(pilot, lambda: played(log)[-1:] == ["accepted"])
        assert bells == []
        # A refused scan (more than ordered): one bell and the refused sound.
        log.unlink()
        burst(app, scans(item))
        await settle(pilot, app)
        await wait_for(pilot, lambda: played(log) == ["refused"])
        assert bells == ["bell"]
        # A refused command scan rings like any refusal.
        log.unlink()
        burst(app, scans("CMD-SUBMIT"))  # no weight yet: refused with the reason
        await settle(pilot, app)
        await wait_for(pilot, lambda: played(log) == ["refused"])
        assert bells == ["bell", "bell"]
        # ORD-1017 aborts (its label cannot be printed): three bells, the aborted sound.
        log.unlink()
        burst(app, scans(WEIGHT, "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = await workflow_done(pilot, app)
        assert flow.tracker.aborted
        await wait_for(pilot, lambda: "aborted" in played(log))
        await wait_for(pilot, lambda: len(bells) == 5)
        # The weight and the submit were accepted, then the workflow aborted (the players may
        # finish in any order).
        assert sorted(played(log)) == ["aborted", "accepted", "accepted"]
        # A background outcome's alert gives the aborted cue too.
        log.unlink()
        app.raise_alert(Alert("ORD-1", "Set ORD-1 aside: booking failed"))
        await wait_for(pilot, lambda: played(log) == ["aborted"])
        await wait_for(pilot, lambda: len(bells) == 8)
