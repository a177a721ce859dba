"""Requests a screen waits on, which the packer can cancel with Escape (issue 12 item 6).

Each request runs as its own task, so cancelling it leaves the screen's worker (and the scan
queue) running; a cancel by the packer is told apart from the station stopping.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

T = TypeVar("T")


class RequestCancelled(Exception):
    """The packer cancelled the request with Escape; its text says what was waited for."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Waiting:
    """The requests one screen waits on now, each with what it waits for."""

    def __init__(self) -> None:
        self._tasks: dict[asyncio.Future[Any], str] = {}

    @property
    def active(self) -> bool:
        """True while a request waits."""
        return any(not task.done() for task in self._tasks)

    @property
    def what(self) -> str:
        """What the oldest waiting request waits for ("" when none)."""
        return next((what for task, what in self._tasks.items() if not task.done()), "")

    async def run(self, what: str, request: Awaitable[T]) -> T:
        """Await `request`; raise RequestCancelled if Escape cancelled it meanwhile."""
        task = asyncio.ensure_future(request)
        self._tasks[task] = what
        try:
            return await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not task.cancelled() or (current is not None and current.cancelling()):
                raise  # the screen or the station is stopping, not the packer cancelling
            raise RequestCancelled(what) from None
        finally:
            self._tasks.pop(task, None)

    def cancel(self) -> bool:
        """Cancel every waiting request; True if there was one."""
        waiting = [task for task in self._tasks if not task.done()]
        for task in waiting:
            task.cancel()
        return bool(waiting)
