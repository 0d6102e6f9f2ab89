"""Job runners: arq on Redis (the `haocha worker` process), or in-process without Redis.

The in-process runner lets the embedded default (SQLite, no Redis) keep the same
maintenance going inside the web process; with Redis, the jobs belong to the worker so
that several API replicas don't all run them."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import redis
from arq import cron
from arq.connections import RedisSettings
from arq.constants import default_queue_name, health_check_key_suffix
from arq.worker import run_worker as arq_run_worker
from sqlmodel import Session

from haocha.core import clock
from haocha.core.db import engine_for
from haocha.core.settings import Settings, get_settings
from haocha.tasks import (
    MAINTENANCE_INTERVAL_SECONDS,
    escalate_cases,
    flag_overdue,
    purge_expired,
    rescore_daily,
    snapshot_open_data,
)

log = logging.getLogger(__name__)

Job = Callable[[Session, Settings], object]

# The ML jobs (haocha.ml.tasks) are imported inside the functions that run them: they bring
# scikit-learn, scipy and the model, about 150 MB, which a web process that leaves the
# scoring to the worker should never load just because the app imports this module.


def run_in_session(settings: Settings, job: Job) -> object:
    """Run one job in its own transaction."""
    with Session(engine_for(settings.database_url)) as session:
        result = job(session, settings)
        session.commit()
        return result


async def purge_expired_job(ctx: dict[str, Any]) -> object:
    return await asyncio.to_thread(run_in_session, ctx["settings"], purge_expired)


async def rescore_daily_job(ctx: dict[str, Any]) -> object:
    return await asyncio.to_thread(run_in_session, ctx["settings"], rescore_daily)


async def flag_overdue_job(ctx: dict[str, Any]) -> object:
    return await asyncio.to_thread(run_in_session, ctx["settings"], flag_overdue)


async def escalate_cases_job(ctx: dict[str, Any]) -> object:
    return await asyncio.to_thread(run_in_session, ctx["settings"], escalate_cases)


async def snapshot_open_data_job(ctx: dict[str, Any]) -> object:
    return await asyncio.to_thread(run_in_session, ctx["settings"], snapshot_open_data)


async def assess_review_job(ctx: dict[str, Any], review_id: int) -> object:
    """One new review through the models (queued by haocha.ml.dispatch after its commit)."""

    from haocha.ml.tasks import assess_review_task  # noqa: PLC0415 - see above

    def job(session: Session, settings: Settings) -> object:
        return assess_review_task(session, settings, review_id)

    return await asyncio.to_thread(run_in_session, ctx["settings"], job)


async def ml_sweep_job(ctx: dict[str, Any]) -> object:
    from haocha.ml.tasks import sweep_task  # noqa: PLC0415 - see above

    return await asyncio.to_thread(run_in_session, ctx["settings"], sweep_task)


async def scan_rings_job(ctx: dict[str, Any]) -> object:
    from haocha.ml.tasks import scan_rings_task  # noqa: PLC0415 - see above

    return await asyncio.to_thread(run_in_session, ctx["settings"], scan_rings_task)


async def _startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    ctx["settings"] = settings
    from haocha.ml.scorer import preload_scorer  # noqa: PLC0415 - see above

    # The model is loaded once per process, here rather than by the first review's job,
    # which would otherwise wait seconds for unpickling and miss the queue's 2-s promise.
    await asyncio.to_thread(preload_scorer, settings)


class WorkerSettings:
    # arq reads these class attributes.
    functions = [  # noqa: RUF012
        purge_expired_job,
        rescore_daily_job,
        flag_overdue_job,
        escalate_cases_job,
        snapshot_open_data_job,
        assess_review_job,
        ml_sweep_job,
        scan_rings_job,
    ]
    cron_jobs = [  # noqa: RUF012
        cron(purge_expired_job, minute=17, run_at_startup=True),
        # 00:05 China time (16:05 UTC): scores age by one day, once a day.
        cron(rescore_daily_job, hour=16, minute=5),
        cron(flag_overdue_job, minute=23),
        # 00:15 China time: a case is overdue from the day after its deadline.
        cron(escalate_cases_job, hour=16, minute=15),
        # 00:30 China time, after the daily rescore: the day's open-data snapshot.
        cron(snapshot_open_data_job, hour=16, minute=30),
        # Every minute: reviews whose job was lost, providers that changed.
        cron(ml_sweep_job, second=40, run_at_startup=True),
        cron(scan_rings_job, minute=set(range(0, 60, 10)), second=10),
    ]
    on_startup = _startup
    max_tries = 3
    # The worker refreshes a key in Redis this often; `haocha worker --check` reads it, so
    # a container health check sees a stuck worker, not just a reachable Redis.
    health_check_interval = 60


def _configure(settings: Settings) -> None:
    if not settings.redis_url:
        raise SystemExit(
            "the worker needs HAOCHA_REDIS_URL; without it jobs run in the web process"
        )
    WorkerSettings.redis_settings = RedisSettings.from_dsn(settings.redis_url)  # type: ignore[attr-defined]


def run_worker() -> None:
    _configure(get_settings())
    arq_run_worker(WorkerSettings)  # type: ignore[arg-type]


def worker_is_healthy(settings: Settings) -> bool:
    """True while a worker has refreshed its health key within the last interval (the key
    expires on its own; arq's check_health does the same read through a client that
    leaves its socket open)."""
    _configure(settings)
    assert settings.redis_url is not None  # noqa: S101 - checked by _configure
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=5)
    try:
        return bool(client.get(default_queue_name + health_check_key_suffix))
    finally:
        client.close()


@contextlib.asynccontextmanager
async def in_process_jobs(settings: Settings) -> AsyncIterator[None]:
    """Lifespan helper: runs the periodic jobs inside the web process when there is no
    Redis (and so no worker). Hourly; the daily jobs run when the date has changed."""
    if settings.redis_url or not settings.jobs_in_process:
        yield
        return

    async def loop() -> None:
        rescored_on = None
        while True:
            try:
                hourly: tuple[Job, ...] = (purge_expired, flag_overdue)
                for job in hourly:
                    await asyncio.to_thread(run_in_session, settings, job)
                today = clock.today_local()
                if rescored_on != today:
                    if rescored_on is not None:  # the day turned: scores age, cases fall due
                        await asyncio.to_thread(run_in_session, settings, rescore_daily)
                    daily: tuple[Job, ...] = (escalate_cases, snapshot_open_data)
                    for job in daily:
                        await asyncio.to_thread(run_in_session, settings, job)
                rescored_on = today
            except Exception:
                log.exception("in-process maintenance failed; retrying next round")
            await asyncio.sleep(MAINTENANCE_INTERVAL_SECONDS)

    async def ml_loop() -> None:
        from haocha.ml.assessments import SWEEP_BATCH  # noqa: PLC0415 - see above
        from haocha.ml.tasks import (  # noqa: PLC0415
            RING_SCAN_INTERVAL_SECONDS,
            SWEEP_INTERVAL_SECONDS,
            scan_rings_task,
            sweep_task,
        )

        rings_due = 0.0
        while True:
            pause = float(SWEEP_INTERVAL_SECONDS)
            try:
                done = await asyncio.to_thread(run_in_session, settings, sweep_task)
                if isinstance(done, dict) and done.get("reviews", 0) >= SWEEP_BATCH:
                    pause = 1.0  # a backlog (the demo's reviews after a load): keep going
                now = asyncio.get_running_loop().time()
                if now >= rings_due:
                    await asyncio.to_thread(run_in_session, settings, scan_rings_task)
                    rings_due = now + RING_SCAN_INTERVAL_SECONDS
            except Exception:
                log.exception("in-process ML sweep failed; retrying next round")
            await asyncio.sleep(pause)

    tasks = [asyncio.create_task(loop()), asyncio.create_task(ml_loop())]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
