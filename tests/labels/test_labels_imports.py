"""labels stays free of storage, UI and the sandbox (DESIGN: dependency direction)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import packstation.labels

FORBIDDEN = ("sqlite3", "textual", "packstation.sandbox", "packstation.station", "packstation.tui")


def test_importing_every_labels_module_pulls_in_nothing_forbidden() -> None:
    package_dir = Path(packstation.labels.__file__).parent
    modules = sorted(f"packstation.labels.{p.stem}" for p in package_dir.glob("*.py"))
    assert "packstation.labels.printing" in modules and "packstation.labels.sscc" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} "
        f"or any(m == f or m.startswith(f + '.') for f in {FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
