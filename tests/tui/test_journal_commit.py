"""A scan's events reach the journal in one commit: all of them or none."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from packstation.omnium.models import OmniumOrder
from packstation.packing.events import DimensionsSet, WeightSet, event_to_dict
from packstation.packing.outcome import Outcome
from packstation.station.store import StationStore
from packstation.tui.flow import journal


async def _in_thread(func: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(func, *args)


async def test_a_measuring_scan_is_journaled_in_one_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StationStore.open(tmp_path)
    try:
        sid = store.journal.start(OmniumOrder(id="ORD-1"), "1", "anna")

        def one_at_a_time(*_args: object) -> None:
            raise AssertionError("events of one scan must not be committed one by one")

        # A scan carrying dimensions and weight makes two events; a crash between two
        # separate commits would leave a state no scan sequence can produce.
        monkeypatch.setattr(store.journal, "append", one_at_a_time)
        events = (
            DimensionsSet(package_no=1, length_cm=40, width_cm=30, height_cm=20),
            WeightSet(package_no=1, weight_kg=Decimal("2.5")),
        )
        app = SimpleNamespace(store=store, in_thread=_in_thread)
        await journal(app, sid, Outcome(events=events))  # type: ignore[arg-type]
        unfinished = store.journal.unfinished_session()
        assert unfinished is not None
        assert unfinished.events == [event_to_dict(e) for e in events]
    finally:
        store.close()
