"""Fixtures of the station tests: a store in a temporary data dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from packstation.station.store import StationStore


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StationStore]:
    """A fresh station store."""
    with StationStore.open(tmp_path / "data") as opened:
        yield opened
