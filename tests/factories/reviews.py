"""Review factory: goes through the scoring counts like a real submission."""

from typing import Any

from sqlmodel import Session

from haocha.accounts.models import Resident
from haocha.providers.models import Provider
from haocha.reviews.models import Review, ReviewStatus
from haocha.scoring.service import count_review
from tests.factories.accounts import make_resident


def make_review(
    session: Session,
    provider: Provider,
    resident: Resident | None = None,
    **overrides: Any,
) -> Review:
    author = resident or make_resident(session)
    assert provider.id is not None
    assert author.id is not None
    review = Review(
        provider_id=provider.id,
        resident_id=author.id,
        level=overrides.pop("level", 5),
        text=overrides.pop("text", "服务很好，阿姨很耐心。"),
        **overrides,
    )
    session.add(review)
    session.flush()
    if review.status == ReviewStatus.published:
        count_review(
            session,
            provider_id=provider.id,
            level=review.level,
            verified=review.verified,
            created_at=review.created_at,
            delta=1,
        )
    return review
