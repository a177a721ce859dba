"""Fixtures of the station tests: a store, and a store + in-process sandbox rig."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from station_sandbox import FaultTransport, Recorder, Rig

from packstation.omnium.client import OmniumClient
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.station.store import StationStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StationStore]:
    """A fresh station store."""
    with StationStore.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    """A store, the in-process sandbox behind a fault transport, and a client."""
    app = create_app(tmp_path / "sandbox")
    faults = FaultTransport(httpx.ASGITransport(app=app))
    with StationStore.open(tmp_path / "station") as store:
        async with OmniumClient(
            "http://sandbox.test", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=faults
        ) as client:
            yield Rig(store, faults, client, Recorder())
