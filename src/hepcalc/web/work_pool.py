"""A bounded pool for the CPU work of requests, with a time budget and back-pressure.

Why: the routes are ``async`` and used to read reports, validate FHIR and
assess on the event loop itself, so one slow request (a 199 kB report took
minutes before the reader was made linear) stopped every other request,
``/healthz`` included (issue 16). Here that work runs in a few worker threads;
the event loop only reads bodies and writes answers, so it stays free to
accept connections and answer health checks.

Threads, not processes: the work is pure Python, so a thread holds the GIL
while it runs, but CPython hands the GIL over every ``sys.getswitchinterval()``
(5 ms), so the loop still gets its turns; measured in
``benchmarks/service_hostile.py`` (docs/service.md). A process pool would cost
a pickled Case and Assessment per request and a copy of the knowledge base
per process, for no gain on a 2-core host.

Three limits, each with a clear answer:

* **Back-pressure**: at most ``threads + queue`` requests are running or
  waiting; one more is refused at once with 503 and ``Retry-After`` instead of
  queueing without end (a burst then costs the clients a retry, not the
  service its memory and every caller its latency).
* **Time budget**: a request whose work has not finished within ``budget_s``
  is answered 503 saying so. A thread cannot be stopped from outside, so its
  slot stays taken until the work ends (and counts against back-pressure):
  the budget protects the caller's wait, the bound protects the service.
* Work that has not started when its budget ends is cancelled.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

RETRY_AFTER_S = 1


class PoolBusy(Exception):
    """Every slot is taken: answer 503 with Retry-After."""

    def __init__(self, name: str, retry_after_s: int = RETRY_AFTER_S) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(f"the service is busy ({name} work queue full); retry shortly")


class OverBudget(Exception):
    """The work did not finish within the request's time budget: answer 503."""

    def __init__(self, budget_s: float) -> None:
        self.budget_s = budget_s
        super().__init__(
            f"the request needed more than its time budget of {budget_s:g} s; "
            "send less (fewer or shorter reports) or ask the operator to raise "
            "HEPCALC_REQUEST_BUDGET_S"
        )


class WorkPool:
    """``await pool.run(fn, *args)``: fn in a worker thread, bounded and time-limited."""

    def __init__(self, name: str, threads: int, queue: int, budget_s: float) -> None:
        if threads < 1 or queue < 0 or budget_s <= 0:
            raise ValueError("threads >= 1, queue >= 0 and budget_s > 0 are required")
        self.name = name
        self.threads = threads
        self.capacity = threads + queue
        self.budget_s = budget_s
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._taken = 0

    @property
    def taken(self) -> int:
        """Requests running or waiting now (for tests and the health answer)."""
        return self._taken

    def _acquire(self) -> None:
        with self._lock:
            if self._taken >= self.capacity:
                raise PoolBusy(self.name)
            self._taken += 1

    def _release(self, _future: Future[Any] | None = None) -> None:
        with self._lock:
            self._taken -= 1

    async def run(self, fn: Callable[..., T], *args: Any, budget_s: float | None = None) -> T:
        """Run ``fn(*args)`` in the pool; its exceptions reach the caller unchanged."""
        self._acquire()
        try:
            future = self._executor.submit(fn, *args)
        except BaseException:
            self._release()
            raise
        future.add_done_callback(self._release)
        budget = self.budget_s if budget_s is None else budget_s
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), budget)
        except TimeoutError:
            future.cancel()  # not started yet: it never will be
            raise OverBudget(budget) from None

    def shutdown(self) -> None:
        """Stop taking work; running work finishes in the background."""
        self._executor.shutdown(wait=False, cancel_futures=True)
