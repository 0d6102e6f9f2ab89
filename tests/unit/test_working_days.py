"""Working days on the official Chinese calendar (src/haocha/moderation/calendar.py)."""

import logging
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haocha.moderation import calendar
from haocha.moderation.calendar import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.unit

# Across the package's known years and a few beyond (the Monday-Friday fallback).
DAYS = st.dates(date(2015, 1, 1), date(2032, 12, 31))


def test_national_day_golden_week_is_skipped() -> None:
    # 2025: 1-8 October off (National Day with the Mid-Autumn Festival).
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert not is_working_day(date(2025, 10, 1))
    assert not is_working_day(date(2025, 10, 8))  # a Wednesday, but a holiday


def test_make_up_weekend_days_are_working_days() -> None:
    assert date(2025, 9, 28).weekday() == 6  # a Sunday, worked for the Golden Week
    assert is_working_day(date(2025, 9, 28))
    assert is_working_day(date(2025, 10, 11))  # a Saturday, worked too
    # So counting from Friday 26 September the next working day is that Sunday.
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 10, 9), 2) == date(2025, 10, 11)


def test_spring_festival() -> None:
    # 2025: 28 January to 4 February off; Sunday 26 January and Saturday 8 February worked.
    assert add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 5)) == 3  # 26, 27 Jan, 5 Feb


def test_zero_and_negative() -> None:
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 1)
    assert working_days_between(date(2025, 10, 9), date(2025, 10, 9)) == 0
    assert working_days_between(date(2025, 10, 10), date(2025, 9, 30)) == -2
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2025, 10, 1), -1)


def test_beyond_the_calendar_falls_back_to_weekdays_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calendar._warn_outside_calendar.cache_clear()
    calendar.is_working_day.cache_clear()
    with caplog.at_level(logging.WARNING, logger="haocha.moderation.calendar"):
        # 1 October 2040 is a Monday; without an official calendar it counts as working.
        assert is_working_day(date(2040, 10, 1))
        assert not is_working_day(date(2040, 10, 6))  # Saturday
        assert add_working_days(date(2040, 10, 5), 1) == date(2040, 10, 8)
    warnings = [r for r in caplog.records if "2040" in r.getMessage()]
    assert len(warnings) == 1


@given(DAYS, st.integers(1, 40))
def test_add_working_days_lands_on_a_later_working_day(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert end > start
    assert is_working_day(end)
    assert working_days_between(start, end) == n
    # And it is the first such day: the day before has one working day fewer.
    assert working_days_between(start, end - timedelta(days=1)) == n - 1


@given(DAYS, st.integers(-400, 400))
def test_between_is_antisymmetric_and_adds_up(a: date, days: int) -> None:
    b = a + timedelta(days=days)
    assert working_days_between(a, b) == -working_days_between(b, a)
    middle = a + timedelta(days=days // 2)
    assert working_days_between(a, b) == working_days_between(a, middle) + working_days_between(
        middle, b
    )
