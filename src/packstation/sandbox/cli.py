"""Subcommands of `packstation` for the sandbox package."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add this package's subcommands (none yet)."""
