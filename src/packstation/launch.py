"""Start the station app (the app itself arrives with the station-app issue)."""

from __future__ import annotations

import argparse


def run_station(args: argparse.Namespace) -> int:
    """Open the station; until the app exists, say so plainly."""
    print("packstation: the station app is not built yet; try `packstation --help`.")
    return 0
