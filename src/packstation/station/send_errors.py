"""What the outbox sender does after Omnium answered a request with an error (DESIGN policy).

Each answer counts against the request's `RequestTally`; the answer is: wait and try again,
give up (after a last look whether an earlier send landed), or leave it to the reconcile
when the outcome of the send is unknown.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from packstation.i18n import _
from packstation.omnium.errors import (
    BadRequest,
    InvalidResponse,
    OmniumError,
    OmniumUnavailable,
    OrderLocked,
    RateLimited,
    ServerError,
)
from packstation.station.progress import WaitReason
from packstation.station.retry_policy import RetryPolicy
from packstation.station.submit_outcome import refusal_text


@dataclass
class RequestTally:
    """Failures of one request in this run, per kind."""

    conflicts: int = 0
    server_errors: int = 0
    queued: int = 0
    unreachable: int = 0
    sends: int = 0
    timed_out: bool = False
    """The last send got no answer in time: a 409 next is most likely that request still running."""


@dataclass(frozen=True)
class TryAgain:
    """Wait `delay` seconds, then try again."""

    reason: WaitReason
    delay: float


@dataclass(frozen=True)
class GiveUp:
    """The request cannot go through; the submit fails with `message`."""

    message: str
    last_look: bool
    """Check first whether an earlier send landed after all (then nothing failed)."""


def after_error(
    err: OmniumError,
    tally: RequestTally,
    policy: RetryPolicy,
    rng: random.Random,
    *,
    reading: bool = False,
    order_id: str,
) -> TryAgain | GiveUp | None:
    """What to do after `err` (None: the send's outcome is unknown, the reconcile decides)."""
    if isinstance(err, OmniumUnavailable):
        tally.unreachable += 1
        if not reading:
            tally.timed_out = err.timed_out and err.sent
        if err.outcome_unknown and not reading:
            return None  # the reconcile at the top of the loop decides (after settling)
        return TryAgain(WaitReason.UNREACHABLE, policy.backoff(tally.unreachable, rng))
    tally.unreachable = 0
    if isinstance(err, ServerError | InvalidResponse):
        tally.server_errors += 1
        if tally.server_errors > policy.max_server_errors:
            return GiveUp(
                _("Omnium kept failing ({error}); gave up after {count} tries").format(
                    error=err, count=policy.max_server_errors
                ),
                last_look=False,
            )
        return TryAgain(WaitReason.SERVER_ERROR, policy.backoff(tally.server_errors, rng))
    if isinstance(err, OrderLocked):
        tally.conflicts += 1
        if tally.conflicts > policy.max_conflicts:
            return GiveUp(
                _("order {order_id} stayed locked ({error}); gave up after {count} tries").format(
                    order_id=order_id, error=err, count=policy.max_conflicts
                ),
                last_look=True,
            )
        reason = WaitReason.LOCKED_AFTER_TIMEOUT if tally.timed_out else WaitReason.LOCKED
        return TryAgain(reason, policy.backoff(tally.conflicts, rng))
    if isinstance(err, RateLimited):
        delay = err.retry_after if err.retry_after is not None else policy.default_retry_after
        return TryAgain(WaitReason.RATE_LIMITED, min(max(0.0, delay), policy.max_retry_after))
    if isinstance(err, BadRequest) and err.queued:
        tally.queued += 1
        if tally.queued > policy.max_queued:
            return GiveUp(
                _(
                    "order {order_id} stayed queued or read-only in Omnium ({error}); "
                    "gave up after {count} tries"
                ).format(order_id=order_id, error=err, count=policy.max_queued),
                last_look=True,
            )
        return TryAgain(WaitReason.QUEUED, policy.queued_delay)
    return GiveUp(refusal_text(err, order_id), last_look=not reading)
