"""Background jobs that fill the queue from the platform's own records (until the ML
module adds its flags): bad reviews left unanswered past their deadline."""

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.moderation.calendar import add_working_days, working_days_between
from haocha.moderation.flags import raise_flag
from haocha.moderation.models import Flag, FlagKind, FlagStatus
from haocha.providers.models import Provider
from haocha.reviews.models import Review, ReviewStatus, is_bad

log = logging.getLogger(__name__)

# A provider has this many working days to answer a bad review (差评) before it reaches the
# regulator. A constant until the bad-review loop (a later issue) makes it a setting.
ANSWER_WORKING_DAYS = 3
OVERDUE_BASE_RISK = 40.0
OVERDUE_RISK_PER_DAY = 10.0  # each further working day without an answer
OVERDUE_MAX_RISK = 90.0  # an unanswered review never outranks a suspected 跑路
BATCH = 1000  # new flags per run; the oldest reviews first, the rest next run
# The demo data's reviews (source "demo", haocha.demo.load.DEMO_SOURCE) include thousands
# of old bad reviews that nobody will ever answer; flagged, they would bury the real queue.
IGNORED_SOURCES = ("demo",)
REASON = {
    "zh": f"差评超过 {ANSWER_WORKING_DAYS} 个工作日未获机构答复",
    "en": f"Bad review unanswered by the provider for over {ANSWER_WORKING_DAYS} working days",
}


def answer_due(created_at: datetime) -> date:
    """The last day on which a provider may answer a bad review posted at `created_at`."""
    posted = clock.as_utc(created_at).astimezone(clock.CHINA_TZ).date()
    return add_working_days(posted, ANSWER_WORKING_DAYS)


def overdue_risk(due: date, today: date) -> float:
    """40 on the first day past due, 10 more for each further working day, capped."""
    extra = max(0, working_days_between(due, today) - 1)
    return min(OVERDUE_MAX_RISK, OVERDUE_BASE_RISK + OVERDUE_RISK_PER_DAY * extra)


def _evidence(due: date, today: date) -> dict[str, Any]:
    return {"due": due.isoformat(), "working_days_overdue": working_days_between(due, today)}


def flag_overdue_bad_reviews(session: Session, today: date | None = None) -> int:
    """Flag published bad reviews (level 1-2) older than ANSWER_WORKING_DAYS working days,
    except demo data; return how many new flags were raised.

    Replies to reviews do not exist yet (the bad-review loop is a later issue), so today
    every such review counts as unanswered; once replies exist, an answered review must be
    left out here. A review is flagged once: a dismissed or decided flag is not raised
    again. Open flags of earlier runs get the risk of their growing delay."""
    day = today or clock.today_local()
    _raise_open_risks(session, day)
    # Three working days are at least three calendar days, so a review posted on or after
    # (day - 3) in China cannot be overdue: a cheap bound the database can use.
    bound = datetime.combine(day - timedelta(days=ANSWER_WORKING_DAYS), time.min, clock.CHINA_TZ)
    already = select(Flag.id).where(
        Flag.kind == FlagKind.overdue_bad_review, Flag.review_id == Review.id
    )
    rows = session.exec(
        select(Review, Provider)
        .join(Provider, col(Provider.id) == Review.provider_id)
        .where(
            Review.status == ReviewStatus.published,
            col(Review.level) <= 2,
            col(Review.source).not_in(IGNORED_SOURCES),
            col(Review.created_at) < bound,
            ~already.exists(),
        )
        .order_by(col(Review.created_at), col(Review.id))
        .limit(BATCH)
    ).all()
    raised = 0
    for review, provider in rows:
        assert is_bad(review.level)  # noqa: S101 - the query's level bound
        due = answer_due(review.created_at)
        if day <= due:
            continue  # the deadline crossed a holiday: not overdue yet
        raise_flag(
            session,
            kind=FlagKind.overdue_bad_review,
            provider=provider,
            review=review,
            risk=overdue_risk(due, day),
            reasons=[REASON],
            evidence=_evidence(due, day),
            source="deadline",
        )
        raised += 1
    log.info("flagged %d overdue bad reviews", raised)
    return raised


def _raise_open_risks(session: Session, day: date) -> None:
    flags = session.exec(
        select(Flag).where(Flag.kind == FlagKind.overdue_bad_review, Flag.status == FlagStatus.open)
    ).all()
    for flag in flags:
        due = date.fromisoformat(str(flag.evidence.get("due", day.isoformat())))
        risk = overdue_risk(due, day)
        if risk > flag.risk:
            flag.risk = risk
            flag.evidence = {**flag.evidence, **_evidence(due, day)}
            session.add(flag)
    session.flush()
