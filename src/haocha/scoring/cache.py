"""Cached ranking pages, invalidated by a per-sector version bumped after each commit
that changed a score in the sector.

With Redis the versions are shared by every process; in-process (the embedded default,
one process) they are that process's own, and entries also expire after a minute so a
second process could never serve an old page for long."""

import json
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from haocha.core.cache import KeyValueStore, MemoryStore, session_store
from haocha.core.db import after_commit

VERSION_TTL = 30 * 24 * 3600
PAGE_TTL = {True: 600, False: 60}  # Redis-backed or not


def _version_key(sector: str) -> str:
    return f"rankver:{sector}"


def version(store: KeyValueStore, sector: str) -> str:
    return store.get(_version_key(sector)) or "0"


def bump(store: KeyValueStore, sector: str) -> None:
    # `hit` is an atomic increment in Redis: concurrent bumps never collapse into one.
    store.hit(_version_key(sector), VERSION_TTL)


def sector_changed(session: Session, sector: str) -> None:
    """Invalidate the sector's cached rankings once this transaction commits."""
    store = session_store(session)
    if store is None:
        return
    pending: set[str] = session.info.setdefault("haocha.changed_sectors", set())
    if not pending:
        after_commit(
            session, lambda: _bump_all(store, session.info.pop("haocha.changed_sectors", set()))
        )
    pending.add(sector)


def _bump_all(store: KeyValueStore, sectors: set[str]) -> None:
    for sector in sectors:
        bump(store, sector)


def cached(
    store: KeyValueStore, sector: str, parts: tuple[object, ...], compute: Callable[[], Any]
) -> Any:
    """The value for this sector and `parts`, computed at most once per version."""
    key = "rank:" + ":".join(str(p) for p in (sector, version(store, sector), *parts))
    hit = store.get(key)
    if hit is not None:
        return json.loads(hit)
    value = compute()
    store.set(
        key, json.dumps(value, ensure_ascii=False), PAGE_TTL[not isinstance(store, MemoryStore)]
    )
    return value
