"""The record of carrier-booking waits: what a start takes up again, and what the clean-up keeps."""

from __future__ import annotations

from packstation.omnium.models import EntityError, OmniumOrder
from packstation.station import booking_waits
from packstation.station.booking import new_errors
from packstation.station.retention import clean_up
from packstation.station.store import StationStore

LONG_AGO = "2020-01-01T00:00:00.000000+00:00"

EARLIER = EntityError.model_validate(
    {
        "key": "Notification",
        "message": "SMS gateway down",
        "severity": "Error",
        "occurred": "2026-12-05T08:00:00.123456+00:00",
    }
)


def test_a_wait_not_ended_is_waiting_with_its_shipments_and_earlier_errors(
    store: StationStore,
) -> None:
    booking_waits.begin(store, 7, "ORD-1035", ["1", "2"], [EARLIER])
    booking_waits.begin(store, 8, "ORD-1001", ["1"], [])
    booking_waits.end(store, 8, booking_waits.DONE, "Carrier label printed (1 package)")
    [record] = booking_waits.waiting(store)
    assert (record.submit_id, record.order_id, record.shipment_ids) == (7, "ORD-1035", ["1", "2"])
    # Read back, the earlier error is still the same error: only new ones count as failures.
    order = OmniumOrder.model_validate({"id": "ORD-1035", "errors": [EARLIER.to_json_dict()]})
    assert new_errors(order, record.errors_before) == []
    assert booking_waits.state_of(store, 8) == (
        booking_waits.DONE,
        "Carrier label printed (1 package)",
    )
    assert booking_waits.state_of(store, 9) is None


def test_an_ended_wait_stays_ended(store: StationStore) -> None:
    booking_waits.begin(store, 7, "ORD-1036", ["1"], [])
    booking_waits.end(store, 7, booking_waits.FAILED, "PrintShippingLabel failed")
    booking_waits.end(store, 7, booking_waits.DONE, "later")
    assert booking_waits.state_of(store, 7) == (booking_waits.FAILED, "PrintShippingLabel failed")
    assert booking_waits.waiting(store) == []


def test_the_clean_up_removes_old_ended_waits_and_keeps_a_wait_still_open(
    store: StationStore,
) -> None:
    booking_waits.begin(store, 1, "ORD-1", ["1"], [])
    booking_waits.begin(store, 2, "ORD-2", ["1"], [])
    booking_waits.end(store, 2, booking_waits.TIMED_OUT, "no tracking number yet")
    with store.writing() as conn:
        conn.execute("UPDATE booking_waits SET started_at = ?, ended_at = ?", (LONG_AGO, LONG_AGO))
        conn.execute("UPDATE booking_waits SET ended_at = NULL WHERE submit_id = 1")
    clean_up(store.connection)
    assert [r.submit_id for r in booking_waits.waiting(store)] == [1]
    assert booking_waits.state_of(store, 2) is None
