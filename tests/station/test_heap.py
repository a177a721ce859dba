"""Handing freed memory back to the system after a submit."""

from __future__ import annotations

import platform

from packstation.station.heap import return_freed_memory


def test_freed_memory_is_handed_back_where_the_c_library_can() -> None:
    # glibc has malloc_trim (the station's usual home); musl, macOS and Windows do not.
    assert return_freed_memory() is (platform.libc_ver()[0] == "glibc")
