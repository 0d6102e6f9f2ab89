"""Key-value store for rate limits and short-lived cache: Redis, or in-process without it.

When Redis is configured but unreachable, calls fall back to the in-process store and
`/healthz` reports the degradation: limits get per-process instead of global, but no
request fails because Redis is down.
"""

import logging
import threading
import time
from functools import lru_cache
from typing import Protocol

import redis
from sqlmodel import Session

log = logging.getLogger(__name__)


class KeyValueStore(Protocol):
    def hit(self, key: str, window_seconds: int) -> int:
        """Count one hit in the current fixed window of `key`; return the count so far."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_seconds: int) -> None: ...

    def delete(self, key: str) -> None: ...

    def health(self) -> str:
        """`ok`, `memory` (no Redis configured) or `degraded: …` (Redis down)."""

    def clear(self) -> None:
        """Forget every key of this store's namespace (tests, `haocha db reset`)."""


class MemoryStore:
    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str, now: float) -> str | None:
        item = self._data.get(key)
        if item is None or item[1] <= now:
            self._data.pop(key, None)
            return None
        return item[0]

    def hit(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        with self._lock:
            current = self._live(key, now)
            if current is None:
                self._data[key] = ("1", now + window_seconds)
                if len(self._data) > 100_000:  # bound memory under a flood of distinct keys
                    self._sweep(now)
                return 1
            count = int(current) + 1
            self._data[key] = (str(count), self._data[key][1])
            return count

    def _sweep(self, now: float) -> None:
        for k in [k for k, (_, exp) in self._data.items() if exp <= now]:
            del self._data[k]

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key, time.monotonic())

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        with self._lock:
            self._data[key] = (value, time.monotonic() + ttl_seconds)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def health(self) -> str:
        return "memory"

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class RedisStore:
    def __init__(self, url: str, prefix: str) -> None:
        self._redis = redis.Redis.from_url(
            url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
        )
        self._prefix = prefix
        self._fallback = MemoryStore()

    def _k(self, key: str) -> str:
        return self._prefix + key

    def hit(self, key: str, window_seconds: int) -> int:
        try:
            pipe = self._redis.pipeline()
            pipe.incr(self._k(key))
            pipe.expire(self._k(key), window_seconds, nx=True)
            count, _ = pipe.execute()
            return int(count)
        except redis.RedisError:
            log.warning(
                "redis unavailable; rate limit %s counted in process", key.split(":", maxsplit=1)[0]
            )
            return self._fallback.hit(key, window_seconds)

    def get(self, key: str) -> str | None:
        try:
            value = self._redis.get(self._k(key))
        except redis.RedisError:
            return self._fallback.get(key)
        return None if value is None else str(value)

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        try:
            self._redis.set(self._k(key), value, ex=ttl_seconds)
        except redis.RedisError:
            self._fallback.set(key, value, ttl_seconds)

    def delete(self, key: str) -> None:
        try:
            self._redis.delete(self._k(key))
        except redis.RedisError:
            self._fallback.delete(key)

    def clear(self) -> None:
        self._fallback.clear()
        keys = list(self._redis.scan_iter(match=self._prefix + "*", count=1000))
        if keys:
            self._redis.delete(*keys)

    def health(self) -> str:
        try:
            self._redis.ping()
        except redis.RedisError as exc:
            return f"degraded: {type(exc).__name__}"
        return "ok"


@lru_cache
def store_for(redis_url: str | None, prefix: str) -> KeyValueStore:
    """One store per configuration for the life of the process (the in-process fallback
    must be shared by all requests to count anything)."""
    if redis_url:
        return RedisStore(redis_url, prefix)
    return MemoryStore()


SESSION_STORE = "haocha.store"


def attach_store(session: Session, store: KeyValueStore) -> None:
    """Let code deep in a transaction reach the store (to invalidate caches on commit)."""
    session.info[SESSION_STORE] = store


def session_store(session: Session) -> KeyValueStore | None:
    store: KeyValueStore | None = session.info.get(SESSION_STORE)
    return store
