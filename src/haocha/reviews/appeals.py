"""Providers' appeals against a review, as fake or abusive, with their reasons.

An appeal goes to the sector regulator's queue as a `provider_appeal` flag; the review keeps
counting meanwhile (a resident's review stands until a regulator says otherwise). The
regulator decides the flag: confirming it upholds the appeal and removes the review from the
scores (moderation/flags.py, as for a confirmed fake review), dismissing it rejects the
appeal. `record_decision` then writes the outcome on the appeal, where the provider portal
reads it (`appeal_for`), and tells the review's author in their inbox.

Which provider may appeal which review is the portal's check, as for replies."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.moderation.flags import raise_flag
from haocha.moderation.models import Flag, FlagKind, FlagStatus
from haocha.providers.models import Provider
from haocha.reviews.inbox import notify
from haocha.reviews.models import (
    MAX_APPEAL_REASONS,
    Appeal,
    AppealGrounds,
    AppealStatus,
    NotificationKind,
    Review,
    ReviewStatus,
)

# Where an appeal sits in the queue, which is ordered by risk: below an overdue 差评 (40)
# and the ML's suspicions, since an appeal is the provider's own claim, not a signal.
APPEAL_RISK = 30.0
GROUNDS_REASONS = {
    AppealGrounds.fake: {"zh": "机构申诉：虚假评价", "en": "Provider appeal: fake review"},
    AppealGrounds.abusive: {
        "zh": "机构申诉：恶意或侮辱性评价",
        "en": "Provider appeal: abusive review",
    },
}
OUTCOME = {
    FlagStatus.confirmed: (AppealStatus.upheld, NotificationKind.appeal_upheld),
    FlagStatus.dismissed: (AppealStatus.rejected, NotificationKind.appeal_rejected),
}


class AppealGroundsInvalid(DomainError):
    status_code = 422
    message_key = "error.appeal_grounds"


class AppealReasonsMissing(DomainError):
    status_code = 422
    message_key = "error.appeal_reasons"


class AppealAlreadyOpen(DomainError):
    status_code = 409
    message_key = "error.appeal_open"


class AppealReviewRemoved(DomainError):
    status_code = 409
    message_key = "error.appeal_review_removed"


def _checked(grounds: str, reasons: str) -> tuple[AppealGrounds, str]:
    try:
        valid = AppealGrounds(grounds)
    except ValueError as exc:
        raise AppealGroundsInvalid() from exc
    reasons = reasons.strip()
    if not reasons or len(reasons) > MAX_APPEAL_REASONS:
        raise AppealReasonsMissing(max=MAX_APPEAL_REASONS)
    return valid, reasons


def file_appeal(
    session: Session, *, review: Review, author_id: int, grounds: str, reasons: str
) -> Appeal:
    """Appeal a review and put it in the regulator's queue; one open appeal per review."""
    valid, reasons = _checked(grounds, reasons)
    locked = session.exec(
        select(Review)
        .where(Review.id == review.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    assert locked.id is not None  # noqa: S101 - a loaded review has an id
    if locked.status == ReviewStatus.removed:
        raise AppealReviewRemoved()
    if _open_appeal(session, locked.id) is not None:
        raise AppealAlreadyOpen()
    appeal = Appeal(
        review_id=locked.id,
        provider_id=locked.provider_id,
        author_id=author_id,
        grounds=valid,
        reasons=reasons,
    )
    try:
        with session.begin_nested():
            session.add(appeal)
    except IntegrityError as exc:
        # The partial unique index: a second appeal committed between the check and here
        # (possible only where the row lock is a no-op, as on SQLite).
        raise AppealAlreadyOpen() from exc
    provider = session.get(Provider, locked.provider_id)
    assert provider is not None  # noqa: S101 - reviews reference existing providers
    flag = raise_flag(
        session,
        kind=FlagKind.provider_appeal,
        provider=provider,
        review=locked,
        risk=APPEAL_RISK,
        reasons=[GROUNDS_REASONS[valid]],
        evidence={"appeal_id": appeal.id, "grounds": valid.value, "appeal_reasons": reasons},
        source="provider",
    )
    appeal.flag_id = flag.id
    session.add(appeal)
    session.flush()
    return appeal


def _open_appeal(session: Session, review_id: int) -> Appeal | None:
    return session.exec(
        select(Appeal).where(Appeal.review_id == review_id, Appeal.status == AppealStatus.open)
    ).first()


def appeal_for(session: Session, review_id: int) -> Appeal | None:
    """The latest appeal against a review (open or decided), if any."""
    return session.exec(
        select(Appeal).where(Appeal.review_id == review_id).order_by(col(Appeal.id).desc())
    ).first()


def record_decision(session: Session, flag: Flag) -> Appeal | None:
    """Called by moderation/flags.py after a decision on any flag: for an appeal's flag,
    the outcome goes on the appeal and to the review's author. A flag turned into a case
    (`case_opened`) leaves the appeal open: the case, not the queue, then decides."""
    if flag.kind != FlagKind.provider_appeal or flag.status not in OUTCOME:
        return None
    appeal = session.exec(
        select(Appeal).where(Appeal.flag_id == flag.id, Appeal.status == AppealStatus.open)
    ).first()
    if appeal is None:
        return None
    status, kind = OUTCOME[flag.status]
    appeal.status = status
    appeal.decided_at = clock.now()
    session.add(appeal)
    review = session.get(Review, appeal.review_id)
    provider = session.get(Provider, appeal.provider_id)
    assert review is not None  # noqa: S101 - a foreign key
    assert provider is not None  # noqa: S101 - a foreign key
    notify(
        session,
        resident_id=review.resident_id,
        kind=kind,
        review_id=review.id,
        message_key=f"loop.notice.{kind.value}",
        params={"provider": provider.name},
    )
    session.flush()
    return appeal
