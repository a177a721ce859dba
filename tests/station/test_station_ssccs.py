"""Every SSCC the station issues is recorded; one from its range it did not issue is a desk case."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from station_helpers import delivery_patch, small_order

from packstation.labels.sscc import SsccAllocator, in_station_range
from packstation.omnium.models import OmniumOrder, ShipmentPackage
from packstation.station.db import database_path
from packstation.station.migrations import migrate
from packstation.station.ssccs import find_conflicts, issued_for, report, unused_ssccs
from packstation.station.store import StationStore
from packstation.station.supervisor_cases import station_cases

PREFIX, STATION = "7012345", "01"
ours = SsccAllocator(PREFIX, STATION, lambda: 0)
OURS_1, OURS_2, OURS_3 = ours.sscc_for(1), ours.sscc_for(2), ours.sscc_for(3)
OTHER_STATION = SsccAllocator(PREFIX, "02", lambda: 0).sscc_for(1)


def with_packages(order: OmniumOrder, *ssccs: str) -> OmniumOrder:
    """The order with packages of these SSCCs on its shipment."""
    order = order.model_copy(deep=True)
    order.order_form.shipments[0].packages = [ShipmentPackage(id=s, barcode=s) for s in ssccs]
    return order


def test_the_range_is_prefix_and_station_id() -> None:
    assert in_station_range(OURS_1, PREFIX, STATION)
    assert not in_station_range(OTHER_STATION, PREFIX, STATION)
    assert not in_station_range(OURS_1, "7012346", STATION)
    assert not in_station_range("not-an-sscc", PREFIX, STATION)
    assert not in_station_range(OURS_1[:-1] + str((int(OURS_1[-1]) + 1) % 10), PREFIX, STATION)


def test_every_package_sscc_of_a_submit_is_recorded_with_it(store: StationStore) -> None:
    store.outbox.enqueue(
        "ORD-1",
        [delivery_patch(sscc=OURS_1), delivery_patch(sscc=OURS_2, delivered=(("2", 2),))],
        packer="P7",
        source_shipment_id="1",
    )
    assert issued_for(store, OURS_1) == "ORD-1" and issued_for(store, OURS_2) == "ORD-1"
    assert issued_for(store, OURS_3) is None


def test_an_sscc_of_ours_we_did_not_issue_is_a_desk_case_once(store: StationStore) -> None:
    store.outbox.enqueue(
        "ORD-1", [delivery_patch(sscc=OURS_1)], packer="P7", source_shipment_id="1"
    )
    # Our own package on its order, another station's, and anything foreign: no alarm.
    clean = with_packages(small_order("ORD-1"), OURS_1, OTHER_STATION, "123")
    assert find_conflicts(store, clean, PREFIX, STATION) == []
    # A number from our range we never issued, and one we issued for another order.
    twin = with_packages(small_order("ORD-2"), OURS_2, OURS_1)
    found = find_conflicts(store, twin, PREFIX, STATION)
    assert [(c.sscc, c.issued_for) for c in found] == [(OURS_2, None), (OURS_1, "ORD-1")]
    assert "Duplicated station id?" in found[0].message
    assert "never issued it" in found[0].message
    assert "issued it for order ORD-1" in found[1].message
    assert report(store, found) == found
    assert report(store, find_conflicts(store, twin, PREFIX, STATION)) == []  # once each
    cases = [c for c in station_cases(store) if c.kind == "sscc_conflict"]
    assert [(c.order_id, c.extra["sscc"]) for c in cases] == [("ORD-2", OURS_2), ("ORD-2", OURS_1)]
    assert all(c.error and "station id 01" in c.error for c in cases)


def test_ssccs_sent_before_the_upgrade_are_known_after_it(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    tmp_path.mkdir(exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=3)
    conn.execute(
        "INSERT INTO submits (id, order_id, source_shipment_id, packer, created_at)"
        " VALUES (1, 'ORD-OLD', '1', 'P7', '2026-11-01T08:00:00+00:00')"
    )
    patch = json.dumps(delivery_patch(sscc=OURS_3).to_json_dict())
    conn.execute(
        "INSERT INTO submit_requests (submit_id, seq, kind, target_shipment_id, patch_json)"
        " VALUES (1, 1, 'deliver', '1', ?)",
        (patch,),
    )
    conn.close()
    with StationStore.open(tmp_path) as store:
        assert issued_for(store, OURS_3) == "ORD-OLD"
        old = with_packages(small_order("ORD-OLD"), OURS_3)
        assert find_conflicts(store, old, PREFIX, STATION) == []


def test_a_new_package_never_takes_a_number_on_the_order_or_issued_before(
    store: StationStore,
) -> None:
    store.outbox.enqueue(
        "ORD-1", [delivery_patch(sscc=OURS_2)], packer="P7", source_shipment_id="1"
    )
    counter = iter(range(1, 10))
    allocate = SsccAllocator(PREFIX, STATION, lambda: next(counter)).allocate
    # OURS_1 is on the order (a twin station's), OURS_2 was issued here already.
    source = unused_ssccs(store, allocate, with_packages(small_order("ORD-2"), OURS_1))
    assert source() == OURS_3
