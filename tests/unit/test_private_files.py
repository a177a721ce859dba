"""Files with personal data or secrets are owner-only (0600, dirs 0700), whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from packstation.devices.spool import write_spool
from packstation.omnium.models import OmniumOrder
from packstation.sandbox.process import SandboxProcess
from packstation.sandbox.runtime import SandboxRuntime
from packstation.station.store import StationStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture(params=[0o000, 0o022], ids=["umask-000", "umask-022"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run with a permissive umask: nothing may come out readable by others anyway."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_station_store_and_its_wal_are_owner_only(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data"
    with StationStore.open(data) as store:
        store.journal.start(OmniumOrder(id="ORD-1"), "1", "anna", [{"type": "x"}])
        files = sorted(p.name for p in data.iterdir())
        assert {"station.sqlite3", "station.sqlite3-wal", "station.sqlite3-shm"} <= set(files)
        assert mode(data) == 0o700
        for name in files:
            assert mode(data / name) == 0o600, name


def test_an_older_store_is_tightened_when_opened(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "data"
    StationStore.open(data).close()
    os.chmod(data, 0o755)
    os.chmod(data / "station.sqlite3", 0o644)
    StationStore.open(data).close()
    assert mode(data) == 0o700 and mode(data / "station.sqlite3") == 0o600


def test_the_label_spool_is_owner_only(tmp_path: Path, umask: int) -> None:
    spool = tmp_path / "data" / "spool"
    first = write_spool(spool, "label.zpl", b"^XA^FDKari Nordmann^XZ", reason="printer offline")
    again = write_spool(spool, "label.zpl", b"^XA^XZ")
    assert mode(spool) == 0o700
    assert mode(first) == 0o600 and mode(again) == 0o600
    notes = [p for p in spool.rglob("*") if p.is_file() and p not in (first, again)]
    assert notes
    for path in notes:
        assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_the_sandbox_store_with_its_signing_key_is_owner_only(tmp_path: Path, umask: int) -> None:
    data = tmp_path / "sandbox"
    runtime = SandboxRuntime(data)
    try:
        runtime.store.set_meta("probe", "1")  # a write: the WAL exists
        files = [p for p in data.iterdir() if p.is_file()]
        assert any(p.name.endswith("-wal") for p in files)
        assert mode(data) == 0o700
        for path in files:
            assert mode(path) == 0o600, path.name
    finally:
        runtime.close()


def test_the_sandbox_child_log_is_owner_only(tmp_path: Path, umask: int) -> None:
    child = SandboxProcess(tmp_path / "sandbox", host="127.0.0.1", port=0)
    child.start()
    try:
        assert mode(tmp_path / "sandbox") == 0o700
        assert mode(child.log_path) == 0o600
    finally:
        child.stop()
