"""Shared plumbing of the benches: a `packstation sandbox` process on loopback, its token, RSS."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import httpx

CLIENT_ID, SECRET = "demo-station", "demo-secret"


def write_config(directory: Path, latency_scale: float, sandbox: str = "") -> Path:
    """The packaged default workflows with the given latency scale (and `[sandbox]` lines)."""
    text = (resources.files("packstation.sandbox") / "default_workflows.toml").read_text()
    text, count = re.subn(
        r"(?m)^latencyScale\s*=.*$", f"latencyScale = {latency_scale}", text, count=1
    )
    if count != 1:
        raise SystemExit("default_workflows.toml has no latencyScale line to change")
    if sandbox:
        text += f"\n[sandbox]\n{sandbox}\n"
    path = directory / "bench-workflows.toml"
    path.write_text(text)
    return path


def start_server(data: Path, config: Path) -> tuple[subprocess.Popen[str], str]:
    """`packstation sandbox` on a free loopback port; returns the process and its URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "packstation",
            "sandbox",
            "--port",
            "0",
            "--data",
            str(data),
            "--config",
            str(config),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    match = re.search(r"listening on (http://\S+)", first)
    if not match:
        process.kill()
        raise SystemExit(f"the sandbox did not start: {first!r}")
    return process, match.group(1)


def token(url: str) -> str:
    """A bearer token of the demo station user."""
    answer = httpx.post(f"{url}/api/Token", params={"clientId": CLIENT_ID, "clientSecret": SECRET})
    answer.raise_for_status()
    return answer.text


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process (this one by default) in MB, from /proc."""
    path = Path(f"/proc/{pid or 'self'}/status")
    for line in path.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS in /proc: this bench needs Linux")


def verdict(ok: bool) -> str:
    """How a bench line says whether its aim holds."""
    return "holds" if ok else "MISSED"
