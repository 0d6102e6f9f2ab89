"""Without Redis the web process runs the periodic jobs itself (test servers turn it off,
so this test runs it on its own database)."""

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from haocha.core import clock
from haocha.core.settings import Settings
from haocha.worker import in_process_jobs
from tests.database import migrate


def run_async(main: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run in a thread of its own: the browser suite's Playwright keeps an event
    loop running in the main thread for the whole session."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()


def test_jobs_run_in_process_without_redis(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    migrate(url).dispose()
    settings = Settings(
        environment="test",
        database_url=url,
        redis_url=None,
        open_data_snapshot_dir=tmp_path / "snapshots",
    )

    snapshot = tmp_path / "snapshots" / clock.today_local().isoformat() / "providers.csv"

    async def run_briefly() -> None:
        async with in_process_jobs(settings):
            for _ in range(200):  # the first round runs at once; give it up to 10 s
                if snapshot.is_file():
                    return
                await asyncio.sleep(0.05)

    run_async(run_briefly)
    assert snapshot.is_file()


@pytest.mark.parametrize(
    "update", [{"redis_url": "redis://127.0.0.1:6379/15"}, {"jobs_in_process": False}]
)
def test_jobs_stay_out_of_the_web_process(tmp_path: Path, update: dict[str, object]) -> None:
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'none.db'}",  # never created: no job may run
        open_data_snapshot_dir=tmp_path / "snapshots",
    ).model_copy(update=update)

    async def run_briefly() -> None:
        async with in_process_jobs(settings):
            await asyncio.sleep(0.3)

    run_async(run_briefly)
    assert not (tmp_path / "snapshots").exists()
    assert not (tmp_path / "none.db").exists()
