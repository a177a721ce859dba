"""Giving memory the station no longer uses back to the system.

A large order's submit parses the order more than once (about 29 MB a copy at 5,000 lines).
Once the submit is done Python frees those objects, but the C allocator (glibc) keeps most of
the freed pages for later: resident memory stayed about 20 MB higher than needed after a
large order, for the rest of the shift (issue 16 item 3). `malloc_trim` hands them back.
Other C libraries have no such call; there this does nothing.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable


def _find_trim() -> Callable[[int], int] | None:
    try:
        # The C library the interpreter runs on (dlopen(NULL)), not a search for one.
        libc = ctypes.CDLL(None)
    except (OSError, TypeError):  # TypeError: Windows has no "the program itself"
        return None
    trim: Callable[[int], int] | None = getattr(libc, "malloc_trim", None)
    return trim


_TRIM = _find_trim()


def return_freed_memory() -> bool:
    """Hand the C heap's free pages back to the system; False where the C library cannot.

    Takes a few milliseconds on a large heap (ctypes lets go of the GIL meanwhile): call it
    from a worker thread."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
