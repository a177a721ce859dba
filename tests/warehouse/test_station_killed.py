"""A station killed at random moments while it packs and publishes loses and doubles nothing."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from packstation.station.store import StationStore

DRIVER = Path(__file__).with_name("publish_driver.py")


def run(mode: str, data_dir: Path, dsn: str) -> subprocess.Popen[str]:
    """Start the driver station."""
    return subprocess.Popen(
        [sys.executable, str(DRIVER), mode, str(data_dir), dsn, "05"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=DRIVER.parent,
    )


def test_station_killed_at_any_moment(tmp_path: Path, warehouse_dsn: str) -> None:
    data_dir = tmp_path / "station"
    rng = random.Random(18)
    for _ in range(5):
        proc = run("pack", data_dir, warehouse_dsn)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.2, 0.6))
        proc.kill()
        proc.wait(timeout=30)
    drain = run("drain", data_dir, warehouse_dsn)
    out, _ = drain.communicate(timeout=120)
    assert out.strip() == "0"
    with StationStore.open(data_dir) as store, store.reading() as conn:
        made = conn.execute(
            "SELECT (SELECT count(*) FROM submit_requests) + (SELECT count(*) FROM results)"
            " + (SELECT count(*) FROM submits WHERE state != 'pending')"
        ).fetchone()[0]
        aborted = conn.execute("SELECT count(*) FROM results WHERE aborted = 1").fetchone()[0]
    assert made > 20
    with psycopg.connect(warehouse_dsn) as pg:
        stored = pg.execute("SELECT count(*), count(DISTINCT record_id) FROM records").fetchone()
        cases = pg.execute("SELECT count(*) FROM cases WHERE kind = 'aborted'").fetchone()
    assert stored == (made, made)
    assert cases == (aborted,)
