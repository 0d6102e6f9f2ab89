"""Alembic environment: the URL comes from Haocha's settings, the schema from its models."""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

from haocha.core.db import make_engine
from haocha.core.settings import get_settings
from haocha.models import import_all_models

import_all_models()
config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # tests hand in their own connection
        _run(connection)
        return
    engine = make_engine(get_settings().database_url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection):  # type: ignore[no-untyped-def]
    # Batch mode rebuilds tables on SQLite, which cannot ALTER most things in place; the
    # same migration files then run unchanged on PostgreSQL.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
