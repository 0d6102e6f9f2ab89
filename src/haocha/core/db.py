"""Engine and session. The session dependency in `haocha.deps` is the one commit point."""

import logging
from collections.abc import Callable, Iterator
from functools import lru_cache

from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from haocha.core.cache import attach_store, store_for
from haocha.core.settings import get_settings

log = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # pysqlite's own transaction handling breaks SAVEPOINT; take it over (SQLAlchemy
            # docs, "Serializable isolation / Savepoints / Transactional DDL").
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            # WAL lets the pages read while a review is written. The mode is stored in the
            # file, so it is set once: setting it again on every connection needs a lock and
            # fails at once, without waiting, while another connection is writing.
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            # Foreign keys are off by default in SQLite.
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # IMMEDIATE takes the write lock up front. With a plain (deferred) BEGIN, a
            # transaction that reads and then writes while another one writes fails at once
            # with "database is locked": SQLite cannot wait for that upgrade. Queuing all
            # transactions is the price, acceptable for the one-process embedded default.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache
def engine_for(url: str) -> Engine:
    """One engine (and pool) per database URL for the life of the process."""
    return make_engine(url)


def get_engine() -> Engine:
    return engine_for(get_settings().database_url)


def session_scope() -> Iterator[Session]:
    """A session committed on success and rolled back on error (CLI and jobs)."""
    settings = get_settings()
    with Session(get_engine()) as session:
        attach_store(session, store_for(settings.redis_url, settings.redis_prefix))
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once this session's transaction has committed (not on rollback).

    For side effects that must not run ahead of the data, such as invalidating a cache:
    done before the commit, a reader could cache the old rows under the new version."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


_AFTER_COMMIT = "haocha.after_commit"


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:
            log.exception("after-commit callback failed")


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)
