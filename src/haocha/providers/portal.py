"""What the provider portal reads: the signed-in account's own provider's reviews, one at a
time or as a list. Every query here takes the provider id of the account (deps'
`CurrentProviderUser`) and filters by it, so another provider's review is "not found"."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from haocha.core.errors import NotFound
from haocha.reviews.loop import in_loop_where
from haocha.reviews.models import Review


class ProviderReviewNotFound(NotFound):
    message_key = "error.provider_review_not_found"


def own_review(session: Session, provider_id: int, review_id: int) -> Review:
    """A review of this provider; one of another provider reads exactly like a missing id."""
    review = session.get(Review, review_id)
    if review is None or review.provider_id != provider_id:
        raise ProviderReviewNotFound()
    return review


def own_reviews(
    session: Session, provider_id: int, *, bad_only: bool, limit: int, offset: int
) -> tuple[Sequence[Review], int]:
    """The provider's reviews in every status (held and removed ones too: the provider is
    told what became of an appeal), newest first."""
    where: list[ColumnElement[bool]] = [col(Review.provider_id) == provider_id]
    if bad_only:
        where.append(col(Review.level) <= 2)
    total = session.exec(select(func.count()).select_from(Review).where(*where)).one()
    items = session.exec(
        select(Review)
        .where(*where)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return items, total


def open_bad_reviews(session: Session, provider_id: int, *, limit: int) -> Sequence[Review]:
    """The provider's unanswered 差评 in the loop, the earliest deadline first: those past
    their deadline lead the list, then the ones due soonest."""
    return session.exec(
        select(Review)
        .where(
            col(Review.provider_id) == provider_id,
            col(Review.answered_at).is_(None),
            *in_loop_where(),
        )
        .order_by(col(Review.answer_due), col(Review.id))
        .limit(limit)
    ).all()
