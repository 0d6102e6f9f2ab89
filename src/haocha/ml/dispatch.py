"""Getting a new review to the ML job without holding up the response.

With Redis, the job goes on arq's queue for the worker; enqueueing runs on one background
event loop per process, so the request thread never waits on Redis. Without Redis (the
embedded default), or when Redis refuses the job, the job runs on a one-thread executor in
this process. Either way the review is already committed: if the job is lost (worker killed,
process stopped), the periodic sweep scores every review that has no assessment."""

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from functools import lru_cache
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool

from haocha.core.settings import Settings

log = logging.getLogger(__name__)

ASSESS_REVIEW_JOB = "assess_review_job"
CLOSE_GRACE_SECONDS = 2.0  # for enqueues still in flight at shutdown


class ArqEnqueuer:
    """Owns an event loop thread and an arq pool for one Redis URL."""

    def __init__(self, redis_url: str) -> None:
        self._settings = RedisSettings.from_dsn(redis_url)
        self._settings.conn_retries = 0  # fail fast: the local fallback takes the job
        self._loop = asyncio.new_event_loop()
        self._pool: ArqRedis | None = None
        # Reviews posted together are enqueued concurrently on the loop: without the lock,
        # each would find no pool yet and open one, and all but the last would leak.
        self._pool_lock = asyncio.Lock()
        # The loop holds its tasks only weakly: an enqueue that nothing else refers to can be
        # garbage-collected mid-connect, leaving its socket open. Keep them here until done.
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._submit_lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="haocha-enqueue", daemon=True
        )
        self._thread.start()

    async def _enqueue(self, job: str, *args: Any, job_id: str) -> None:
        task = asyncio.current_task()  # never None: run_coroutine_threadsafe makes a task
        if task is not None:
            self._tasks.add(task)
        try:
            async with self._pool_lock:
                if self._pool is None:
                    self._pool = await create_pool(self._settings)
                pool = self._pool
            await pool.enqueue_job(job, *args, _job_id=job_id)
        finally:
            if task is not None:
                self._tasks.discard(task)

    def submit(self, job: str, *args: Any, job_id: str) -> "Future[None]":
        with self._submit_lock:
            if self._closed:
                # Shutting down: the caller's fallback scores the review in this process.
                refused: Future[None] = Future()
                refused.set_exception(RuntimeError("the enqueuer is closed"))
                return refused
            return asyncio.run_coroutine_threadsafe(
                self._enqueue(job, *args, job_id=job_id), self._loop
            )

    def close(self) -> None:
        """Close the pool and stop the loop (at shutdown; tests). A second call does nothing."""

        async def close_pool() -> None:
            # Let enqueues in flight finish (they fail fast: no retries), then cancel what
            # is left: a coroutine destroyed with the loop would leave its connection open.
            pending = list(self._tasks)
            if pending:
                _, late = await asyncio.wait(pending, timeout=CLOSE_GRACE_SECONDS)
                for task in late:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
            if self._pool is not None:
                # redis-py 5 has aclose (close is deprecated); the stubs predate it.
                await self._pool.aclose()  # type: ignore[attr-defined]
                self._pool = None

        with self._submit_lock:
            if self._closed:
                return
            # No enqueue can start after this, so close_pool sees every one in flight.
            self._closed = True
        try:
            asyncio.run_coroutine_threadsafe(close_pool(), self._loop).result(
                timeout=CLOSE_GRACE_SECONDS + 3
            )
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            if not self._thread.is_alive():
                self._loop.close()


_open_enqueuers: dict[str, ArqEnqueuer] = {}
_enqueuers_lock = threading.Lock()


def _enqueuer(redis_url: str) -> ArqEnqueuer:
    with _enqueuers_lock:
        if redis_url not in _open_enqueuers:
            _open_enqueuers[redis_url] = ArqEnqueuer(redis_url)
        return _open_enqueuers[redis_url]


def close_enqueuers() -> None:
    """Close every enqueuer this process opened (the web app's shutdown; tests)."""
    for enqueuer in list(_open_enqueuers.values()):
        enqueuer.close()
    _open_enqueuers.clear()


@lru_cache
def _local_executor() -> ThreadPoolExecutor:
    # One thread: the model is not made faster by a second one on a small machine, and jobs
    # for one provider then never race each other.
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="haocha-ml")


def run_locally(settings: Settings, review_id: int) -> "Future[object]":
    # Imported here: the tasks import the review service, which imports this module.
    from haocha.ml.tasks import assess_review_task  # noqa: PLC0415
    from haocha.worker import run_in_session  # noqa: PLC0415

    def job(session: Any, job_settings: Settings) -> object:
        return assess_review_task(session, job_settings, review_id)

    return _local_executor().submit(run_in_session, settings, job)


def job_id(review_id: int, created_at: datetime) -> str:
    """arq refuses a job whose id it still holds (a queued job, or a result kept for an
    hour), which keeps one review from being queued twice. The review's time is part of the
    id: after a database reset the ids start again, and a new review 7 must not be taken for
    the old review 7's finished job."""
    return f"assess-review:{review_id}:{created_at:%Y%m%dT%H%M%S%f}"


def dispatch_review(settings: Settings, review_id: int, created_at: datetime) -> None:
    """Send one committed review to the ML job (called after the commit)."""
    if not settings.ml_dispatch:
        return
    if settings.redis_url:
        future = _enqueuer(settings.redis_url).submit(
            ASSESS_REVIEW_JOB, review_id, job_id=job_id(review_id, created_at)
        )
        future.add_done_callback(_fallback_on_error(settings, review_id))
        return
    run_locally(settings, review_id)


def _fallback_on_error(settings: Settings, review_id: int) -> Callable[["Future[None]"], None]:
    def check(future: "Future[None]") -> None:
        error = future.exception()
        if error is not None:
            log.warning(
                "could not queue review %s on Redis (%s); scoring it here", review_id, error
            )
            run_locally(settings, review_id)

    return check
