"""Short-lived, in-memory store of assessments behind unguessable tokens.

Why: a CDS card and the web form both link to an HTML report, and a URL must
never carry patient data (URLs end up in browser history, proxies and logs).
So the link is ``/report/{token}`` with 128 random bits, and the assessment
stays in this process's memory for ``ttl_s`` seconds (default 1 h), bounded in
count. Nothing is written to disk. With ``--workers N`` each worker has its
own store (docs/service.md explains; run one worker behind a sticky balancer
when the links must work across calls).

Each assessment is kept as its JSON text, not as the live object. Why: an
assessment is about 180 objects the garbage collector tracks, so a full store
(2,000 of them) put some 360,000 objects in front of every full collection,
which then paused the worker for tens of milliseconds every few hundred calls:
the CDS call's p99 latency. A string is one untracked object, smaller than
the objects it replaces (about 19 kB for a two-exam case), costs about 40 us to
write, and is read back only when somebody opens the link.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from hepcalc.model import Assessment


@dataclass(frozen=True, slots=True)
class StoredReport:
    assessment_json: str
    created: float
    owner: str


class ReportStore:
    """Bounded in total and per owner (the client that created the link).

    Why per owner: with one global bound, 2,001 anonymous form posts from one
    client evicted every other client's links (issue 16). Now a client's own
    oldest link goes when it holds ``per_owner`` of them, and when the store is
    full the oldest link of the owner holding the most goes, so a client can only
    ever push out its own links, or those of an owner holding more than it does.
    """

    def __init__(
        self, ttl_s: int = 3600, max_items: int = 2000, per_owner: int | None = None
    ) -> None:
        self.ttl_s = ttl_s
        self.max_items = max_items
        self.per_owner = per_owner
        self._items: OrderedDict[str, StoredReport] = OrderedDict()
        self._by_owner: dict[str, OrderedDict[str, None]] = {}
        self._lock = threading.Lock()

    def put(self, assessment: Assessment, owner: str = "", limit: bool = False) -> str:
        """Store and return the token; ``limit`` applies the per-owner bound."""
        token = secrets.token_urlsafe(16)
        stored = assessment.model_dump_json()
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            self._items[token] = StoredReport(stored, now, owner)
            mine = self._by_owner.setdefault(owner, OrderedDict())
            mine[token] = None
            if limit and self.per_owner is not None:
                while len(mine) > self.per_owner:
                    self._drop(next(iter(mine)))
            while len(self._items) > self.max_items:
                biggest = max(self._by_owner.values(), key=len)
                self._drop(next(iter(biggest)))
        return token

    def get(self, token: str) -> Assessment | None:
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            item = self._items.get(token)
        return Assessment.model_validate_json(item.assessment_json) if item else None

    def _drop(self, token: str) -> None:
        item = self._items.pop(token, None)
        if item is None:
            return
        mine = self._by_owner.get(item.owner)
        if mine is not None:
            mine.pop(token, None)
            if not mine:
                del self._by_owner[item.owner]

    def _expire(self, now: float) -> None:
        while self._items:
            token, item = next(iter(self._items.items()))
            if now - item.created <= self.ttl_s:
                break
            self._drop(token)

    def __len__(self) -> int:
        return len(self._items)
