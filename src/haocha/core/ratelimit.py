"""Fixed-window rate limits over the key-value store (Redis, or in-process)."""

from haocha.core import clock
from haocha.core.cache import KeyValueStore
from haocha.core.errors import RateLimited


def enforce(store: KeyValueStore, name: str, subject: str, limit: tuple[int, int]) -> None:
    """Count one attempt by `subject` against `name`; raise RateLimited past the limit.

    `subject` is always a keyed hash (of a phone, an address, a resident id), never the
    raw value, so Redis holds nothing personal."""
    count, window = limit
    now = int(clock.now().timestamp())
    hits = store.hit(f"rl:{name}:{subject}:{now // window}", window)
    if hits > count:
        raise RateLimited(seconds=max(1, window - now % window))
