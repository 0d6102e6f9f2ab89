"""Review submission: validation beyond the schema, anti-abuse checks, idempotent insert."""

import hashlib
import json
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from haocha.accounts.models import Resident
from haocha.core import clock
from haocha.core.cache import KeyValueStore
from haocha.core.db import after_commit
from haocha.core.errors import DomainError
from haocha.core.ratelimit import enforce
from haocha.core.settings import Settings
from haocha.ml.dispatch import dispatch_review
from haocha.providers import invitations
from haocha.providers.invitations import Invitation
from haocha.providers.models import Provider, ProviderStatus
from haocha.providers.service import get_provider
from haocha.reviews.deadlines import start_loop
from haocha.reviews.models import (
    IdempotencyRecord,
    Review,
    ReviewCreate,
    ReviewPublic,
    ReviewStatus,
)
from haocha.scoring.service import count_review

MAX_SERVICE_AGE_DAYS = 365
CENT = Decimal("0.01")


class ProviderClosed(DomainError):
    status_code = 409
    message_key = "error.provider_closed"


class ReviewRepeat(DomainError):
    status_code = 409
    message_key = "error.review_repeat"


class IdempotencyMismatch(DomainError):
    status_code = 422
    message_key = "error.idempotency_mismatch"


class ServiceDateInFuture(DomainError):
    status_code = 422
    message_key = "error.service_date_future"


class ServiceDateTooOld(DomainError):
    status_code = 422
    message_key = "error.service_date_old"


class PrepaidAmountWithoutPrepaid(DomainError):
    status_code = 422
    message_key = "error.prepaid_amount_without_prepaid"


def _check_fields(data: ReviewCreate, today: date) -> None:
    if data.service_date is not None:
        if data.service_date > today:
            raise ServiceDateInFuture()
        if data.service_date < today - timedelta(days=MAX_SERVICE_AGE_DAYS):
            raise ServiceDateTooOld()
    if data.prepaid_amount is not None and data.prepaid_amount > 0 and not data.prepaid:
        raise PrepaidAmountWithoutPrepaid()


def _check_repeat(session: Session, settings: Settings, resident_id: int, provider_id: int) -> None:
    since = clock.now() - timedelta(days=settings.review_repeat_days)
    last = session.exec(
        select(func.max(Review.created_at)).where(
            Review.resident_id == resident_id,
            Review.provider_id == provider_id,
            Review.created_at >= since,
        )
    ).one()
    if last is not None:
        again = clock.as_utc(last) + timedelta(days=settings.review_repeat_days)
        raise ReviewRepeat(
            days=settings.review_repeat_days,
            date=again.astimezone(clock.CHINA_TZ).date().isoformat(),
        )


def request_fingerprint(data: ReviewCreate) -> str:
    """Hash of the request's meaning, to tell a retry from a different request reusing a key."""
    canonical = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def to_public(review: Review) -> ReviewPublic:
    amount = review.prepaid_amount_cents
    return ReviewPublic(
        id=review.id or 0,
        provider_id=review.provider_id,
        level=review.level,
        dimensions=review.dimensions,
        text=review.text,
        prepaid=review.prepaid,
        prepaid_amount=None if amount is None else (Decimal(amount) / 100).quantize(CENT),
        service_date=review.service_date,
        verified=review.verified,
        status=review.status,
        created_at=clock.as_utc(review.created_at),
    )


