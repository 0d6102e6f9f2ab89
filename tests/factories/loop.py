"""Bad-review loop factories: 差评 with their deadline as submission sets it, and the
provider staff account that answers them."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from haocha.accounts.models import Resident
from haocha.core.settings import Settings
from haocha.providers.accounts import ProviderUser
from haocha.providers.models import Provider
from haocha.reviews.deadlines import start_loop
from haocha.reviews.models import Review
from tests.factories.provider_accounts import make_provider_user
from tests.factories.reviews import make_review


def make_bad_review(
    session: Session,
    provider: Provider,
    resident: Resident | None = None,
    *,
    posted: datetime,
    level: int = 1,
    working_days: int = 3,
    **overrides: Any,
) -> Review:
    """A 差评 posted at `posted` (an aware datetime), deadline included."""
    review = make_review(
        session,
        provider,
        resident,
        level=level,
        created_at=posted,
        text="等了很久没人管。",
        **overrides,
    )
    start_loop(review, working_days=working_days)
    session.add(review)
    session.flush()
    return review


def make_staff(session: Session, settings: Settings, provider: Provider) -> ProviderUser:
    """The account that answers for `provider` (its owner)."""
    return make_provider_user(session, settings, provider)
