"""Crash-test driver: packs an order scan by scan, journalling each event, until killed.

Usage: python crash_driver.py DATA_DIR SCRIPT_JSON
SCRIPT_JSON holds {"order": <order JSON>, "scans": [...]}. On start the driver resumes the
unfinished session from the journal (replaying its events) or starts one, then goes on with
the scans not yet journalled (each scan yields exactly one event). After each committed
append it prints "ACK <events journalled>" and flushes: everything acknowledged must survive.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from packstation.omnium.models import OmniumOrder
from packstation.packing.events import event_to_dict
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession
from packstation.station.store import StationStore


def main(data_dir: str, script_path: str) -> int:
    """Run the scans; returns 0 when all are journalled."""
    script = json.loads(Path(script_path).read_text())
    rules = PackingRules(warehouse="WH-OSLO")
    with StationStore.open(Path(data_dir)) as store:
        unfinished = store.journal.unfinished_session()
        if unfinished is None:
            order = OmniumOrder.model_validate(script["order"])
            session = PackingSession(order, rules)
            session_id = store.journal.start(order, session.shipment.shipment_id, None)
            done = 0
        else:
            session = PackingSession.replay(unfinished.order, rules, unfinished.events)
            session_id = unfinished.session_id
            done = len(unfinished.events)
        print(f"RESUMED {done}", flush=True)
        for raw in script["scans"][done:]:
            outcome = session.handle_scan(raw)
            if len(outcome.events) != 1:
                print(f"BAD {raw!r}: {outcome.message}", flush=True)
                return 2
            seqs = store.journal.append_all(session_id, [event_to_dict(e) for e in outcome.events])
            print(f"ACK {seqs[-1]}", flush=True)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