def submit_review(
    session: Session,
    *,
    settings: Settings,
    store: KeyValueStore,
    resident: Resident,
    data: ReviewCreate,
    client_hash: str,
    idempotency_key: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """Store one review and return (status code, response body).

    With an idempotency key, a retry of the same request returns the first answer and
    stores nothing new; the same key with a different request is refused."""
    assert resident.id is not None  # noqa: S101 - a loaded resident always has an id
    owner = f"resident:{resident.id}"
    fingerprint = request_fingerprint(data)
    # Lock the resident's row: their concurrent submissions (a double tap, a retry racing the
    # original) run one after another, so the checks below see each other's writes.
    session.exec(select(Resident).where(Resident.id == resident.id).with_for_update()).one()
    if idempotency_key is not None:
        stored = _replay(session, owner, idempotency_key, fingerprint)
        if stored is not None:
            return stored
    enforce(store, "review-resident", str(resident.id), settings.limit_review_per_resident)
    enforce(store, "review-address", client_hash, settings.limit_review_per_address)
    provider = get_provider(session, data.provider_id)
    _check_open(provider)
    _check_fields(data, clock.today_local())
    invitation = None
    if data.invitation is not None:
        invitation = invitations.resolve(
            session, settings=settings, token=data.invitation, provider_id=provider.id or 0
        )
    else:
        # An invitation stands for a new service event, so the 30-day rule is for reviews
        # made without one (DESIGN.md: one review per resident per provider per event).
        _check_repeat(session, settings, resident.id, provider.id or 0)
    try:
        with session.begin_nested():
            review = _insert(session, resident.id, data, client_hash, invitation)
            # A 差评 opens the closed loop: its answer deadline is fixed now.
            start_loop(review, working_days=settings.bad_review_answer_working_days)
            body = to_public(review).model_dump(mode="json")
            if idempotency_key is not None:
                session.add(
                    IdempotencyRecord(
                        owner=owner,
                        key=idempotency_key,
                        request_hash=fingerprint,
                        status_code=201,
                        response=body,
                    )
                )
    except IntegrityError:
        # The same key committed in between (possible only where the row lock is a no-op,
        # as on SQLite): the savepoint drops this review, and the first answer stands.
        stored = (
            None
            if idempotency_key is None
            else _replay(session, owner, idempotency_key, fingerprint)
        )
        if stored is None:
            raise
        return stored
    # Scored by the ML job once committed; the response does not wait for it.
    review_id, created_at = review.id or 0, review.created_at
    after_commit(session, lambda: dispatch_review(settings, review_id, created_at))
    return 201, body


def _check_open(provider: Provider) -> None:
    if provider.status != ProviderStatus.active:
        raise ProviderClosed()


def _replay(
    session: Session, owner: str, key: str, fingerprint: str
) -> tuple[int, dict[str, Any]] | None:
    record = session.exec(
        select(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.key == key
        )
    ).first()
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyMismatch()
    return record.status_code, record.response


def _insert(
    session: Session,
    resident_id: int,
    data: ReviewCreate,
    client_hash: str,
    invitation: Invitation | None = None,
) -> Review:
    dims = data.dimensions
    amount = data.prepaid_amount
    review = Review(
        provider_id=data.provider_id,
        resident_id=resident_id,
        level=data.level,
        dim_attitude=dims.attitude,
        dim_quality=dims.quality,
        dim_price=dims.price,
        dim_environment=dims.environment,
        text=data.text,
        prepaid=data.prepaid,
        prepaid_amount_cents=None if amount is None else int(amount * 100),
        service_date=data.service_date,
        client_hash=client_hash,
        verified=invitation is not None,
        source="invitation" if invitation is not None else "resident",
    )
    session.add(review)
    session.flush()
    if invitation is not None:
        # In the review's savepoint: if another request used the invitation first, this
        # raises and the review goes with the savepoint.
        invitations.consume(session, invitation, review_id=review.id or 0)
    _count(session, review, delta=1)
    return review


def _count(session: Session, review: Review, *, delta: int) -> None:
    count_review(
        session,
        provider_id=review.provider_id,
        level=review.level,
        verified=review.verified,
        created_at=review.created_at,
        delta=delta,
    )


def change_level(session: Session, review: Review, level: int) -> Review:
    """Change a review's level (a re-rating): the old level leaves the scores, the new one
    enters, on the review's original day."""
    if not 1 <= level <= 5:
        raise ValueError("a level is 1-5")
    counted = review.status == ReviewStatus.published
    if counted:
        _count(session, review, delta=-1)
    review.level = level
    if counted:
        _count(session, review, delta=1)
    session.flush()
    return review


def set_review_status(session: Session, review: Review, status: ReviewStatus) -> Review:
    """Publish, hold or remove a review; only published reviews count in the scores, so
    the provider's score follows at once."""
    counted_before = review.status == ReviewStatus.published
    review.status = status
    counted_after = status == ReviewStatus.published
    if counted_before != counted_after:
        _count(session, review, delta=1 if counted_after else -1)
    session.flush()
    return review


def provider_reviews(
    session: Session, provider_id: int, *, limit: int, offset: int
) -> tuple[Sequence[Review], int]:
    """Published reviews of a provider, newest first."""
    where = (Review.provider_id == provider_id, Review.status == ReviewStatus.published)
    total = session.exec(select(func.count()).select_from(Review).where(*where)).one()
    items = session.exec(
        select(Review)
        .where(*where)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return items, total


def resident_reviews(
    session: Session, resident_id: int, *, limit: int, offset: int
) -> tuple[Sequence[tuple[Review, Provider]], int]:
    """A resident's own reviews (all statuses, so they see what happened), newest first."""
    total = session.exec(
        select(func.count()).select_from(Review).where(Review.resident_id == resident_id)
    ).one()
    rows = session.exec(
        select(Review, Provider)
        .join(Provider, col(Provider.id) == Review.provider_id)
        .where(Review.resident_id == resident_id)
        .order_by(col(Review.created_at).desc(), col(Review.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(r, p) for r, p in rows], total


IDEMPOTENCY_TTL = timedelta(hours=24)


def purge_idempotency_records(session: Session) -> int:
    """Idempotency keys are honoured for 24 hours (as in Stripe's API): long enough for any
    client retry, short enough that the table stays small."""
    cutoff = clock.now() - IDEMPOTENCY_TTL
    result = session.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < cutoff)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
