"""How long and how often the outbox sender waits before trying a request again."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How long and how often the sender waits; tests use tiny delays."""

    base_delay: float = 1.0
    """First backoff delay (seconds) for 409s, 5xx and an unreachable server."""
    max_delay: float = 60.0
    """Backoff cap (seconds)."""
    jitter: float = 0.25
    """Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]."""
    max_conflicts: int = 30
    """409 answers for one request before the submit fails."""
    max_server_errors: int = 10
    """5xx / unparsable answers for one request before the submit fails."""
    queued_delay: float = 5.0
    """Wait (seconds) after a 400 saying the order is queued or read-only."""
    max_queued: int = 60
    """Queued answers for one request before the submit fails."""
    default_retry_after: float = 10.0
    """Wait after a 429 without Retry-After."""
    max_retry_after: float = 600.0
    """Cap on a server-given Retry-After."""
    settle_delay: float = 2.0
    """Wait after a lost answer (timeout, dropped connection) before re-reading the order: the
    server may still be running that request's workflow, and a re-read that comes too early
    would see nothing and resend. There is no idempotency key, so this narrows (it cannot
    close) the window in which a request finishing late and its resend both run the workflow;
    quantities and packages stay right either way (house rules 3 and 7)."""

    def backoff(self, failures: int, rng: random.Random) -> float:
        """The delay before the next try after `failures` (>= 1) failures in a row."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** max(0, failures - 1))
        return max(0.0, delay * (1 + rng.uniform(-self.jitter, self.jitter)))
