"""The outbox sender: sends a submit's requests in order, exactly once, per DESIGN.

Policy ("Submitting safely"):
- outcome unknown (dropped connection after sending, read timeout, 5xx, unparsable answer):
  re-read the order; if the target shipment already holds our package ids and quantities the
  request landed (recorded as reconciled), otherwise send it again. Any earlier send whose
  outcome is unknown (also one cut short by a crash) triggers this re-read before every resend;
- not sent at all (connection refused): wait and send again, for as long as it takes;
- 409 locked: back off (exponential, capped, jittered), give up after `max_conflicts`;
- 429: wait `Retry-After`; 400 on a queued/read-only order: wait and retry (capped);
- 401: the client already renewed the token once; another 401 stops the submit;
- 403, 404, any other 400: stop and say so plainly.
A submit that stops becomes a supervisor case (state 'failed'). Cancelling the task leaves it
pending; `resume_pending` picks it up again.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, ParamSpec, Protocol, TypeVar

from packstation.i18n import _, time_text
from packstation.omnium.errors import (
    OmniumError,
)
from packstation.omnium.models import OmniumOrder
from packstation.omnium.workflow import UpdateLineItemStatusPatch, WorkflowExecutionResult
from packstation.station import outbox as ob
from packstation.station.clock import utc_now
from packstation.station.outbox import OutboxRequest, SubmitRecord
from packstation.station.outbox_lock import OutboxLock
from packstation.station.progress import WAIT_TEXT, SubmitPhase, SubmitProgress, WaitReason
from packstation.station.reconcile import request_landed
from packstation.station.retry_policy import RetryPolicy
from packstation.station.send_errors import GiveUp, RequestTally, TryAgain, after_error
from packstation.station.store import StationStore
from packstation.station.submit_outcome import (
    SubmitOutcome,
    done_text,
    result_text,
    send_outcome,
)

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

ProgressCallback = Callable[[SubmitProgress], Any]
"""Called with each report on the event loop; may return an awaitable, which is awaited."""


class WorkflowClient(Protocol):
    """What the sender needs of `OmniumClient`."""

    async def get_order(self, order_id: str) -> OmniumOrder:
        """Read an order."""
        ...

    async def order_lines_update(
        self, order_id: str, patch: UpdateLineItemStatusPatch, *, with_order: bool = True
    ) -> WorkflowExecutionResult:
        """Send one OrderLinesUpdate (`with_order=False`: the result without its order)."""
        ...


class _Stop(Exception):
    """The request cannot go through; the submit fails with this message."""


class SubmitSender:
    """Sends outbox submits through an Omnium client, reporting progress."""

    def __init__(
        self,
        store: StationStore,
        client: WorkflowClient,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        self._store = store
        self._client = client
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._now = now
        self._order_locks: dict[str, asyncio.Lock] = {}
        self._order_lock_users: dict[str, int] = {}
        self._outbox_lock = OutboxLock(store.path.parent)
        self._active_sends = 0
        self._running: dict[int, asyncio.Task[SubmitOutcome]] = {}
        self._listeners: dict[int, list[ProgressCallback]] = {}

    async def _db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        # fsync'ing commits off the event loop keeps the screen responsive.
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def resume_pending(
        self, on_progress: ProgressCallback | None = None
    ) -> list[SubmitOutcome]:
        """Send every pending submit (oldest first per order; orders in parallel)."""
        pending = await self._db(self._store.outbox.pending)
        return list(await asyncio.gather(*(self.send(s.submit_id, on_progress) for s in pending)))

    async def send(
        self, submit_id: int, on_progress: ProgressCallback | None = None
    ) -> SubmitOutcome:
        """Send one submit to the end (done or failed); a second call joins the first."""
        listeners = self._listeners.setdefault(submit_id, [])
        if on_progress is not None:
            listeners.append(on_progress)
        running = self._running.get(submit_id)
        if running is not None:
            try:
                return await asyncio.shield(running)
            finally:
                if on_progress is not None and on_progress in listeners:
                    listeners.remove(on_progress)
        task = asyncio.ensure_future(self._send(submit_id))
        self._running[submit_id] = task
        try:
            # Cancelling the caller cancels the task: the submit simply stays pending.
            return await task
        finally:
            self._running.pop(submit_id, None)
            self._listeners.pop(submit_id, None)

    async def _send(self, submit_id: int) -> SubmitOutcome:
        submit = await self._db(self._store.outbox.get, submit_id)
        self._active_sends += 1
        try:
            await self._own_outbox(submit)
            return await self._send_owned(submit)
        finally:
            self._active_sends -= 1
            if self._active_sends == 0:
                self._outbox_lock.release()

    async def _own_outbox(self, submit: SubmitRecord) -> None:
        """Wait until no other process sends this data directory's outbox."""
        waits = 0
        while not await self._db(self._outbox_lock.try_acquire):
            waits += 1
            delay = self.policy.backoff(waits, self._rng)
            await self._wait(
                submit, submit.requests[0], WaitReason.OTHER_STATION, delay, RequestTally()
            )

    async def _send_owned(self, submit: SubmitRecord) -> SubmitOutcome:
        order_id = submit.order_id
        lock = self._order_locks.setdefault(order_id, asyncio.Lock())
        self._order_lock_users[order_id] = self._order_lock_users.get(order_id, 0) + 1
        try:
            return await self._send_locked(submit, lock)
        finally:
            # The lock goes with its last user: kept, one per order piled up over a shift.
            self._order_lock_users[order_id] -= 1
            if not self._order_lock_users[order_id]:
                del self._order_lock_users[order_id]
                del self._order_locks[order_id]

    async def _send_locked(self, submit: SubmitRecord, lock: asyncio.Lock) -> SubmitOutcome:
        submit_id = submit.submit_id
        async with lock:
            # Re-read under the lock: a joiner-less earlier run may have finished it.
            submit = await self._db(self._store.outbox.get, submit_id)
            if submit.state != "pending":
                return await self._finished_outcome(submit)
            results: list[WorkflowExecutionResult | None] = []
            reconciled = False
            for request in submit.requests:
                if request.state == "done":
                    continue
                try:
                    result, was_reconciled = await self._send_request(submit, request)
                except _Stop as stop:
                    message = str(stop)
                    await self._db(self._store.outbox.fail, submit_id, request.seq, message)
                    await self._report(submit, request, SubmitPhase.FAILED, _failed(message))
                    return SubmitOutcome(
                        submit_id,
                        submit.order_id,
                        "failed",
                        results,
                        reconciled,
                        any(r is not None and r.is_aborted for r in results),
                        message,
                    )
                results.append(result)
                reconciled = reconciled or was_reconciled
            aborted = any(r is not None and r.is_aborted for r in results)
            last = submit.requests[-1]
            await self._report(submit, last, SubmitPhase.DONE, done_text(results))
            return SubmitOutcome(
                submit_id, submit.order_id, "done", results, reconciled, aborted, None
            )

    async def _finished_outcome(self, submit: SubmitRecord) -> SubmitOutcome:
        stored = await self._db(self._store.results.list, submit_id=submit.submit_id)
        results = [r.result() for r in stored]
        if submit.state == "failed":
            await self._report(
                submit, submit.requests[-1], SubmitPhase.FAILED, _failed(submit.error or "")
            )
        else:
            await self._report(submit, submit.requests[-1], SubmitPhase.DONE, done_text(results))
        return SubmitOutcome(
            submit.submit_id,
            submit.order_id,
            submit.state,
            results,
            any(r.reconciled for r in stored),
            any(r.aborted for r in stored),
            submit.error,
        )

    async def _send_request(
        self, submit: SubmitRecord, request: OutboxRequest
    ) -> tuple[WorkflowExecutionResult | None, bool]:
        """Get one request applied exactly once; (its result or None, confirmed by re-read)."""
        try:
            return await self._send_request_loop(submit, request)
        except _Landed:
            return None, True

    async def _send_request_loop(
        self, submit: SubmitRecord, request: OutboxRequest
    ) -> tuple[WorkflowExecutionResult | None, bool]:
        tally = RequestTally()
        outbox = self._store.outbox
        while True:
            maybe = await self._db(outbox.may_have_landed, submit.submit_id, request.seq)
            if maybe and await self._reconcile(submit, request, tally):
                return None, True
            n, total = request.seq, submit.request_count
            await self._report(
                submit,
                request,
                SubmitPhase.SENDING,
                _("sending request {number}/{count}").format(number=n, count=total),
                tally,
            )
            attempt = await self._db(outbox.begin_attempt, submit.submit_id, request.seq, "send")
            tally.sends += 1
            try:
                # Only the last answer's order is used (labels, the screens): reading the
                # others would make a large order's submit quadratic.
                last = request.seq == submit.request_count
                result = await self._client.order_lines_update(
                    submit.order_id, request.patch, with_order=last
                )
            except OmniumError as err:
                await self._db(
                    outbox.end_attempt,
                    attempt,
                    send_outcome(err),
                    http_status=err.status_code,
                    detail=str(err),
                )
                await self._after_error(submit, request, err, tally)
                continue
            await self._db(
                outbox.complete_request,
                submit,
                request,
                result,
                reconciled=False,
                attempt_id=attempt,
            )
            await self._report(
                submit,
                request,
                SubmitPhase.SENDING,
                _("request {number}/{count} sent: {result}").format(
                    number=n, count=total, result=result_text(result)
                ),
                tally,
                result=result,
            )
            return result, False

    async def _reconcile(
        self, submit: SubmitRecord, request: OutboxRequest, tally: RequestTally
    ) -> bool:
        """Re-read the order until it answers; True (and recorded) if the request landed."""
        outbox = self._store.outbox
        # Let a send that may still be running on the server finish first (also one begun by
        # a process that died a moment ago).
        started = await self._db(outbox.last_uncertain_send, submit.submit_id, request.seq)
        if started is not None and self.policy.settle_delay > 0:
            elapsed = (utc_now() - started).total_seconds()
            remaining = self.policy.settle_delay - max(0.0, elapsed)
            if remaining > 0:
                reason = WaitReason.TIMED_OUT if tally.timed_out else WaitReason.NO_ANSWER
                await self._wait(submit, request, reason, remaining, tally)
        while True:
            await self._report(
                submit,
                request,
                SubmitPhase.RECONCILING,
                _(
                    "reconciling: re-reading order {order_id} to see whether request "
                    "{number}/{count} arrived"
                ).format(order_id=submit.order_id, number=request.seq, count=submit.request_count),
                tally,
            )
            attempt = await self._db(
                outbox.begin_attempt, submit.submit_id, request.seq, "reconcile"
            )
            try:
                order = await self._client.get_order(submit.order_id)
            except OmniumError as err:
                await self._db(
                    outbox.end_attempt,
                    attempt,
                    ob.OUTCOME_READ_FAILED,
                    http_status=err.status_code,
                    detail=str(err),
                )
                await self._after_error(submit, request, err, tally, reading=True)
                continue
            if request_landed(order, request.patch):
                await self._db(
                    outbox.complete_request,
                    submit,
                    request,
                    None,
                    reconciled=True,
                    attempt_id=attempt,
                    attempt_outcome=ob.OUTCOME_LANDED,
                )
                await self._report(
                    submit,
                    request,
                    SubmitPhase.SENDING,
                    _("request {number}/{count} had already arrived").format(
                        number=request.seq, count=submit.request_count
                    ),
                    tally,
                )
                return True
            await self._db(outbox.end_attempt, attempt, ob.OUTCOME_NOT_LANDED, http_status=200)
            return False

    async def _after_error(
        self,
        submit: SubmitRecord,
        request: OutboxRequest,
        err: OmniumError,
        tally: RequestTally,
        *,
        reading: bool = False,
    ) -> None:
        """Wait as the policy says for this error, or raise _Stop."""
        step = after_error(
            err, tally, self.policy, self._rng, reading=reading, order_id=submit.order_id
        )
        if isinstance(step, TryAgain):
            await self._wait(submit, request, step.reason, step.delay, tally)
        elif isinstance(step, GiveUp):
            if step.last_look:
                await self._last_look(submit, request, tally)
            raise _Stop(step.message)

    async def _last_look(
        self, submit: SubmitRecord, request: OutboxRequest, tally: RequestTally
    ) -> None:
        """Before giving up: if an earlier send may have landed, check; landed = no failure."""
        if not await self._db(self._store.outbox.may_have_landed, submit.submit_id, request.seq):
            return
        try:
            order = await self._client.get_order(submit.order_id)
        except OmniumError:
            return
        if request_landed(order, request.patch):
            await self._db(
                self._store.outbox.complete_request, submit, request, None, reconciled=True
            )
            raise _Landed()

    async def _wait(
        self,
        submit: SubmitRecord,
        request: OutboxRequest,
        reason: WaitReason,
        delay: float,
        tally: RequestTally,
    ) -> None:
        next_try = self._now() + timedelta(seconds=delay)
        await self._report(
            submit,
            request,
            SubmitPhase.WAITING,
            _("waiting: {reason}, next try at {time}").format(
                reason=_(WAIT_TEXT[reason]), time=time_text(next_try, seconds=True)
            ),
            tally,
            reason=reason,
            next_try_at=next_try,
        )
        await self._sleep(delay)

    async def _report(
        self,
        submit: SubmitRecord,
        request: OutboxRequest,
        phase: SubmitPhase,
        message: str,
        tally: RequestTally | None = None,
        *,
        reason: WaitReason | None = None,
        next_try_at: datetime | None = None,
        result: WorkflowExecutionResult | None = None,
    ) -> None:
        progress = SubmitProgress(
            submit_id=submit.submit_id,
            order_id=submit.order_id,
            phase=phase,
            request_index=request.seq,
            request_count=submit.request_count,
            message=message,
            reason=reason,
            next_try_at=next_try_at,
            attempt=tally.sends if tally else 0,
            result=result,
        )
        for listener in list(self._listeners.get(submit.submit_id, [])):
            try:
                answer = listener(progress)
                if inspect.isawaitable(answer):
                    await answer
            except Exception:
                # A broken screen must not stop a submit that is half sent; it is logged.
                log.exception("progress listener failed for submit %s", submit.submit_id)


def _failed(message: str) -> str:
    return _("failed: {reason}").format(reason=message)


class _Landed(Exception):
    """Raised by _last_look: the request turned out to have landed after all."""
