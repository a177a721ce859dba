"""`packstation config`: show the effective settings and where the file lives."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add `packstation config` (completed by the foundation issue)."""
