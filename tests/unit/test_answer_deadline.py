"""The answer deadline of a 差评 (reviews/deadlines.py) and the loop's pure rules: its state
and the on-time answer rate (reviews/loop.py)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haocha.core import clock
from haocha.moderation.calendar import is_working_day, working_days_between
from haocha.reviews.deadlines import answer_due_for, posting_day, start_loop
from haocha.reviews.loop import LoopState, LoopSummary, loop_state
from haocha.reviews.models import Review, ReviewStatus

pytestmark = pytest.mark.unit


def _china(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=clock.CHINA_TZ)


def test_national_day_2026_is_skipped_and_its_make_up_saturday_counts() -> None:
    # 2026: 1-7 October off; 8 and 9 October (Thu, Fri) and Saturday 10 October worked.
    assert answer_due_for(_china(2026, 9, 30), 3) == date(2026, 10, 10)
    assert date(2026, 10, 10).weekday() == 5
    # Posted during the holiday: the next working days are the same three.
    assert answer_due_for(_china(2026, 10, 3), 3) == date(2026, 10, 10)
    # Posted on the Friday after: Saturday (worked), Monday, Tuesday; Sunday 11th is off.
    assert answer_due_for(_china(2026, 10, 9), 3) == date(2026, 10, 13)


def test_the_posting_day_is_china_s_day_not_utc_s() -> None:
    late = _china(2026, 9, 30, 23, 30)  # 15:30 UTC, still 30 September in Shanghai
    assert posting_day(late.astimezone(UTC)) == date(2026, 9, 30)
    early = _china(2026, 10, 1, 0, 30)  # 16:30 UTC on 30 September
    assert posting_day(early.astimezone(UTC)) == date(2026, 10, 1)
    # SQLite hands back naive UTC: the same day.
    assert posting_day(early.astimezone(UTC).replace(tzinfo=None)) == date(2026, 10, 1)


def test_a_typical_week_and_the_setting() -> None:
    monday = _china(2026, 11, 23)
    assert answer_due_for(monday, 3) == date(2026, 11, 26)  # Thursday
    assert answer_due_for(monday, 5) == date(2026, 11, 30)  # over the weekend
    assert answer_due_for(_china(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday -> Monday


@given(
    # Hypothesis takes naive bounds and puts the zone on each example.
    posted=st.datetimes(
        datetime(2018, 1, 1),  # noqa: DTZ001 - a bound, see above
        datetime(2026, 12, 20),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    n=st.integers(1, 10),
)
def test_due_is_the_n_th_working_day_after_the_posting_day(posted: datetime, n: int) -> None:
    due = answer_due_for(posted, n)
    day = posting_day(posted)
    assert is_working_day(due)
    assert due >= day + timedelta(days=n)
    assert working_days_between(day, due) == n
    # ... and the n-th, not a later one: the day before it has one working day fewer.
    assert working_days_between(day, due - timedelta(days=1)) == n - 1


@pytest.mark.parametrize(("level", "has_deadline"), [(1, True), (2, True), (3, False), (5, False)])
def test_only_bad_reviews_start_the_loop(level: int, has_deadline: bool) -> None:
    review = Review(provider_id=1, resident_id=1, level=level, created_at=_china(2026, 9, 30))
    start_loop(review, working_days=3)
    assert (review.answer_due == date(2026, 10, 10)) is has_deadline
    assert (review.answer_due is None) is not has_deadline


def test_loop_states() -> None:
    review = Review(provider_id=1, resident_id=1, level=1, created_at=_china(2026, 9, 30))
    assert loop_state(review, date(2026, 10, 10)) == LoopState.none
    start_loop(review, working_days=3)
    assert loop_state(review, date(2026, 10, 10)) == LoopState.open  # the due day itself
    assert loop_state(review, date(2026, 10, 11)) == LoopState.overdue
    review.answered_at = _china(2026, 10, 12)
    assert loop_state(review, date(2026, 10, 12)) == LoopState.answered
    review.rerated_at = _china(2026, 10, 13)
    assert loop_state(review, date(2026, 10, 13)) == LoopState.rerated
    review.status = ReviewStatus.removed
    assert loop_state(review, date(2026, 10, 13)) == LoopState.closed


def test_on_time_rate_counts_only_bad_reviews_that_were_due_or_answered() -> None:
    assert LoopSummary(open_bad=4, overdue=0, answered=0, answered_on_time=0).on_time_rate is None
    assert LoopSummary(open_bad=4, overdue=1, answered=2, answered_on_time=1).on_time_rate == 0.3333
    assert LoopSummary(open_bad=0, overdue=0, answered=3, answered_on_time=3).on_time_rate == 1.0
    assert LoopSummary(open_bad=0, overdue=2, answered=0, answered_on_time=0).on_time_rate == 0.0
