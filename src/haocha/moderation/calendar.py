"""Working days in mainland China: public holidays and the official make-up working days
(调休) from the State Council's yearly notice, as kept by the `chinesecalendar` package.

Deadlines given "in working days" (a case, a provider's answer to a bad review) must skip
the Golden Week and Spring Festival and count the Saturdays worked in their place, which a
Monday-Friday rule gets wrong by up to a week. The package knows each year once the notice
is published (usually in November for the year after); beyond that we fall back to
Monday-Friday and say so in the log, because a deadline a day early is better than none.
"""

import logging
from datetime import date, timedelta
from functools import cache, lru_cache

import chinese_calendar  # type: ignore[import-untyped]  # ships no type information

log = logging.getLogger(__name__)


@cache
def _warn_outside_calendar(year: int) -> None:
    # Cached per year: one line per unknown year in the log, not one per date asked.
    log.warning(
        "no official holiday calendar for %d in chinesecalendar; counting Monday-Friday "
        "as working days (upgrade the package once the State Council notice is out)",
        year,
    )


# The package looks each date up in its tables on every call; deadlines and overdue counts
# ask about the same few hundred recent dates over and over.
@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """True on official working days, including make-up Saturdays and Sundays."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        _warn_outside_calendar(day.year)
        return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (`start` itself never counts); n=0 is `start`."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days d with a < d <= b; negative when b is before a.

    So `working_days_between(d, add_working_days(d, n)) == n`, and a deadline is overdue
    by `working_days_between(deadline, today)` working days."""
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
