"""Fixtures of the station app tests: the app on an in-process sandbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tui_support import make_app

from packstation.omnium.client import OmniumClient
from packstation.tui.app import StationApp


@pytest.fixture
def station(omnium_client: OmniumClient, tmp_path: Path) -> Callable[..., StationApp]:
    """Build station apps on the in-process sandbox; all share one station data dir."""

    def build(**settings: Any) -> StationApp:
        return make_app(omnium_client, tmp_path / "station", **settings)

    return build
