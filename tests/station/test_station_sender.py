"""The outbox sender against the in-process sandbox, with faults injected in the transport."""

from __future__ import annotations

import asyncio

import pytest
from station_sandbox import (
    FAST,
    Fault,
    Rig,
    assert_exactly_once,
    enqueue,
    packed_session,
)

from packstation.omnium.models import OmniumOrder
from packstation.packing.decisions import Decision
from packstation.station.progress import SubmitPhase, SubmitProgress, WaitReason
from packstation.station.retry_policy import RetryPolicy
from packstation.station.sender import SubmitSender
from packstation.station.supervisor_cases import station_cases

ALL_OF_1003 = ["NH-1002", "NH-1002", "CMD-NEW-PACKAGE", "NH-1006", "NH-1014", "NH-1020"]


async def _order(rig: Rig, order_id: str = "ORD-1003") -> OmniumOrder:
    return await rig.client.get_order(order_id)


async def test_full_delivery_is_sent_once_and_recorded(rig: Rig) -> None:
    before = await _order(rig)
    session = packed_session(before, ALL_OF_1003)
    submit_id, plan = enqueue(rig.store, session)
    assert rig.store.outbox.pending_count() == 1
    assert [r.kind for r in rig.store.outbox.get(submit_id).requests] == ["deliver"]
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done" and not outcome.reconciled and not outcome.aborted
    assert rig.faults.applied_writes == 1
    assert rig.store.outbox.pending_count() == 0
    assert rig.recorder.messages[0] == "sending request 1/1"
    assert rig.recorder.reports[-1].phase is SubmitPhase.DONE
    after = await _order(rig)
    assert_exactly_once(before, after, session, plan)
    results = rig.store.results.list(order_id="ORD-1003")
    assert len(results) == 1
    assert results[0].packer == "P7" and results[0].user_id == "P7"
    assert results[0].steps and results[0].aborted is False
    assert results[0].result() is not None
    attempts = rig.store.outbox.attempts(submit_id)
    assert [(a["action"], a["outcome"]) for a in attempts] == [("send", "ok")]


async def test_keep_and_split_send_split_first_then_new_partial_shipment(rig: Rig) -> None:
    before = await _order(rig)
    session = packed_session(
        before, ["NH-1002", "NH-1006"], decisions={"4": Decision.SPLIT}
    )  # line 1 half packed (rest kept), line 3 kept, line 4 split
    submit_id, plan = enqueue(rig.store, session)
    kinds = [r.kind for r in rig.store.outbox.get(submit_id).requests]
    assert kinds == ["split", "new_shipment"]
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done"
    assert "sending request 2/2" in rig.recorder.messages
    after = await _order(rig)
    assert_exactly_once(before, after, session, plan)
    split_id = plan.split_shipments[0][1]
    split = after.shipment(split_id)
    assert split is not None and [ln.line_item_id for ln in split.line_items] == ["4"]
    assert after.shipment(plan.delivery_shipment_id) is not None


@pytest.mark.parametrize("which", [1, 2])
async def test_dropped_answer_after_apply_is_reconciled_not_resent(rig: Rig, which: int) -> None:
    before = await _order(rig)
    session = packed_session(before, ["NH-1002", "NH-1006"], decisions={"4": Decision.SPLIT})
    submit_id, plan = enqueue(rig.store, session)
    if which == 2:
        rig.faults.add(Fault("OrderLinesUpdate", "pass"))  # request 1 goes through untouched
    rig.faults.add(Fault("OrderLinesUpdate", "drop_after"))
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done"
    assert outcome.reconciled
    assert rig.faults.applied_writes == 2  # one per request, none twice
    assert any(m.startswith("reconciling") for m in rig.recorder.messages)
    records = rig.store.results.list(submit_id=submit_id)
    assert [r.reconciled for r in records] == [which == 1, which == 2]
    after = await _order(rig)
    assert_exactly_once(before, after, session, plan)


async def test_dropped_answer_on_delivery_to_existing_shipment(rig: Rig) -> None:
    before = await _order(rig)
    session = packed_session(before, ALL_OF_1003)
    submit_id, plan = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "drop_after"))
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done" and outcome.reconciled
    assert rig.faults.applied_writes == 1
    outcomes = [a["outcome"] for a in rig.store.outbox.attempts(submit_id)]
    assert outcomes == ["unknown", "landed"]
    # It let the server finish before re-reading, and said so.
    assert len(rig.recorder.delays) == 1 and 0 < rig.recorder.delays[0] <= FAST.settle_delay
    assert [r.reason for r in rig.recorder.reports if r.reason] == [WaitReason.NO_ANSWER]
    assert_exactly_once(before, await _order(rig), session, plan)


