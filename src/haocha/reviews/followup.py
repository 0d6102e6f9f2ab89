"""What the author of a review sees of what followed it: the provider's reply, the loop's
deadline and state, whether they may re-rate, and the outcome of an appeal against it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.reviews.deadlines import posting_day
from haocha.reviews.loop import LoopState, loop_state
from haocha.reviews.models import Appeal, AppealStatus, ReplyPublic, Review
from haocha.reviews.replies import replies_for


@dataclass(frozen=True)
class FollowUp:
    state: LoopState
    due: date | None
    answered_on: date | None
    reply: ReplyPublic | None
    can_rerate: bool
    original_level: int | None
    rerated_on: date | None
    appeal: AppealStatus | None


def _latest_appeals(session: Session, review_ids: list[int]) -> dict[int, AppealStatus]:
    latest: dict[int, AppealStatus] = {}
    rows = session.exec(
        select(Appeal.review_id, Appeal.status)
        .where(col(Appeal.review_id).in_(review_ids))
        .order_by(col(Appeal.id))
    ).all()
    for review_id, status in rows:
        latest[review_id] = AppealStatus(status)  # ordered by id: the last one wins
    return latest


def follow_ups(
    session: Session, reviews: Sequence[Review], today: date | None = None
) -> dict[int, FollowUp]:
    """By review id, for a page of one resident's reviews (three queries in all)."""
    ids = [r.id for r in reviews if r.id is not None]
    if not ids:
        return {}
    day = today or clock.today_local()
    replies = replies_for(session, ids)
    appeals = _latest_appeals(session, ids)
    result = {}
    for review in reviews:
        assert review.id is not None  # noqa: S101 - ids listed above
        state = loop_state(review, day)
        result[review.id] = FollowUp(
            state=state,
            due=review.answer_due,
            answered_on=posting_day(review.answered_at) if review.answered_at else None,
            reply=replies.get(review.id),
            can_rerate=state == LoopState.answered,
            original_level=review.original_level,
            rerated_on=posting_day(review.rerated_at) if review.rerated_at else None,
            appeal=appeals.get(review.id),
        )
    return result
