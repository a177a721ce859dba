"""Crash-test driver for the outbox: sends every pending submit until done or killed.

Usage: python send_driver.py DATA_DIR BASE_URL
Prints one line per progress report ("P <submit id> <message>") and "ALL DONE" at the end.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from packstation.omnium.client import OmniumClient
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.station.progress import SubmitProgress
from packstation.station.retry_policy import RetryPolicy
from packstation.station.sender import SubmitSender
from packstation.station.store import StationStore

POLICY = RetryPolicy(base_delay=0.05, max_delay=0.2, settle_delay=1.0)


async def main(data_dir: str, base_url: str) -> int:
    """Resume the outbox; 0 when every submit is done."""

    def show(progress: SubmitProgress) -> None:
        print(f"P {progress.submit_id} {progress.message}", flush=True)

    with StationStore.open(Path(data_dir)) as store:
        async with OmniumClient(base_url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) as client:
            outcomes = await SubmitSender(store, client, POLICY).resume_pending(show)
    states = {o.state for o in outcomes}
    print("ALL DONE" if states <= {"done"} else f"STATES {states}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