async def test_server_error_without_apply_is_resent_after_reconciling(rig: Rig) -> None:
    before = await _order(rig)
    session = packed_session(before, ALL_OF_1003)
    submit_id, plan = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "answer", status=503))
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done" and not outcome.reconciled
    outcomes = [a["outcome"] for a in rig.store.outbox.attempts(submit_id)]
    assert outcomes == ["unknown", "not_landed", "ok"]
    assert rig.faults.applied_writes == 1
    assert WaitReason.SERVER_ERROR in [r.reason for r in rig.recorder.reports]
    assert_exactly_once(before, await _order(rig), session, plan)


async def test_refused_connection_waits_and_sends(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "refuse"), Fault("OrderLinesUpdate", "refuse"))
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done"
    waits = [r for r in rig.recorder.reports if r.phase is SubmitPhase.WAITING]
    assert [w.reason for w in waits] == [WaitReason.UNREACHABLE] * 2
    # Not sent at all: no reconcile needed.
    actions = [(a["action"], a["outcome"]) for a in rig.store.outbox.attempts(submit_id)]
    assert actions == [("send", "not_sent"), ("send", "not_sent"), ("send", "ok")]


async def test_409_backs_off_and_says_when_it_tries_next(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(*[Fault("OrderLinesUpdate", "answer", status=409) for _ in range(3)])
    policy = RetryPolicy(base_delay=1.0, max_delay=3.0, jitter=0.0)
    outcome = await rig.sender(policy).send(submit_id, rig.recorder)
    assert outcome.state == "done"
    assert rig.recorder.delays == [1.0, 2.0, 3.0]  # exponential, capped
    waits = [r for r in rig.recorder.reports if r.phase is SubmitPhase.WAITING]
    assert all(w.reason is WaitReason.LOCKED for w in waits)
    first = waits[0]
    assert first.next_try_at is not None
    assert first.message == (
        f"waiting: order locked by another operation, next try at {first.next_try_at:%H:%M:%S}"
    )


async def test_a_timeout_is_reported_as_a_timeout_also_when_a_409_follows(rig: Rig) -> None:
    # The sandbox (and Omnium) keep the order locked while a timed-out request still runs:
    # the 409 that follows is that request, not "another operation".
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _plan = enqueue(rig.store, session)
    rig.faults.add(
        Fault("OrderLinesUpdate", "time_out"),
        Fault("OrderLinesUpdate", "answer", status=409, detail="Order is locked"),
    )
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done"
    waits = [r for r in rig.recorder.reports if r.phase is SubmitPhase.WAITING]
    reasons = [w.reason for w in waits]
    assert reasons[:2] == [WaitReason.TIMED_OUT, WaitReason.LOCKED_AFTER_TIMEOUT]
    assert set(reasons) == {WaitReason.TIMED_OUT, WaitReason.LOCKED_AFTER_TIMEOUT}
    for wait in waits:
        assert "timed out" in wait.message or "timeout" in wait.message
        assert "locked by another operation" not in wait.message


async def test_409_for_too_long_fails_into_a_supervisor_case(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(*[Fault("OrderLinesUpdate", "answer", status=409) for _ in range(4)])
    policy = RetryPolicy(base_delay=0.01, max_delay=0.01, max_conflicts=3)
    outcome = await rig.sender(policy).send(submit_id, rig.recorder)
    assert outcome.state == "failed"
    assert "stayed locked" in (outcome.error or "")
    assert rig.faults.applied_writes == 0
    assert rig.store.outbox.pending_count() == 0
    cases = station_cases(rig.store)
    assert [(c.kind, c.submit_id, c.packer) for c in cases] == [("failed_submit", submit_id, "P7")]


async def test_429_waits_retry_after(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "answer", status=429, headers={"Retry-After": "7"}))
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done"
    assert rig.recorder.delays == [7.0]
    wait = next(r for r in rig.recorder.reports if r.phase is SubmitPhase.WAITING)
    assert wait.reason is WaitReason.RATE_LIMITED


async def test_queued_order_is_waited_for(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(
        Fault("OrderLinesUpdate", "answer", status=400, detail="Order ORD-1003 is queued")
    )
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done"
    assert [r.reason for r in rig.recorder.reports if r.reason] == [WaitReason.QUEUED]


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (403, "may not change order ORD-1003"),
        (404, "does not know order ORD-1003"),
        (400, "refused the request as invalid"),
    ],
)
async def test_refusals_stop_plainly(rig: Rig, status: int, words: str) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "answer", status=status, detail="nope"))
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "failed"
    assert words in (outcome.error or "")
    assert rig.recorder.reports[-1].phase is SubmitPhase.FAILED
    assert rig.recorder.reports[-1].message.startswith("failed: ")
    assert len(rig.store.outbox.attempts(submit_id)) == 1  # never retried
    assert rig.store.outbox.get(submit_id).state == "failed"


