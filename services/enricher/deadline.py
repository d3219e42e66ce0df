"""Run a function in a dedicated thread and stop waiting for it after a deadline.

Python cannot kill a thread, so a call that overruns keeps running in the background until it
returns; the runner abandons that thread and starts a fresh one, so the next article is not queued
behind it. The threads are daemons, so a runaway never blocks process exit. This is a safety net,
not the bound itself: inputs are bounded (payload bytes, body characters) and the NLP stages are
linear-time (no backtracking regexes), so an article should never get near the deadline. While a
runaway runs it shares the GIL with the fresh thread, which roughly halves throughput until it ends.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from services.enricher.errors import EnrichmentTimeout

T = TypeVar("T")
_Job = tuple[Callable[[], Any], "Future[Any]"]


class DeadlineRunner:
    """One worker thread at a time; `run` waits at most `timeout_s` for its result."""

    def __init__(self, name: str = "enrich") -> None:
        self._name = name
        self._generation = 0
        self._jobs: queue.SimpleQueue[_Job | None] = self._spawn()

    def run(self, func: Callable[[], T], timeout_s: float) -> T:
        """Return `func()`, re-raise its exception, or raise `EnrichmentTimeout` after `timeout_s`."""
        future: Future[T] = Future()
        self._jobs.put((func, future))
        try:
            return future.result(timeout_s)
        except FutureTimeout:
            self._abandon()
            raise EnrichmentTimeout(f"not finished within {timeout_s:g}s") from None

    def close(self) -> None:
        """Let the current thread finish its job and exit."""
        self._jobs.put(None)

    def _abandon(self) -> None:
        # The runaway thread exits after its job: it finds the stop marker in its own queue.
        self._jobs.put(None)
        self._jobs = self._spawn()

    def _spawn(self) -> queue.SimpleQueue[_Job | None]:
        jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._generation += 1
        threading.Thread(
            target=_work, args=(jobs,), name=f"{self._name}-{self._generation}", daemon=True
        ).start()
        return jobs


def _work(jobs: queue.SimpleQueue[_Job | None]) -> None:
    while (job := jobs.get()) is not None:
        func, future = job
        if not future.set_running_or_notify_cancel():
            continue
        try:
            future.set_result(func())
        except BaseException as exc:  # handed to the waiting caller, who decides
            future.set_exception(exc)
