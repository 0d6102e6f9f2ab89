"""The answer deadline of a bad review (差评): the provider has N Chinese working days after
the day it was posted. Kept apart from the loop itself because review submission sets it,
and the loop's other steps (replies, re-rating) build on submission."""

from datetime import date, datetime

from haocha.core import clock
from haocha.moderation.calendar import add_working_days
from haocha.reviews.models import Review, is_bad


def posting_day(created_at: datetime) -> date:
    """The calendar day in China on which a review was posted: a review sent at 23:30 in
    Shanghai belongs to that day, not to the next UTC one."""
    return clock.as_utc(created_at).astimezone(clock.CHINA_TZ).date()


def answer_due_for(created_at: datetime, working_days: int) -> date:
    """The last day on which the provider answers in time: `working_days` official working
    days after the posting day, which itself never counts (so a 差评 posted at 23:59 gets
    as many whole working days as one posted at 08:00). Public holidays are skipped and
    the make-up Saturdays and Sundays count (moderation/calendar.py)."""
    return add_working_days(posting_day(created_at), working_days)


def start_loop(review: Review, *, working_days: int) -> None:
    """Give a review its answer deadline if it is a 差评 (levels 1-2); others have none."""
    if is_bad(review.level):
        review.answer_due = answer_due_for(review.created_at, working_days)
