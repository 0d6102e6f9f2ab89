"""A database migrated by Alembic, as every suite makes one (so migrations are tested)."""

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

from haocha.core.db import make_engine
from haocha.core.settings import PROJECT_ROOT


def upgrade(connection: Connection) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def migrate(url: str) -> Engine:
    engine = make_engine(url)
    with engine.begin() as connection:
        upgrade(connection)
    return engine
