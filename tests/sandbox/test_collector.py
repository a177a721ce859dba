"""The sandbox's own process leaves what it loaded at start out of the collector's scans."""

from __future__ import annotations

import subprocess
import sys

# In a process of its own: freezing is process-wide and would hide pytest's objects too.
SCRIPT = """
import gc, weakref
from packstation.sandbox.collector import leave_startup_out_of_collections

class Node:
    pass

def cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)

gc.disable()  # no automatic collection decides what is garbage here
dropped_at_start = cycle()
leave_startup_out_of_collections()
print(gc.get_freeze_count() > 0, dropped_at_start() is None)
later = cycle()
gc.collect()
print(later() is None)
"""


def test_start_is_frozen_its_garbage_collected_and_later_garbage_still_collected() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    frozen, start_garbage_collected, later_collected = out
    assert frozen == "True"  # what lives at start is out of the scans
    assert start_garbage_collected == "True"  # garbage of the start is not kept for good
    assert later_collected == "True"  # garbage made while serving is still collected
