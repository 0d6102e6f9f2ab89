"""`haocha worker --check` reads the health key a live arq worker refreshes in Redis."""

import pytest
import redis

from haocha.core.settings import Settings
from haocha.worker import WorkerSettings, worker_is_healthy
from tests.conftest import BACKEND

pytestmark = pytest.mark.skipif(BACKEND == "sqlite", reason="the worker runs only with Redis")

# arq's default queue, and the suffix it gives the key a live worker keeps refreshing.
HEALTH_KEY = "arq:queue:health-check"


def test_health_follows_the_workers_key(settings: Settings) -> None:
    assert settings.redis_url is not None
    client = redis.Redis.from_url(settings.redis_url)
    client.delete(HEALTH_KEY)
    try:
        assert worker_is_healthy(settings) is False
        client.set(HEALTH_KEY, "j_complete=0 j_failed=0", ex=WorkerSettings.health_check_interval)
        assert worker_is_healthy(settings) is True
    finally:
        client.delete(HEALTH_KEY)


def test_without_redis_the_worker_refuses_to_start(settings: Settings) -> None:
    with pytest.raises(SystemExit, match="HAOCHA_REDIS_URL"):
        worker_is_healthy(settings.model_copy(update={"redis_url": None}))
