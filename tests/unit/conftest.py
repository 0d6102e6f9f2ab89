"""Fixtures for the command-line tests: the commands read their settings from the
environment and open their own sessions, as when an administrator runs them."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from haocha.core.db import engine_for, make_engine
from haocha.core.settings import PROJECT_ROOT, get_settings


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head; each test works on its own copy of the file."""
    path = tmp_path_factory.mktemp("cli") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()  # closes the last connection, which folds the WAL into the file
    return path


@pytest.fixture
def cli_database(
    migrated_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The CLI reads its settings from the environment, like the real command."""
    url = f"sqlite:///{shutil.copy(migrated_file, tmp_path / 'haocha.db')}"
    monkeypatch.setenv("HAOCHA_DATABASE_URL", url)
    monkeypatch.setenv("HAOCHA_REDIS_URL", "")
    get_settings.cache_clear()
    yield url
    engine_for(url).dispose()
    get_settings.cache_clear()
