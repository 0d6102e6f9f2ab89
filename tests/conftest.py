"""Test setup shared by every suite.

The database is created once per run by `alembic upgrade head`, so every run tests the
migrations; each test then runs inside a transaction that is rolled back after it.
Backend: PostgreSQL + Redis by default (both run on the development and CI machines);
`HAOCHA_TEST_BACKEND=sqlite` runs the same tests on the embedded default instead.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine
from sqlmodel import Session

from haocha.core import clock
from haocha.core.settings import Settings
from tests.database import migrate

# Per-example deadlines only measure how busy this 2-core machine is; the properties are
# what the Hypothesis tests check.
hypothesis_settings.register_profile("haocha", deadline=None, print_blob=True)
hypothesis_settings.load_profile("haocha")

BACKEND = os.environ.get("HAOCHA_TEST_BACKEND", "postgres")
PG_ADMIN_URL = os.environ.get("HAOCHA_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
# One database per run, so concurrent runs (several developers' checks, CI) never drop
# each other's database.
PG_TEST_DB = os.environ.get("HAOCHA_TEST_PG_DB", f"haocha_test_{os.getpid()}")
REDIS_URL = os.environ.get("HAOCHA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each suite's folder is its marker (`-m api` runs tests/api), so no test can miss it."""
    for item in items:
        suite = item.path.parent.name
        if suite in ("unit", "api", "browser"):
            item.add_marker(suite)


def pytest_report_header() -> list[str]:
    if BACKEND == "sqlite":
        return ["haocha backend: SQLite (embedded default), in-process cache (no Redis)"]
    return [f"haocha backend: PostgreSQL ({PG_TEST_DB}) + Redis ({REDIS_URL})"]


def _create_pg_database() -> str:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_TEST_DB}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{PG_TEST_DB}"


def _drop_pg_database() -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'haocha.db'}"
        return
    yield _create_pg_database()
    _drop_pg_database()


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    outbox = tmp_path_factory.mktemp("sms") / "outbox.jsonl"
    if BACKEND != "sqlite":
        redis.Redis.from_url(REDIS_URL).ping()  # fail loudly: the suite must exercise Redis
    return Settings(
        environment="test",
        database_url=database_url,
        redis_url=None if BACKEND == "sqlite" else REDIS_URL,
        redis_prefix=f"haocha-test:{uuid.uuid4().hex[:8]}:",
        secret_key="test-secret-key",
        hash_key="test-hash-key",
        sms_backend="file",
        sms_outbox=outbox,
        open_data_snapshot_dir=outbox.parent / "open-snapshots",
        jobs_in_process=False,
        ml_dispatch=False,
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = migrate(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included: the
    service's commit releases a savepoint inside the test's outer transaction."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _reset_clock() -> Iterator[None]:
    yield
    clock.reset()


@pytest.fixture
def outbox(settings: Settings) -> Path:
    settings.sms_outbox.parent.mkdir(parents=True, exist_ok=True)
    settings.sms_outbox.write_text("")
    return settings.sms_outbox
