"""Providers' public replies to reviews: one per review, editable, every version kept.

Who may answer which review is the provider portal's check (its routes load the review
through the signed-in provider's scope); these functions trust the review they are given."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from haocha.accounts.sms import SmsSender
from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.core.settings import Settings
from haocha.reviews.loop import record_answer
from haocha.reviews.models import (
    MAX_REPLY,
    ReplyPublic,
    ReplyVersionPublic,
    Review,
    ReviewReply,
    ReviewReplyVersion,
    ReviewStatus,
)


class ReplyEmpty(DomainError):
    status_code = 422
    message_key = "error.reply_empty"


class ReplyTooLong(DomainError):
    status_code = 422
    message_key = "error.reply_too_long"


class ReviewRemoved(DomainError):
    status_code = 409
    message_key = "error.reply_review_removed"


def checked_reply(text: str) -> str:
    text = text.strip()
    if not text:
        raise ReplyEmpty()
    if len(text) > MAX_REPLY:
        raise ReplyTooLong(max=MAX_REPLY)
    return text


def reply_for(session: Session, review_id: int) -> ReviewReply | None:
    return session.exec(select(ReviewReply).where(ReviewReply.review_id == review_id)).first()


def post_reply(
    session: Session,
    *,
    settings: Settings,
    sms: SmsSender,
    review: Review,
    author_id: int,
    text: str,
) -> ReviewReply:
    """Write the provider's reply to `review`, or edit it; each text is kept as a version.

    The first reply to a 差评 is the provider's answer in the closed loop: it is timed
    against the deadline and the resident is told (loop.record_answer). Sending the same
    text again (a double submit) changes nothing."""
    text = checked_reply(text)
    # Lock the review: two staff answering at once take turns, so the second sees the
    # first's reply and edits it, instead of both inserting a "first" reply.
    locked = session.exec(
        select(Review)
        .where(Review.id == review.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if locked.status == ReviewStatus.removed:
        raise ReviewRemoved()
    assert locked.id is not None  # noqa: S101 - a loaded review has an id
    reply = reply_for(session, locked.id)
    now = clock.now()
    first = reply is None
    if reply is None:
        reply = ReviewReply(
            review_id=locked.id, author_id=author_id, text=text, created_at=now, updated_at=now
        )
    elif reply.text == text:
        return reply
    else:
        reply.text = text
        reply.author_id = author_id
        reply.updated_at = now
    session.add(reply)
    session.flush()
    assert reply.id is not None  # noqa: S101 - flushed above
    session.add(
        ReviewReplyVersion(reply_id=reply.id, author_id=author_id, text=text, created_at=now)
    )
    session.flush()
    if first:
        record_answer(session, settings=settings, sms=sms, review=locked, at=now)
    return reply


def reply_history(session: Session, review_id: int) -> list[ReviewReplyVersion]:
    """Every version of the reply to a review, oldest first (empty without a reply)."""
    return list(
        session.exec(
            select(ReviewReplyVersion)
            .join(ReviewReply, col(ReviewReply.id) == ReviewReplyVersion.reply_id)
            .where(ReviewReply.review_id == review_id)
            .order_by(col(ReviewReplyVersion.created_at), col(ReviewReplyVersion.id))
        ).all()
    )


def replies_for(session: Session, review_ids: Sequence[int]) -> dict[int, ReplyPublic]:
    """The public replies to these reviews (a page of them), by review id, with the history
    of the edited ones: two queries for the page, whatever its length."""
    if not review_ids:
        return {}
    replies = session.exec(
        select(ReviewReply).where(col(ReviewReply.review_id).in_(list(review_ids)))
    ).all()
    edited = [r.id for r in replies if r.edited]
    versions: dict[int, list[ReplyVersionPublic]] = {}
    if edited:
        for version in session.exec(
            select(ReviewReplyVersion)
            .where(col(ReviewReplyVersion.reply_id).in_(edited))
            .order_by(col(ReviewReplyVersion.created_at), col(ReviewReplyVersion.id))
        ):
            versions.setdefault(version.reply_id, []).append(
                ReplyVersionPublic(text=version.text, created_at=clock.as_utc(version.created_at))
            )
    return {
        r.review_id: ReplyPublic(
            review_id=r.review_id,
            text=r.text,
            created_at=clock.as_utc(r.created_at),
            updated_at=clock.as_utc(r.updated_at),
            edited=r.edited,
            history=versions.get(r.id or 0, []),
        )
        for r in replies
    }
