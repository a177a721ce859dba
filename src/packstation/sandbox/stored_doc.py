"""How an order's JSON is kept in the sandbox's `orders.doc` column: as text, or compressed
when large.

Every write of an order stores its whole document, and a 5,000-line order's is about 3 MB:
written 25 times during its submit (once per request), that was the largest part of a
request's cost after serialising it (issue 16 item 1). Compressed (zlib, fastest level) it
is about 80 KB, in under 10 ms, and zlib gives up the GIL meanwhile, so other stations'
requests go on. Small documents, the usual case, stay readable text.
"""

from __future__ import annotations

import zlib

COMPRESS_ABOVE = 64 * 1024
"""Documents longer than this (characters) are stored compressed."""

LEVEL = 1
"""zlib's fastest level: JSON of repeated line objects shrinks about 40x even so."""


def packed(doc: str) -> str | bytes:
    """What the column holds for `doc`: the text itself, or zlib-compressed UTF-8 (a BLOB)."""
    if len(doc) <= COMPRESS_ABOVE:
        return doc
    return zlib.compress(doc.encode("utf-8"), LEVEL)


def unpacked(value: str | bytes) -> str:
    """The JSON text of a stored `packed` value (text as is, a BLOB decompressed)."""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8")
