"""The record of what follows a submit's answer: owed from the outbox write, each print once."""

from __future__ import annotations

from station_helpers import delivery_patch

from packstation.station import booking_waits, follow_ups
from packstation.station.store import StationStore


def _done_submit(store: StationStore, order_id: str = "ORD-1") -> int:
    """A submit whose answer is in (as a stopped run leaves it)."""
    submit_id = store.outbox.enqueue(
        order_id, [delivery_patch()], packer="P7", source_shipment_id="1"
    )
    with store.writing() as conn:
        conn.execute("UPDATE submits SET state = 'done' WHERE id = ?", (submit_id,))
    return submit_id


def test_the_outbox_write_makes_the_follow_up_owed(store: StationStore) -> None:
    pending = store.outbox.enqueue("ORD-2", [delivery_patch()], packer="P7", source_shipment_id="1")
    answered = _done_submit(store)
    # In the same transaction as the submit: no window where it is sent and not owed.
    assert follow_ups.state_of(store, pending) == follow_ups.DUE
    # A pending submit is the outbox's to finish (its resend owes the follow-up itself).
    assert follow_ups.owed(store) == [answered]
    follow_ups.close(store, answered)
    assert follow_ups.owed(store) == []


def test_a_submit_in_a_booking_wait_is_the_waits_to_take_up(store: StationStore) -> None:
    answered = _done_submit(store)
    booking_waits.begin(store, answered, "ORD-1", ["1"], [])
    assert follow_ups.owed(store) == []
    booking_waits.end(store, answered, booking_waits.DONE, "printed")
    assert follow_ups.owed(store) == [answered]


def test_a_print_step_runs_once_and_one_cut_short_is_not_run_again(store: StationStore) -> None:
    submit_id = _done_submit(store)
    step = follow_ups.PACKAGE_LABELS
    assert follow_ups.begin_step(store, submit_id, step) is None  # go ahead
    # The station stops while it prints: the next run is told it was cut short, once.
    assert follow_ups.begin_step(store, submit_id, step) == follow_ups.INTERRUPTED
    assert follow_ups.begin_step(store, submit_id, step) == follow_ups.INTERRUPTED
    carrier = follow_ups.CARRIER_LABELS
    assert follow_ups.begin_step(store, submit_id, carrier) is None
    follow_ups.end_step(store, submit_id, carrier)
    assert follow_ups.begin_step(store, submit_id, carrier) == follow_ups.DONE