async def test_401_twice_stops(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(*[Fault("OrderLinesUpdate", "answer", status=401) for _ in range(2)])
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "failed"
    assert "credentials" in (outcome.error or "")
    assert rig.faults.applied_writes == 0


async def test_401_once_is_absorbed_by_the_client(rig: Rig) -> None:
    before = await _order(rig)
    session = packed_session(before, ALL_OF_1003)
    submit_id, plan = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "answer", status=401))
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done"
    assert rig.faults.applied_writes == 1
    assert_exactly_once(before, await _order(rig), session, plan)


@pytest.mark.parametrize("logged", [None, "ok"])
async def test_crash_while_in_flight_is_reconciled_on_resume(rig: Rig, logged: str | None) -> None:
    """A send the process may have completed before dying is checked before resending."""
    before = await _order(rig)
    session = packed_session(before, ALL_OF_1003)
    submit_id, plan = enqueue(rig.store, session)
    record = rig.store.outbox.get(submit_id)
    # The process sent the request, the server applied it, then the process died (before
    # logging the answer, or after logging it but before marking the request done).
    attempt = rig.store.outbox.begin_attempt(submit_id, 1, "send")
    await rig.client.order_lines_update(record.order_id, record.requests[0].patch)
    if logged is not None:
        rig.store.outbox.end_attempt(attempt, logged, http_status=200)
    assert rig.faults.applied_writes == 1
    outcomes = await rig.sender().resume_pending(rig.recorder)
    assert [o.state for o in outcomes] == ["done"]
    assert outcomes[0].reconciled
    assert rig.faults.applied_writes == 1
    assert_exactly_once(before, await _order(rig), session, plan)


async def test_cancelled_send_stays_pending_and_resumes(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(*[Fault("OrderLinesUpdate", "answer", status=409) for _ in range(2)])
    slow = SubmitSender(rig.store, rig.client, RetryPolicy(base_delay=30, jitter=0))
    task = asyncio.create_task(slow.send(submit_id))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if rig.store.outbox.attempts(submit_id):
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert rig.store.outbox.pending_count() == 1
    outcomes = await rig.sender().resume_pending(rig.recorder)
    assert [o.state for o in outcomes] == ["done"]
    assert rig.faults.applied_writes == 1
    assert rig.store.outbox.pending_count() == 0


async def test_aborted_workflow_is_done_and_becomes_a_case(rig: Rig) -> None:
    before = await _order(rig, "ORD-1017")  # booking fails by tag
    scans = [
        line.code or ""
        for s in before.order_form.shipments
        for line in s.line_items
        for _ in range(int(line.quantity))
    ]
    session = packed_session(before, scans)
    submit_id, _ = enqueue(rig.store, session)
    outcome = await rig.sender().send(submit_id, rig.recorder)
    assert outcome.state == "done" and outcome.aborted
    assert "aborted at" in rig.recorder.reports[-1].message
    cases = station_cases(rig.store)
    assert len(cases) == 1 and cases[0].kind == "aborted"
    assert any(step.aborted_here for step in cases[0].steps)
    assert cases[0].packer == "P7"


async def test_two_sends_of_one_submit_share_one_run(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    sender = rig.sender()
    first, second = await asyncio.gather(sender.send(submit_id), sender.send(submit_id))
    assert first.state == second.state == "done"
    assert rig.faults.applied_writes == 1


async def test_a_failing_progress_listener_does_not_stop_the_submit(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)

    def broken(progress: object) -> None:
        raise RuntimeError("screen bug")

    outcome = await rig.sender().send(submit_id, broken)
    assert outcome.state == "done"
    assert rig.faults.applied_writes == 1


async def test_another_process_owning_the_outbox_is_waited_for(rig: Rig) -> None:
    from packstation.station.outbox_lock import OutboxLock

    other = OutboxLock(rig.store.path.parent)  # its own descriptor: flock treats it as another
    assert other.try_acquire()
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)

    def on_progress(progress: SubmitProgress) -> None:
        rig.recorder(progress)
        if len(rig.recorder.reports) == 3:
            other.release()  # the other station exits

    outcome = await rig.sender().send(submit_id, on_progress)
    assert outcome.state == "done"
    waiting = [r for r in rig.recorder.reports if r.phase is SubmitPhase.WAITING]
    assert len(waiting) == 3
    assert all(r.reason is WaitReason.OTHER_STATION for r in waiting)
    assert waiting[0].message.startswith("waiting: another packstation on this data directory")
    assert rig.faults.applied_writes == 1
    # Released once idle: another owner can take it now.
    assert other.try_acquire()
    other.release()


async def test_sending_a_finished_submit_again_reports_its_end_and_sends_nothing(rig: Rig) -> None:
    session = packed_session(await _order(rig), ALL_OF_1003)
    submit_id, _ = enqueue(rig.store, session)
    first = await rig.sender().send(submit_id)
    again = await rig.sender().send(submit_id, rig.recorder)
    assert again.state == first.state == "done"
    assert rig.faults.applied_writes == 1
    assert [r.phase for r in rig.recorder.reports] == [SubmitPhase.DONE]
    assert again.results[0] is not None and not again.results[0].is_aborted
