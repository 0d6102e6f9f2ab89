"""Background jobs that fill the queue from the platform's own records: bad reviews (差评)
left unanswered past their deadline in the closed loop (reviews/loop.py)."""

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.moderation.calendar import working_days_between
from haocha.moderation.flags import raise_flag
from haocha.moderation.models import Flag, FlagKind, FlagStatus
from haocha.providers.models import Provider
from haocha.reviews.deadlines import answer_due_for
from haocha.reviews.models import UNFLAGGED_SOURCES, Review, ReviewStatus, is_bad

log = logging.getLogger(__name__)

# The setting's default (Settings.bad_review_answer_working_days), for callers without
# settings at hand; the periodic job passes the configured value.
DEFAULT_ANSWER_WORKING_DAYS = 3
OVERDUE_BASE_RISK = 40.0
OVERDUE_RISK_PER_DAY = 10.0  # each further working day without an answer
OVERDUE_MAX_RISK = 90.0  # an unanswered review never outranks a suspected 跑路
BATCH = 1000  # new flags per run; the oldest reviews first, the rest next run


def _reason(due: date) -> dict[str, str]:
    day = due.isoformat()
    return {
        "zh": f"差评超过答复期限（{day}）仍未获机构答复",
        "en": f"Bad review still unanswered by the provider after its deadline ({day})",
    }


def overdue_risk(due: date, today: date) -> float:
    """40 on the first day past due, 10 more for each further working day, capped."""
    extra = max(0, working_days_between(due, today) - 1)
    return min(OVERDUE_MAX_RISK, OVERDUE_BASE_RISK + OVERDUE_RISK_PER_DAY * extra)


def _evidence(due: date, today: date) -> dict[str, Any]:
    return {"due": due.isoformat(), "working_days_overdue": working_days_between(due, today)}


def due_of(review: Review, working_days: int) -> date:
    """The stored deadline; a 差评 stored before the loop existed has none, and gets the
    one it would have had (the demo's are never asked: UNFLAGGED_SOURCES)."""
    return review.answer_due or answer_due_for(review.created_at, working_days)


def flag_overdue_bad_reviews(
    session: Session,
    today: date | None = None,
    *,
    working_days: int = DEFAULT_ANSWER_WORKING_DAYS,
) -> int:
    """Put in the regulators' queue every published 差评 still unanswered after its
    deadline (except demo data); return how many new flags were raised.

    Answered reviews are left out, and so are closed loops: held or removed reviews (not
    published) and re-rated ones (a re-rating needs an answer). A review is flagged once:
    a dismissed or decided flag is not raised again, and an answer that comes after the
    flag is recorded on it (reviews/loop.py) without closing it. Open flags of earlier runs
    get the risk of their growing delay, up to the day of a late answer."""
    day = today or clock.today_local()
    _raise_open_risks(session, day)
    # N working days are at least N calendar days, so a review without a stored deadline
    # posted on or after (day - N) in China cannot be overdue: a bound the database can use.
    bound = datetime.combine(day - timedelta(days=working_days), time.min, clock.CHINA_TZ)
    already = select(Flag.id).where(
        Flag.kind == FlagKind.overdue_bad_review, Flag.review_id == Review.id
    )
    rows = session.exec(
        select(Review, Provider)
        .join(Provider, col(Provider.id) == Review.provider_id)
        .where(
            Review.status == ReviewStatus.published,
            col(Review.level) <= 2,
            col(Review.answered_at).is_(None),
            col(Review.source).not_in(UNFLAGGED_SOURCES),
            or_(
                col(Review.answer_due) < day,
                and_(col(Review.answer_due).is_(None), col(Review.created_at) < bound),
            ),
            ~already.exists(),
        )
        .order_by(col(Review.created_at), col(Review.id))
        .limit(BATCH)
    ).all()
    raised = 0
    for review, provider in rows:
        assert is_bad(review.level)  # noqa: S101 - the query's level bound
        due = due_of(review, working_days)
        if day <= due:
            continue  # no stored deadline, and the one it gets crossed a holiday: not late
        raise_flag(
            session,
            kind=FlagKind.overdue_bad_review,
            provider=provider,
            review=review,
            risk=overdue_risk(due, day),
            reasons=[_reason(due)],
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
        if "answered_on" in flag.evidence:
            continue  # answered late: the delay is over, and its length is recorded
        due = date.fromisoformat(str(flag.evidence.get("due", day.isoformat())))
        risk = overdue_risk(due, day)
        if risk > flag.risk:
            flag.risk = risk
            flag.evidence = {**flag.evidence, **_evidence(due, day)}
            session.add(flag)
    session.flush()
