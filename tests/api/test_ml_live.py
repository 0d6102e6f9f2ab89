"""The whole path with the shipped model, as in the running demo: a review posted through
the API is scored after its commit and its flag is in the regulators' queue within 2 s —
in process without Redis (the embedded default).
Each test has its own committed SQLite file, since the jobs run in their own
transactions and must see the review."""

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from haocha.accounts.service import issue_token
from haocha.core.settings import Settings
from haocha.ml.models import ReviewAssessment
from haocha.moderation.models import Flag, FlagKind
from tests.api.conftest import running_server
from tests.database import migrate
from tests.factories.accounts import make_resident
from tests.factories.providers import make_provider

QUEUE_DEADLINE_SECONDS = 2.0
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
