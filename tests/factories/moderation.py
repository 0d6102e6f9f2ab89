"""Moderation factories: flags, cases and sanctions written directly (no dedupe, no
audit entry), for tests that need rows in a given state."""

from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.moderation.models import (
    Case,
    CaseStatus,
    Flag,
    FlagKind,
    FlagStatus,
    Sanction,
    SanctionKind,
)
from haocha.providers.models import Provider
from haocha.reviews.models import Review


def make_flag(
    session: Session,
    provider: Provider,
    *,
    kind: FlagKind = FlagKind.fake_review,
    review: Review | None = None,
    risk: float = 50.0,
    status: FlagStatus = FlagStatus.open,
    created_at: datetime | None = None,
    reasons: list[dict[str, str]] | None = None,
    evidence: dict[str, Any] | None = None,
) -> Flag:
    assert provider.id is not None
    flag = Flag(
        kind=kind,
        status=status,
        provider_id=provider.id,
        review_id=review.id if review is not None else None,
        sector_code=provider.sector_code,
        district_code=provider.district_code,
        risk=risk,
        reasons=reasons or [{"zh": "测试线索", "en": "Test flag"}],
        evidence=evidence or {},
        source="test",
        created_at=created_at or clock.now(),
    )
    session.add(flag)
    session.flush()
    return flag


def make_case(
    session: Session,
    provider: Provider,
    creator: Regulator,
    *,
    kind: FlagKind = FlagKind.resident_report,
    status: CaseStatus = CaseStatus.open,
    deadline: date | None = None,
    assignee: Regulator | None = None,
) -> Case:
    assert provider.id is not None
    assert creator.id is not None
    case = Case(
        kind=kind,
        status=status,
        provider_id=provider.id,
        sector_code=provider.sector_code,
        district_code=provider.district_code,
        title="测试案件",
        deadline=deadline or clock.today_local(),
        assignee_id=assignee.id if assignee is not None else None,
        created_by=creator.id,
    )
    session.add(case)
    session.flush()
    return case


def make_sanction(
    session: Session,
    provider: Provider,
    creator: Regulator,
    *,
    kind: SanctionKind = SanctionKind.warning,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Sanction:
    assert provider.id is not None
    assert creator.id is not None
    sanction = Sanction(
        kind=kind,
        provider_id=provider.id,
        sector_code=provider.sector_code,
        district_code=provider.district_code,
        text="测试提示",
        legal_basis="测试依据" if kind == SanctionKind.blacklist else "",
        starts_on=starts_on or clock.today_local(),
        ends_on=ends_on,
        created_by=creator.id,
    )
    session.add(sanction)
    session.flush()
    return sanction
