"""Several service worker processes on one port, each with its own listening socket.

Why not uvicorn's own ``--workers``: it shares one listening socket among the
processes, and whichever worker wakes first accepts every connection waiting
in the queue (the event loop accepts until the queue is empty). A client that
opens its pool of keep-alive connections at once, as an EHR's CDS client or a
load balancer does, can then land nearly all of them on one process while the
other idles: measured 30 of 32 connections on one of two workers, and the CDS
call's p99 went from 88 ms to 138 ms (``benchmarks/service_load.py``, see
``docs/service.md``). With ``SO_REUSEPORT`` each worker listens on a socket of
its own and the kernel spreads new connections over them by a hash of the
address pair, so no worker can take them all.

This needs Linux (``SO_REUSEPORT`` with per-connection distribution, 3.9+);
elsewhere ``hepcalc serve`` keeps uvicorn's shared socket.

The hash spreads connections at random, not evenly: 32 connections over two
workers split 20/12 or worse in about one run in five, and the busier worker's
clients wait longer. So each worker also rebalances: the workers publish how
many connections each holds (a small shared array), and a worker that holds
more than its share (by more than ``SLACK``) answers its next request with
``Connection: close``. HTTP lets a server end a persistent connection after
any response (RFC 9112, section 9.6); the client reconnects and the kernel
places the new connection afresh, so the counts converge within a few
closes and then stay put. Only an over-full worker closes, and at most one
connection per ``CLOSE_COOLDOWN_S``: a closed connection stays in the count
until the event loop has torn it down and the other workers' counts are as old
as their last request, so closing on every over-share response would close
too many, move the excess to the other worker and oscillate.

The supervisor here keeps the port reserved for the whole run (a bound socket
that never listens, so it gets no connections), restarts a worker that dies,
gives up when workers die straight after starting (a broken installation
would otherwise restart forever), and on SIGINT/SIGTERM asks every worker to
finish its requests (uvicorn's graceful shutdown) before it exits.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

APP = "hepcalc.web.app:create_app_from_env"  # what uvicorn's own supervisor imports
BACKLOG = 2048  # uvicorn's default listen queue
# A worker that dies within this many seconds of starting counts as a failed start.
QUICK_DEATH_S = 10.0
# Failed starts in a row (over all workers) before the supervisor gives up.
MAX_QUICK_DEATHS = 3
# How long workers get to finish their requests on shutdown before they are killed.
STOP_GRACE_S = 10.0
# Connections a worker may hold above its fair share before it closes one.
SLACK = 1
# Seconds between two closes by one worker: time for the counts to catch up.
CLOSE_COOLDOWN_S = 0.25


class PortUnavailable(Exception):
    """The address cannot be bound (in use, or not an address of this machine)."""


def reuse_port_supported() -> bool:
    """True where the kernel spreads connections over SO_REUSEPORT sockets (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    try:
        infos = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as e:
        raise PortUnavailable(f"cannot resolve host {host!r}: {e.strerror}") from None
    family, type_, proto, _name, addr = infos[0]
    # proto must say TCP: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose
    # proto is IPPROTO_TCP, and with Nagle on every response waited ~40 ms for an ACK.
    sock = socket.socket(family, type_, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(addr)
    except OSError as e:
        sock.close()
        raise PortUnavailable(f"cannot listen on {host}:{port}: {e.strerror}") from None
    return sock


def check_port_free(host: str, port: int) -> None:
    """Raise PortUnavailable unless ``host:port`` can be bound (port 0 always can).

    A plain bind: it fails if anything at all holds the port, including another
    service that uses SO_REUSEPORT and would otherwise silently share the port.
    """
    if port != 0:
        _socket(host, port, reuse_port=False).close()


def reserve_port(host: str, port: int) -> socket.socket:
    """Bind (never listen) the port the workers will share; port 0 picks a free one."""
    check_port_free(host, port)
    return _socket(host, port, reuse_port=True)


class ConnectionBalancer:
    """ASGI wrapper: ``Connection: close`` on a response while this worker holds too many.

    ``counts`` is shared by all workers (slot ``index`` is this one's);
    ``open_connections`` reads this worker's live count from its uvicorn server.
    """

    def __init__(self, app: Any, counts: Any, index: int) -> None:
        self.app = app
        self.counts = counts
        self.index = index
        self.open_connections: Callable[[], int] = lambda: 0
        self._next_close = 0.0

    def over_share(self) -> bool:
        """Publish this worker's count; True when one of its connections should close now."""
        mine = self.open_connections()
        self.counts[self.index] = mine
        total = sum(self.counts[:])
        share = -(-total // len(self.counts))  # ceiling: a fair share rounds up
        if mine <= share + SLACK:
            return False
        now = time.monotonic()
        if now < self._next_close:
            return False
        self._next_close = now + CLOSE_COOLDOWN_S
        return True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.over_share():
            await self.app(scope, receive, send)
            return

        async def send_closing(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, send_closing)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGTERM this worker when the supervisor dies, even by SIGKILL.

    Without it a killed supervisor would leave workers serving on the port.
    """
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the supervisor died before prctl took effect
        os._exit(0)


def _worker(
    host: str, port: int, uvicorn_options: dict[str, Any], parent: int, counts: Any, index: int
) -> None:
    """A worker process: its own listening socket on the shared port, one uvicorn server."""
    import uvicorn

    from hepcalc.web.app import create_app_from_env

    _die_with_parent(parent)
    sock = _socket(host, port, reuse_port=True)
    sock.listen(BACKLOG)
    balancer = ConnectionBalancer(create_app_from_env(), counts, index)
    server = uvicorn.Server(uvicorn.Config(balancer, **uvicorn_options))
    balancer.open_connections = lambda: len(server.server_state.connections)
    server.run(sockets=[sock])


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    started: float = field(default_factory=time.monotonic)


def run_workers(host: str, port: int, workers: int, uvicorn_options: dict[str, Any]) -> int:
    """Serve with ``workers`` processes until SIGINT/SIGTERM; the exit status.

    Raises PortUnavailable before any worker starts when the port cannot be had.
    """
    reserved = reserve_port(host, port)
    port = reserved.getsockname()[1]
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no state forked
    counts = ctx.RawArray("i", workers)  # open connections per worker (ConnectionBalancer)

    def start(index: int) -> _Slot:
        counts[index] = 0
        process = ctx.Process(
            target=_worker,
            args=(host, port, uvicorn_options, os.getpid(), counts, index),
            daemon=False,
        )
        process.start()
        return _Slot(process)

    stopping = False

    def on_signal(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    print(f"hepcalc: {workers} workers on http://{host}:{port}", file=sys.stderr, flush=True)
    slots = [start(i) for i in range(workers)]
    quick_deaths = 0
    status = 0
    try:
        while not stopping:
            multiprocessing.connection.wait([s.process.sentinel for s in slots], timeout=0.5)
            for i, slot in enumerate(slots):
                if stopping or slot.process.is_alive():
                    continue
                lived = time.monotonic() - slot.started
                quick_deaths = quick_deaths + 1 if lived < QUICK_DEATH_S else 0
                print(
                    f"hepcalc: worker {slot.process.pid} exited "
                    f"(code {slot.process.exitcode}) after {lived:.1f} s",
                    file=sys.stderr,
                    flush=True,
                )
                if quick_deaths >= MAX_QUICK_DEATHS:
                    print(
                        "hepcalc: workers keep dying at start-up; stopping",
                        file=sys.stderr,
                        flush=True,
                    )
                    stopping, status = True, 1
                    break
                slots[i] = start(i)
    finally:
        _stop(slots)
        reserved.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return status


def _stop(slots: list[_Slot]) -> None:
    """SIGTERM (uvicorn finishes open requests), then SIGKILL whoever is left."""
    for slot in slots:
        if slot.process.is_alive():
            slot.process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for slot in slots:
        slot.process.join(max(0.0, deadline - time.monotonic()))
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join()
