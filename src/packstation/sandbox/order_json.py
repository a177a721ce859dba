"""How the sandbox writes orders and dates: Omnium's camelCase JSON and ISO-8601 UTC.

An order's JSON is written a slice of lines at a time: pydantic writes a model's JSON in one
call that holds the GIL throughout, 30-40 ms for a 5,000-line order, during which no other
thread of the sandbox runs, so another station's GET of a small order waits for it (issue 16
item 2). Between two slices other threads get their turn. The text is the same as
`order.model_dump_json(by_alias=True)`.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from pydantic import TypeAdapter

from packstation.omnium.models import OmniumOrder, OrderLine

LINES_PER_SLICE = 200
"""Lines written in one call (about 1.5 ms each)."""

_LINES = TypeAdapter(list[OrderLine])


def utc_now_iso() -> str:
    """Now as Omnium writes dates (ISO-8601, UTC)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def order_to_json(order: OmniumOrder) -> str:
    """The stored (and answered) JSON of an order: camelCase, every field."""
    form = order.order_form
    lists = [form.line_items, *(s.line_items for s in form.shipments)]
    if sum(len(lines) for lines in lists) <= LINES_PER_SLICE:
        return order.model_dump_json(by_alias=True)
    # The skeleton holds a random marker where each line list goes (a marker no order's text
    # can hold by chance); each list is written in slices and put in its marker's place.
    marker = secrets.token_hex(16)
    skeleton = order.model_copy(
        update={
            "order_form": form.model_copy(
                update={
                    "line_items": [f"{marker}-0"],
                    "shipments": [
                        s.model_copy(update={"line_items": [f"{marker}-{n}"]})
                        for n, s in enumerate(form.shipments, start=1)
                    ],
                }
            )
        }
    )
    # warnings=False: the markers are strings where lines belong, written as they are.
    text = skeleton.model_dump_json(by_alias=True, warnings=False)
    written = [_lines_json(lines) for lines in lists]
    return re.sub(rf'\["{marker}-(\d+)"\]', lambda m: written[int(m.group(1))], text)


def _lines_json(lines: list[OrderLine]) -> str:
    """A JSON array of the lines, written LINES_PER_SLICE at a time."""
    parts = [
        _LINES.dump_json(lines[start : start + LINES_PER_SLICE], by_alias=True)[1:-1].decode()
        for start in range(0, len(lines), LINES_PER_SLICE)
    ]
    return "[" + ",".join(parts) + "]"
