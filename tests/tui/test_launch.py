"""`station_app`: the embedded sandbox when no Omnium is set (a child process, or a thread
where sockets cannot be passed to a child), the configured Omnium otherwise."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from packstation import launch
from packstation.config import Settings
from packstation.sandbox import process


def token_status(url: str) -> int:
    """The answer of the sandbox's token endpoint to the demo credentials."""
    reply = httpx.post(
        f"{url}/api/Token",
        params={"clientId": "demo-station", "clientSecret": "demo-secret"},
        timeout=60,
    )
    return reply.status_code


def test_no_omnium_configured_runs_the_sandbox_as_a_child_until_the_app_is_done(
    tmp_path: Path,
) -> None:
    with launch.station_app(Settings(data_dir=tmp_path)) as app:
        child = app.services.sandbox_process
        assert isinstance(child, process.SandboxProcess) and child.running
        assert app.services.sandbox
        url = app.client.base_url
        assert token_status(url) == 200
    assert not child.running
    with pytest.raises(httpx.TransportError):
        token_status(url)


def test_without_socket_passing_the_sandbox_serves_from_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(process, "CAN_PASS_SOCKETS", False)
    with launch.station_app(Settings(data_dir=tmp_path)) as app:
        assert app.services.sandbox_process is None
        assert app.services.sandbox
        url = app.client.base_url
        assert token_status(url) == 200
    with pytest.raises(httpx.TransportError):
        token_status(url)


def test_a_configured_omnium_starts_no_sandbox(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_url="http://127.0.0.1:9", client_id="x")
    with launch.station_app(settings) as app:
        assert app.services.sandbox_process is None
        assert not app.services.sandbox
        assert app.client.base_url == "http://127.0.0.1:9"
    assert not (tmp_path / "sandbox").exists()
