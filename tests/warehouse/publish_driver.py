"""A station that packs and publishes until it is killed (`pack DATA_DIR DSN STATION`), or
publishes what its store still holds and exits (`drain DATA_DIR DSN STATION`)."""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

from warehouse_support import pack_order, station

from packstation.warehouse import buffer
from packstation.warehouse.connect import open_pool
from packstation.warehouse.publisher import Publisher, publish_batch


def main() -> None:
    """Run as asked on the command line."""
    mode, data_dir, dsn, station_id = sys.argv[1:5]
    store, uid = station(Path(data_dir), station_id)
    pool = open_pool(dsn, max_size=1, wait=True)
    if mode == "drain":
        while publish_batch(store, pool, uid):
            pass
        print(buffer.waiting_count(store), flush=True)
        return
    publisher = Publisher(store, pool, uid, idle=0.0)
    publisher.start()
    print("ready", flush=True)
    for n in itertools.count():
        pack_order(store, f"ORD-{station_id}-{time.time_ns()}", outcome=("aborted", "done")[n % 2])


if __name__ == "__main__":
    main()
