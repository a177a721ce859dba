"""Waiting for a printer where the packer can stop waiting with Escape (issue 12 item 6).

Every print on a screen's behalf goes through `wait_for_printer`: package labels, carrier
labels, pickup and packing slips, after a submit's answer and on CMD-REPRINT. A printer that
takes the connection and then no data held the scans behind it for the print timeout (30 s)
per document. Stopping the wait cannot stop the thread's write, so the work is handed a stop
event: it sends nothing more once set, and a later print to that printer waits its turn for
at most its timeout (`devices.printer_turns`), so labels of two orders never mix.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from packstation.devices.routing import PRINT_TIMEOUT_S
from packstation.i18n import _, number
from packstation.tui.station import Station
from packstation.tui.waiting import Waiting

T = TypeVar("T")

PRINTER_PATIENCE = 1.0
"""Seconds a print may take before the packer is told the station waits for it."""


async def wait_for_printer(
    app: Station, waiting: Waiting | None, what: str, work: Callable[..., T]
) -> T:
    """Run `work(stop=…)` off the loop; with `waiting`, say after PRINTER_PATIENCE s that the
    station waits for the printer, and Escape stops waiting (`RequestCancelled`, the stop
    event set and the packer told)."""
    stop = threading.Event()
    printing = app.in_thread(partial(work, stop=stop))
    if waiting is None:
        result: T = await printing
        return result
    # Said only when the printer is slow: a quick print needs no message.
    slow = asyncio.get_running_loop().call_later(
        PRINTER_PATIENCE,
        lambda: app.notify(
            _("Waiting for the printer ({what})… Esc stops waiting").format(what=what),
            title=_("Printer"),
            markup=False,
        ),
    )
    try:
        return await waiting.run(_("the printer ({what})").format(what=what), printing)
    except BaseException:
        stop.set()
        raise
    finally:
        slow.cancel()


def stopped_waiting(app: Station, what: str) -> str:
    """Tell the packer the station stopped waiting for the printer; the message."""
    message = _(
        "Stopped waiting for the printer ({what}): it may still print what it got; the rest "
        "stays in the spool, and the next print waits for this one at most {seconds} s. Look "
        "at the printer; CMD-REPRINT prints again."
    ).format(what=what, seconds=number(PRINT_TIMEOUT_S))
    app.bell()
    app.notify(message, title=_("Printer"), severity="warning", timeout=15, markup=False)
    return message
