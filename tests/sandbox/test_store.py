"""The SQLite store: buffered workflow state, concurrent runs, dry runs, counters, tokens."""

from __future__ import annotations

import concurrent.futures
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from sandbox_support import reference_order

from packstation.omnium.models import OmniumOrder
from packstation.sandbox.order_index import OrderFilter
from packstation.sandbox.order_json import LINES_PER_SLICE, order_to_json
from packstation.sandbox.run_state import RunState
from packstation.sandbox.state import SandboxState
from packstation.sandbox.store import SandboxStore
from packstation.sandbox.stored_doc import COMPRESS_ABOVE, packed, unpacked


def open_store(tmp_path: Path) -> SandboxStore:
    store = SandboxStore.open(tmp_path)
    store.set_stock("WH", "SKU", Decimal(10))
    store.insert_orders([OmniumOrder.model_validate(reference_order("S-1"))])
    return store


def test_run_state_is_a_sandbox_state(tmp_path: Path) -> None:
    state: SandboxState = RunState(open_store(tmp_path))
    assert state.get_stock("WH", "SKU") == 10
    assert state.get_stock("WH", "OTHER") is None


def test_writes_are_buffered_until_saved_with_the_order(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    run = RunState(store)
    run.set_stock("WH", "SKU", Decimal(7))
    run.record_reduction("S-1", "1", "4", Decimal(3))
    run.add_notification("S-1", "email", "kari@example.com", "sent")
    # The run sees its own writes; the store does not yet.
    assert run.get_stock("WH", "SKU") == 7
    assert run.reduced_quantity("S-1", "1", "4") == 3
    assert store.get_stock("WH", "SKU") == 10
    assert store.reduced_quantity("S-1", "1", "4") == 0
    assert store.notifications("S-1") == []

    order = store.get_order("S-1")
    assert order is not None
    order.status = "Completed"
    store.save_order(order, run)
    assert store.get_stock("WH", "SKU") == 7
    assert store.reduced_quantity("S-1", "1", "4") == 3
    assert [n.message for n in store.notifications("S-1")] == ["sent"]
    saved = store.get_order("S-1")
    assert saved is not None and saved.status == "Completed"


def test_concurrent_runs_on_one_sku_do_not_lose_stock_updates(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    first, second = RunState(store), RunState(store)
    # Both read 10 before either commits (their workflows overlap in time).
    first.set_stock("WH", "SKU", first.get_stock("WH", "SKU") - 2)  # type: ignore[operator]
    second.set_stock("WH", "SKU", second.get_stock("WH", "SKU") - 3)  # type: ignore[operator]
    order = store.get_order("S-1")
    assert order is not None
    store.save_order(order, first)
    store.save_order(order, second)
    assert store.get_stock("WH", "SKU") == 5


def test_tracking_numbers_never_repeat_and_dry_runs_take_none(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    real = [RunState(store).next_tracking_number("Bring") for _ in range(3)]
    assert len(set(real)) == 3 and all(n.startswith("BR") for n in real)
    dry = RunState(store, dry_run=True)
    previews = [dry.next_tracking_number("Bring") for _ in range(2)]
    assert len(set(previews)) == 2
    assert store.peek_counter("tracking") == 3
    assert RunState(store).next_tracking_number("Bring") not in real


def test_a_dry_run_state_refuses_to_be_committed(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    dry = RunState(store, dry_run=True)
    dry.set_stock("WH", "SKU", Decimal(0))
    order = store.get_order("S-1")
    assert order is not None
    with pytest.raises(RuntimeError):
        store.save_order(order, dry)
    assert store.get_stock("WH", "SKU") == 10


def test_tokens_can_be_revoked_all_at_once(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.add_token("a", "demo-station", 2**40)
    store.add_token("b", "demo-reader", 2**40)
    assert store.token_active("a") and store.token_active("b")
    assert not store.token_active("never-issued")
    assert store.revoke_all_tokens() == 2
    assert not store.token_active("a") and not store.token_active("b")


def test_state_survives_reopening(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    key = store.signing_key()
    store.close()
    again = SandboxStore.open(tmp_path)
    assert again.signing_key() == key
    assert again.get_stock("WH", "SKU") == 10
    assert again.order_ids() == ["S-1"]


def test_reads_do_not_wait_for_a_write_in_progress(tmp_path: Path) -> None:
    # A GET or a token check must not wait while a large order is being saved (issue 16).
    store = open_store(tmp_path)
    order = store.get_order("S-1")
    assert order is not None
    started, release = threading.Event(), threading.Event()

    def slow_write() -> None:
        with store._tx() as c:
            c.execute("UPDATE orders SET status='Writing' WHERE id='S-1'")
            started.set()
            release.wait(10)

    writer = threading.Thread(target=slow_write)
    writer.start()
    try:
        assert started.wait(10)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            read = pool.submit(store.get_order_json, "S-1")
            # The committed order, while the writer still holds its transaction open.
            assert read.result(timeout=5) == order_to_json(order)
            assert pool.submit(store.token_active, "nobody").result(timeout=5) is False
    finally:
        release.set()
        writer.join()
    assert store.count_orders(OrderFilter(statuses=["Writing"])) == 1


def test_order_json_written_in_slices_is_pydantic_s_text(tmp_path: Path) -> None:
    doc = reference_order("BIG")
    line = doc["orderForm"]["lineItems"][0]
    lines = [dict(line, lineItemId=str(n), code=f"C-{n}") for n in range(3 * LINES_PER_SLICE + 7)]
    doc["orderForm"]["lineItems"] = lines
    shipments = doc["orderForm"]["shipments"]
    doc["orderForm"]["shipments"] = [
        dict(shipments[0], lineItems=lines[:500]),
        dict(shipments[0], shipmentId="2", lineItems=lines[500:]),
        dict(shipments[0], shipmentId="3", lineItems=[]),
    ]
    doc["someFieldOmniumHas"] = {"lineItems": ["kept as it is"]}
    order = OmniumOrder.model_validate(doc)
    assert order_to_json(order) == order.model_dump_json(by_alias=True)
    assert OmniumOrder.model_validate_json(order_to_json(order)) == order


def large_order(order_id: str, lines: int) -> OmniumOrder:
    doc = reference_order(order_id)
    line = doc["orderForm"]["lineItems"][0]
    items = [dict(line, lineItemId=str(n), code=f"C-{n}") for n in range(lines)]
    doc["orderForm"]["lineItems"] = items
    doc["orderForm"]["shipments"] = [dict(doc["orderForm"]["shipments"][0], lineItems=items)]
    return OmniumOrder.model_validate(doc)


def stored_types(store: SandboxStore) -> dict[str, str]:
    with sqlite3.connect(store.path) as conn:
        return dict(conn.execute("SELECT id, typeof(doc) FROM orders WHERE id LIKE 'S-%'"))


def test_a_large_order_is_stored_compressed_and_read_back_as_written(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    big = large_order("S-BIG", 400)
    assert len(order_to_json(big)) > COMPRESS_ABOVE
    store.insert_orders([big])
    assert stored_types(store) == {"S-1": "text", "S-BIG": "blob"}
    assert store.get_order_json("S-BIG") == order_to_json(big)

    # Written again (as a workflow call saves it), found by search, released from the queue.
    order = store.take_order("S-BIG")
    assert order is not None
    order.status = "Queued"
    assert store.save_order(order) == store.get_order_json("S-BIG")
    assert stored_types(store)["S-BIG"] == "blob"
    found = store.find_orders(OrderFilter(statuses=["Queued"]), limit=5)
    assert found == [order_to_json(order)]
    store.queue_order("S-BIG", 0.0, "New")
    assert store.release_due(1.0) == ["S-BIG"]
    released = store.get_order("S-BIG")
    assert released is not None and released.status == "New"
    assert released.order_form.line_items == big.order_form.line_items
    store.close()
    reopened = SandboxStore.open(tmp_path)
    assert reopened.get_order_json("S-BIG") == order_to_json(released)
    reopened.close()


def test_stored_documents_unpack_to_their_text() -> None:
    small, large = '{"id":"A"}', '{"id":"B","x":"' + "é" * COMPRESS_ABOVE + '"}'
    assert packed(small) == small
    assert isinstance(packed(large), bytes) and len(packed(large)) < len(large) / 10
    assert unpacked(packed(small)) == small
    assert unpacked(packed(large)) == large
