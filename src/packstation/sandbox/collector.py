"""The cyclic garbage collector in the sandbox's own process: what it scans, so that a full
collection does not stall every other station's request.

A full collection holds the GIL while it walks every tracked object: 90,000 of them once
FastAPI, pydantic and the contract schemas are loaded (about 140 ms on a loaded 2-core
machine), and it ran a few times during a 5,000-line submit, each time freezing the event
loop: another station's 4-line GET took up to 370 ms (issue 16 item 2). What is loaded at
start lives as long as the process, so it is moved out of the collector's scans.
"""

from __future__ import annotations

import gc


def leave_startup_out_of_collections() -> None:
    """Move what is alive once the sandbox started out of the collector's scans (own process
    only: in a station or test process it would hide their objects from the collector too)."""
    # Collected first, so that no garbage of the start is kept for good.
    gc.collect()
    gc.freeze()
