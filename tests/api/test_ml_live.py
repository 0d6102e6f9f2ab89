"""The whole path with the shipped model, as in the running demo: a review posted through
the API is scored after its commit and its flag is in the regulators' queue within 2 s —
in process without Redis (the embedded default), and through Redis by a real `haocha
worker` process (arq).
Each test has its own committed SQLite file, since the jobs run in their own
transactions (in the worker's case, another process) and must see the review."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import Engine
from sqlmodel import Session, select

from haocha.accounts.service import issue_token
from haocha.core.settings import Settings
from haocha.ml.models import ReviewAssessment
from haocha.moderation.models import Flag, FlagKind
from tests.api.conftest import running_server
from tests.conftest import BACKEND
from tests.database import migrate
from tests.factories.accounts import make_resident
from tests.factories.providers import make_provider

QUEUE_DEADLINE_SECONDS = 2.0
# Starting a worker means importing the app and loading the model: generous on a busy box.
WORKER_START_SECONDS = 90.0
# The key a live arq worker refreshes (arq's default queue + its health-check suffix).
HEALTH_KEY = "arq:queue:health-check"
REVIEW = {"level": 5, "text": "太差了，服务态度恶劣，再也不会来了，大家千万别来。"}


@pytest.fixture
def live_settings(settings: Settings, tmp_path: Path) -> Settings:
    # Threshold 0: every review is flagged, so the test times the path, not the model.
    return settings.model_copy(
        update={
            "database_url": f"sqlite:///{tmp_path / 'live.db'}",
            "redis_url": None,
            "ml_dispatch": True,
            "ml_flag_threshold": 0.0,
            "ml_hold_threshold": 1.0,
        }
    )


@pytest.fixture
def live_engine(live_settings: Settings) -> Iterator[Engine]:
    engine = migrate(live_settings.database_url)
    yield engine
    engine.dispose()


def _seed(engine: Engine, settings: Settings) -> tuple[int, str]:
    with Session(engine) as session:
        provider = make_provider(session)
        resident = make_resident(session)
        token = issue_token(settings, resident)
        provider_id = provider.id or 0
        session.commit()
    return provider_id, token


def _wait_for_flag(engine: Engine, review_id: int, deadline: float) -> Flag | None:
    while time.monotonic() < deadline:
        with Session(engine) as session:
            flag = session.exec(
                select(Flag).where(Flag.review_id == review_id, Flag.kind == FlagKind.fake_review)
            ).first()
            if flag is not None:
                return flag
        time.sleep(0.05)
    return None


def _post(base_url: str, token: str, provider_id: int) -> int:
    response = httpx.post(
        f"{base_url}/api/v1/reviews",
        json={"provider_id": provider_id, **REVIEW},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_in_process_a_posted_review_is_in_the_queue_within_two_seconds(
    live_settings: Settings, live_engine: Engine
) -> None:
    from haocha.app import create_app  # noqa: PLC0415 - after the settings are final

    provider_id, token = _seed(live_engine, live_settings)
    with running_server(
        create_app(live_settings.model_copy(update={"jobs_in_process": False}))
    ) as url:
        started = time.monotonic()
        review_id = _post(url, token, provider_id)
        flag = _wait_for_flag(live_engine, review_id, started + QUEUE_DEADLINE_SECONDS)
        elapsed = time.monotonic() - started
    assert flag is not None, f"no flag after {elapsed:.2f} s"
    assert flag.source == "ml"
    with Session(live_engine) as session:
        assessment = session.get(ReviewAssessment, review_id)
        assert assessment is not None
        # The text is plainly negative under a 非常满意: the model says so.
        assert assessment.sentiment < 0.5
        assert "text_level_mismatch" in {r["code"] for r in assessment.reasons}


@contextlib.contextmanager
def arq_worker(settings: Settings) -> Iterator[None]:
    """`haocha worker` in a subprocess on the test's database and Redis; returns once the
    worker has started (model loaded) and reports itself healthy."""
    assert settings.redis_url is not None
    client = redis.Redis.from_url(settings.redis_url)
    # The test's Redis database holds only test state: a queue left by an earlier run
    # would make this worker busy with jobs for reviews that no longer exist.
    client.delete(HEALTH_KEY, "arq:queue")
    env = {
        **os.environ,
        "HAOCHA_ENVIRONMENT": "test",
        "HAOCHA_DATABASE_URL": settings.database_url,
        "HAOCHA_REDIS_URL": settings.redis_url,
        "HAOCHA_ML_FLAG_THRESHOLD": str(settings.ml_flag_threshold),
        "HAOCHA_ML_HOLD_THRESHOLD": str(settings.ml_hold_threshold),
        "HAOCHA_SMS_OUTBOX": str(settings.sms_outbox),
        "HAOCHA_LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "haocha.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not client.exists(HEALTH_KEY):
            if worker.poll() is not None:
                error = worker.stderr.read().decode() if worker.stderr else ""
                pytest.fail(f"the worker exited early: {error[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("the worker did not report healthy in time")
            time.sleep(0.1)
        yield
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        if worker.stderr:
            worker.stderr.close()
        client.delete(HEALTH_KEY)
        client.close()


@pytest.mark.skipif(BACKEND == "sqlite", reason="the SQLite pass runs without Redis")
def test_with_redis_the_worker_puts_a_posted_review_in_the_queue_within_two_seconds(
    settings: Settings,
    live_settings: Settings,
    live_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from haocha.app import create_app  # noqa: PLC0415 - after the settings are final
    from haocha.ml import dispatch  # noqa: PLC0415

    scored_here: list[int] = []
    # The web process must only queue the job: scoring it here (the fallback for a Redis
    # that refuses) would pass this test without the worker.
    monkeypatch.setattr(
        dispatch, "run_locally", lambda _s, review_id: scored_here.append(review_id)
    )
    queued = live_settings.model_copy(update={"redis_url": settings.redis_url})
    provider_id, token = _seed(live_engine, queued)
    try:
        with (
            arq_worker(queued),
            running_server(create_app(queued.model_copy(update={"jobs_in_process": False}))) as url,
        ):
            started = time.monotonic()
            review_id = _post(url, token, provider_id)
            flag = _wait_for_flag(live_engine, review_id, started + QUEUE_DEADLINE_SECONDS)
            elapsed = time.monotonic() - started
    finally:
        dispatch.close_enqueuers()
    assert scored_here == []
    assert flag is not None, f"no flag after {elapsed:.2f} s"
    assert flag.source == "ml"
    with Session(live_engine) as session:
        assessment = session.get(ReviewAssessment, review_id)
        assert assessment is not None
        assert "text_level_mismatch" in {r["code"] for r in assessment.reasons}
