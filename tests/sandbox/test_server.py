"""SandboxServer on real loopback: restart keeps port and state; `packstation sandbox` CLI."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sandbox_support import reference_order

from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.sandbox.server import SandboxServer

TOKEN_PARAMS = {"clientId": DEMO_CLIENT_ID, "clientSecret": DEMO_CLIENT_SECRET}
DELIVER = {
    "status": "Completed",
    "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4}],
    "shipmentInfo": {"shipmentId": "1"},
}


def test_restart_on_same_port_and_data_keeps_everything(tmp_path: Path) -> None:
    server = SandboxServer(tmp_path / "data")
    server.start()
    try:
        url = server.url
        with httpx.Client(base_url=url) as client:
            token = client.post("/api/Token", params=TOKEN_PARAMS).text
            client.headers["Authorization"] = f"Bearer {token}"
            assert client.post("/api/Orders", json=reference_order("R-1")).status_code == 201
            updated = client.post("/api/Orders/R-1/OrderLinesUpdate", json=DELIVER).json()
            assert client.get("/openapi.json").status_code == 200
        server.stop()
        with httpx.Client(base_url=url) as client:
            try:
                client.get("/openapi.json", timeout=1)
                raise AssertionError("the stopped server still answers")
            except httpx.TransportError:
                pass
        server.start()
        assert server.url == url
        with httpx.Client(base_url=url) as client:
            client.headers["Authorization"] = f"Bearer {token}"  # tokens survive too
            assert client.get("/api/Orders/R-1").json() == updated["order"]
            assert client.get("/api/Orders/ORD-1001").status_code == 200
    finally:
        server.close()


def test_reset_wipes_and_reseeds(tmp_path: Path) -> None:
    with SandboxServer(tmp_path / "data") as server, httpx.Client(base_url=server.url) as c:
        c.headers["Authorization"] = f"Bearer {c.post('/api/Token', params=TOKEN_PARAMS).text}"
        assert c.post("/api/Orders", json=reference_order("R-2")).status_code == 201
    with (
        SandboxServer(tmp_path / "data", reset=True) as server,
        httpx.Client(base_url=server.url) as c,
    ):
        c.headers["Authorization"] = f"Bearer {c.post('/api/Token', params=TOKEN_PARAMS).text}"
        assert c.get("/api/Orders/R-2").status_code == 404
        assert c.get("/api/Orders/ORD-1001").status_code == 200


def test_cli_serves_prints_credentials_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        # The state goes to <data dir>/sandbox, the data dir coming from the settings.
        [
            sys.executable,
            "-m",
            "packstation",
            "--data-dir",
            str(tmp_path),
            "sandbox",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert match, first
        banner = "".join(process.stdout.readline() for _ in range(3))
        assert "demo-station / demo-secret" in banner and "demo-reader" in banner
        with httpx.Client(base_url=match.group(1)) as client:
            answer = client.post("/api/Token", params=TOKEN_PARAMS)
            assert answer.status_code == 200
        process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 15
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.returncode == 0
        _, err = process.communicate(timeout=5)
        assert "Traceback" not in err
        assert (tmp_path / "sandbox" / "sandbox.sqlite3").exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_cli_refuses_a_missing_config_file(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "packstation",
            "sandbox",
            "--data",
            str(tmp_path),
            "--config",
            str(tmp_path / "missing.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "missing.toml" in done.stderr
