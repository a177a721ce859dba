"""The journal: sessions, events in order, recovery of the unfinished session, discard."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from station_helpers import delivery_patch, small_order

from packstation.station.errors import JournalWriteFailed, SessionAlreadyOpen, SessionClosed
from packstation.station.retention import clean_up
from packstation.station.store import StationStore


def test_events_come_back_in_order_after_reopen(tmp_path: Path) -> None:
    events = [
        {"type": "packer_set", "user_id": "P7"},
        {"type": "item_packed", "line_item_id": "1", "units": "1", "package_no": 1},
        {"type": "undone"},
        {"type": "package_opened", "package_no": 2},
        {"type": "weight_set", "package_no": 2, "weight_kg": "1.25", "note": "æøå \u001d GS"},
    ]
    with StationStore.open(tmp_path) as store:
        sid = store.journal.start(small_order(), "1", None)
        seqs = [store.journal.append(sid, e) for e in events]
        assert seqs == [1, 2, 3, 4, 5]
    with StationStore.open(tmp_path) as store:
        unfinished = store.journal.unfinished_session()
        assert unfinished is not None
        assert unfinished.session_id == sid
        assert unfinished.events == events
        assert unfinished.order == small_order()
        assert unfinished.order.order_form.shipments[0].line_items[0].quantity == Decimal(3)
        assert unfinished.shipment_id == "1"
        assert unfinished.packer is None


def test_only_one_unfinished_session(store: StationStore) -> None:
    sid = store.journal.start(small_order("A"), "1", "P1")
    with pytest.raises(SessionAlreadyOpen) as caught:
        store.journal.start(small_order("B"), "1", "P1")
    assert caught.value.session_id == sid
    assert "A" in str(caught.value)


def test_finish_and_discard_close_the_session(store: StationStore) -> None:
    sid = store.journal.start(small_order("A"), "1", "P1")
    store.journal.append(sid, {"type": "x"})
    store.journal.discard(sid)
    assert store.journal.unfinished_session() is None
    assert store.journal.get(sid).state == "discarded"
    assert store.journal.events(sid) == [{"type": "x"}]  # kept for the record
    with pytest.raises(SessionClosed):
        store.journal.append(sid, {"type": "y"})
    sid2 = store.journal.start(small_order("B"), "1", "P1")
    store.journal.finish(sid2)
    assert store.journal.get(sid2).state == "finished"
    with pytest.raises(SessionClosed):
        store.journal.finish(sid2)


def test_enqueue_finishes_the_session_in_the_same_transaction(store: StationStore) -> None:
    sid = store.journal.start(small_order(), "1", "P7")
    store.journal.append(sid, {"type": "x"})
    submit_id = store.outbox.enqueue(
        "ORD-1", [delivery_patch()], packer="P7", source_shipment_id="1", session_id=sid
    )
    assert store.journal.unfinished_session() is None
    assert store.outbox.get(submit_id).session_id == sid


def test_failed_enqueue_leaves_the_session_open(store: StationStore) -> None:
    sid = store.journal.start(small_order(), "1", "P7")
    with pytest.raises(ValueError, match="userId"):
        store.outbox.enqueue(
            "ORD-1",
            [delivery_patch(packer="P8")],
            packer="P7",
            source_shipment_id="1",
            session_id=sid,
        )
    assert store.journal.unfinished_session() is not None
    assert store.outbox.pending_count() == 0


def test_non_json_event_is_refused_and_nothing_stored(store: StationStore) -> None:
    sid = store.journal.start(small_order(), "1", "P7")
    with pytest.raises(TypeError):
        store.journal.append(sid, {"units": Decimal(1)})
    with pytest.raises(ValueError):
        store.journal.append(sid, {"weight": float("nan")})
    assert store.journal.events(sid) == []


def test_set_packer(store: StationStore) -> None:
    sid = store.journal.start(small_order(), "1", None)
    store.journal.set_packer(sid, "P9")
    unfinished = store.journal.unfinished_session()
    assert unfinished is not None and unfinished.packer == "P9"


def test_appends_from_worker_threads_keep_a_dense_sequence(store: StationStore) -> None:
    sid = store.journal.start(small_order(), "1", None)

    def work(worker: int) -> None:
        for n in range(20):
            store.journal.append(sid, {"worker": worker, "n": n})

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    events = store.journal.events(sid)
    assert len(events) == 80
    for worker in range(4):
        assert [e["n"] for e in events if e["worker"] == worker] == list(range(20))
    assert store.journal.get(sid).event_count == 80


def test_clean_up_drops_only_old_closed_sessions(store: StationStore) -> None:
    old = store.journal.start(small_order("OLD"), "1", "P1")
    store.journal.append(old, {"n": 1})
    store.journal.finish(old)
    with store.writing() as conn:
        conn.execute(
            "UPDATE sessions SET ended_at = '2020-01-01T00:00:00.000000+00:00' WHERE id = ?",
            (old,),
        )
    recent = store.journal.start(small_order("NEW"), "1", "P1")
    store.journal.append(recent, {"n": 2})
    store.journal.discard(recent)
    current = store.journal.start(small_order("CUR"), "1", "P1")
    store.journal.append(current, {"n": 3})
    assert clean_up(store.connection).sessions == 1
    assert store.journal.events(old) == []
    with pytest.raises(SessionClosed):
        store.journal.get(old)
    assert store.journal.events(recent) == [{"n": 2}]
    assert store.journal.events(current) == [{"n": 3}]
    assert (
        clean_up(store.connection, timedelta(0)).sessions == 1
    )  # the discarded one; never the open one
    assert store.journal.events(current) == [{"n": 3}]
    unfinished = store.journal.unfinished_session()
    assert unfinished is not None and unfinished.order.id == "CUR"


def test_a_closed_session_keeps_no_order_copy(store: StationStore) -> None:
    sid = store.journal.start(small_order("ORD-9"), "1", "P1")
    store.journal.finish(sid)
    with store.reading() as conn:
        copies = conn.execute("SELECT count(*) FROM session_orders").fetchone()[0]
    assert copies == 0
    assert store.journal.get(sid).order_id == "ORD-9"
    assert store.journal.unfinished_session() is None


def test_a_failed_write_records_nothing_and_says_why(
    store: StationStore, full_disk: Callable[[StationStore], object]
) -> None:
    sid = store.journal.start(
        small_order("A"), "1", "P1", [{"type": "packer_set", "user_id": "P1"}]
    )
    disk = full_disk(store)
    with pytest.raises(JournalWriteFailed, match="database or disk is full") as caught:
        store.journal.append_all(sid, [{"type": "a"}, {"type": "b"}])
    assert str(caught.value).startswith("Nothing was recorded")
    with pytest.raises(JournalWriteFailed):
        store.journal.append(sid, {"type": "c"})
    assert store.journal.events(sid) == [{"type": "packer_set", "user_id": "P1"}]
    disk.full = False  # type: ignore[attr-defined]
    store.journal.append(sid, {"type": "d"})
    assert [e["type"] for e in store.journal.events(sid)] == ["packer_set", "d"]


def test_a_session_and_its_first_events_are_one_write(
    store: StationStore, full_disk: Callable[[StationStore], object]
) -> None:
    full_disk(store)
    with pytest.raises(JournalWriteFailed):
        store.journal.start(small_order("A"), "1", "P1", [{"type": "packer_set", "user_id": "P1"}])
    with store.reading() as conn:
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
