"""The one clock: every deadline, expiry and window reads time here so tests can set it."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")

_offset = timedelta(0)


def now() -> datetime:
    """Current time, timezone-aware in UTC (shifted when a test moved the clock)."""
    return datetime.now(UTC) + _offset


def today_local() -> date:
    """The calendar date in China, which is what residents mean by "today"."""
    return now().astimezone(CHINA_TZ).date()


def advance(delta: timedelta) -> None:
    """Move the clock forward (tests only)."""
    global _offset  # noqa: PLW0603 - the process-wide clock offset is the point
    _offset += delta


def reset() -> None:
    global _offset  # noqa: PLW0603
    _offset = timedelta(0)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
