"""One running sandbox besides its routes: store, workflow config, locks, faults."""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import secrets
import shutil
import tempfile
import threading
import time
import tomllib
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packstation.omnium.models import OmniumOrder
from packstation.private_files import private_dir, private_file
from packstation.sandbox.engine import load_workflow_config
from packstation.sandbox.order_index import OrderFilter
from packstation.sandbox.store import SandboxStore
from packstation.sandbox.store_schema import DB_NAME

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SandboxOptions:
    """The `[sandbox]` table of the sandbox's config file."""

    queued_seconds: float = 15.0
    """How long a seeded (or newly created) `Queued` order stays queued before it becomes New."""
    max_body_bytes: int = 2_000_000
    max_concurrent_requests: int = 20
    """Per API user, as Omnium's rate limit; more answers 429 with Retry-After."""
    token_ttl_seconds: int = 864000

    @classmethod
    def from_file(cls, path: Path | None) -> SandboxOptions:
        """Read the optional `[sandbox]` table; unknown keys are an error naming them."""
        if path is None:
            return cls()
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        table = data.get("sandbox", {})
        if not isinstance(table, dict):
            raise ValueError(f"{path}: [sandbox] must be a table")
        names = {
            "queued_seconds": "queuedSeconds",
            "max_body_bytes": "maxBodyBytes",
            "max_concurrent_requests": "maxConcurrentRequests",
            "token_ttl_seconds": "tokenTtlSeconds",
        }
        known = set(names) | set(names.values())
        unknown = sorted(set(table) - known)
        if unknown:
            raise ValueError(f"{path}: unknown key(s) in [sandbox]: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for attr, camel in names.items():
            value = table.get(camel, table.get(attr))
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{path}: [sandbox] {camel} must be a non-negative number")
            values[attr] = value if attr == "queued_seconds" else int(value)
        return cls(**values)


class OrderLocks:
    """House rule 8: one writer per order; a second write meanwhile is refused at once.

    Try-lock only (nobody ever waits), so a set guarded by a thread lock is the whole lock:
    it works whatever event loop or thread the request runs on. Faults can hold a lock for a
    while without a task.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._busy: set[str] = set()
        self._held_until: dict[str, float] = {}

    def try_acquire(self, order_id: str) -> bool:
        """Take the order's lock if free; False when another operation holds it."""
        with self._guard:
            until = self._held_until.get(order_id)
            if until is not None:
                if until > time.monotonic():
                    return False
                del self._held_until[order_id]
            if order_id in self._busy:
                return False
            self._busy.add(order_id)
            return True

    def release(self, order_id: str) -> None:
        """Give the lock back."""
        with self._guard:
            self._busy.discard(order_id)

    def hold_for(self, order_id: str, seconds: float) -> None:
        """Keep the order locked for `seconds` (the `lock` fault)."""
        with self._guard:
            self._held_until[order_id] = time.monotonic() + seconds

    def is_locked(self, order_id: str) -> bool:
        """True while a write or a fault holds the order."""
        with self._guard:
            until = self._held_until.get(order_id, 0.0)
            return order_id in self._busy or until > time.monotonic()

    @contextmanager
    def held(self, order_id: str) -> Iterator[bool]:
        """`with locks.held(id) as ok:` ok is False when the lock was taken by someone else."""
        ok = self.try_acquire(order_id)
        try:
            yield ok
        finally:
            if ok:
                self.release(order_id)


class RequestGate:
    """Counts requests in flight per API user (Omnium allows 20 at once; more get 429)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._guard = threading.Lock()
        self._in_flight: dict[str, int] = {}

    def enter(self, client_id: str) -> bool:
        """Count one more request; False (and not counted) when over the limit."""
        with self._guard:
            count = self._in_flight.get(client_id, 0)
            if self._limit and count >= self._limit:
                return False
            self._in_flight[client_id] = count + 1
            return True

    def leave(self, client_id: str) -> None:
        """That request finished."""
        with self._guard:
            count = self._in_flight.get(client_id, 1) - 1
            if count <= 0:
                self._in_flight.pop(client_id, None)
            else:
                self._in_flight[client_id] = count


@dataclass
class Faults:
    """Injected server errors still to answer, per order."""

    server_errors: dict[str, int] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def fail_next_writes(self, order_id: str, count: int) -> None:
        """Make the next `count` writes to the order answer 500 (replacing any pending count)."""
        with self._guard:
            self.server_errors[order_id] = count

    def take_server_error(self, order_id: str) -> bool:
        """True (and one fewer left) when the next write to the order must fail with 500."""
        with self._guard:
            left = self.server_errors.get(order_id, 0)
            if left <= 0:
                return False
            if left == 1:
                del self.server_errors[order_id]
            else:
                self.server_errors[order_id] = left - 1
            return True


class SandboxRuntime:
    """The state of one sandbox app."""

    def __init__(
        self,
        data_dir: Path | None,
        *,
        config_path: Path | None = None,
        reset: bool = False,
        lenient: bool = False,
    ) -> None:
        self.lenient = lenient
        """Drop request fields Omnium's contract lacks instead of answering 400."""
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="packstation-sandbox-")
            data_dir = Path(self._tempdir.name)
        from_template = not (data_dir / DB_NAME).exists()
        if from_template:
            # Seeding takes a while; new stores start from a copy seeded once per process.
            # Created owner-only first: copyfile keeps an existing file's mode.
            private_file(private_dir(data_dir) / DB_NAME)
            shutil.copyfile(_seeded_template(), data_dir / DB_NAME)
        self.data_dir = data_dir
        self.options = SandboxOptions.from_file(config_path)
        self.workflow_config = load_workflow_config(config_path)
        self.store = SandboxStore.open(data_dir)
        if from_template:
            self.store.set_meta("signing_key", secrets.token_hex(32))
        self._finalizer = weakref.finalize(self, _close, self.store, self._tempdir)
        self.locks = OrderLocks()
        self.gate = RequestGate(self.options.max_concurrent_requests)
        self.faults = Faults()
        self.background_tasks: set[asyncio.Task[None]] = set()
        """Steps running after their call answered (`sandbox.background`)."""
        self.signing_key = self.store.signing_key()
        self._next_release: float | None = None
        if reset:
            self.store.wipe()
        if self.store.get_meta("seeded") is None:
            self.seed()
        elif from_template:
            self._queue_seeded()
        self._next_release = self.store.next_release()

    def close(self) -> None:
        """Close the store (and delete a private temporary store)."""
        self._finalizer()

    # --- seeding -------------------------------------------------------------------------

    def seed(self) -> None:
        """Insert the demo orders and stock (when the demo data module exists)."""
        seed_store(self.store)
        self._queue_seeded()

    def _queue_seeded(self) -> None:
        # Release times count from this store's start.
        for doc in self.store.find_orders(OrderFilter(statuses=["Queued"])):
            order = OmniumOrder.model_validate_json(doc)
            self.queue(order.id, self.options.queued_seconds, "New")

    def add_orders(self, orders: list[OmniumOrder]) -> list[str]:
        """Insert orders; queued ones get their release time. Returns the duplicate ids."""
        duplicates = self.store.insert_orders(orders)
        for order in orders:
            if order.status == "Queued" and order.id not in duplicates:
                self.queue(order.id, self.options.queued_seconds, "New")
        return duplicates

    # --- queued orders -------------------------------------------------------------------

    def queue(self, order_id: str, seconds: float, then_status: str) -> None:
        """Release the (Queued) order to `then_status` after `seconds`."""
        release_at = time.time() + seconds
        self.store.queue_order(order_id, release_at, then_status)
        if self._next_release is None or release_at < self._next_release:
            self._next_release = release_at

    def release_due(self) -> None:
        """Move the queued orders whose time has come (cheap when none is due)."""
        now = time.time()
        if self._next_release is None or self._next_release > now:
            return
        self.store.release_due(now)
        self._next_release = self.store.next_release()


_template_guard = threading.Lock()
_template_dir: tempfile.TemporaryDirectory[str] | None = None


def _seeded_template() -> Path:
    """A store file seeded with the demo data (built once per process, no release times)."""
    global _template_dir
    with _template_guard:
        if _template_dir is None:
            holder = tempfile.TemporaryDirectory(prefix="packstation-sandbox-template-")
            store = SandboxStore.open(Path(holder.name))
            try:
                seed_store(store)
            finally:
                store.close()
            _template_dir = holder
        return Path(_template_dir.name) / DB_NAME


def seed_store(store: SandboxStore) -> None:
    """Insert the demo orders and stock into `store` and mark it seeded."""
    if importlib.util.find_spec("packstation.sandbox.demo_data") is None:
        log.warning("no demo data module; the sandbox starts empty")
    else:
        # Imported only when present: a build without the demo data starts an empty sandbox.
        from packstation.sandbox import demo_data

        store.insert_orders(demo_data.demo_orders())
        store.set_stock_many(demo_data.demo_stock())
    store.set_meta("seeded", "1")


def _close(store: SandboxStore, tempdir: tempfile.TemporaryDirectory[str] | None) -> None:
    store.close()
    if tempdir is not None:
        tempdir.cleanup()
