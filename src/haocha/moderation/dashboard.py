"""The console's dashboard: what is waiting in the queue and in the cases, how many new
flags came in each week, which providers are most at risk, and which cases are overdue.

Every query goes through `Scope.where`, so an inspector's dashboard counts only their
sectors and districts; the optional sector and district narrow it further (the trend of
one sector in one district), never widen it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.moderation.cases import ACTIVE
from haocha.moderation.models import Case, CaseStatus, Flag, FlagKind, FlagStatus
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider

WEEKS = 12  # a quarter: long enough to see a rise, short enough to read week by week
AT_RISK_LISTED = 10
OVERDUE_LISTED = 10


@dataclass(frozen=True)
class WeekPoint:
    start: date  # the Monday, China time
    count: int


@dataclass(frozen=True)
class ProviderRisk:
    provider: Provider
    risk: float  # the highest risk among its open flags
    open_flags: int


@dataclass(frozen=True)
class Dashboard:
    open_flags: int
    open_by_kind: list[tuple[FlagKind, int]]  # every kind, in the enum's order
    open_by_sector: list[tuple[str, int]]  # most first
    open_by_district: list[tuple[str, int]]
    active_cases: dict[CaseStatus, int]  # open and investigating
    overdue_count: int
    overdue: list[Case]  # nearest (most overdue) deadline first
    weekly: list[WeekPoint]  # oldest first, the current week last
    at_risk: list[ProviderRisk]


def _within(
    model: Any, scope: Scope, sector: str | None, district: str | None
) -> list[ColumnElement[bool]]:
    where = [scope.where(model)]
    if sector:
        where.append(col(model.sector_code) == sector)
    if district:
        where.append(col(model.district_code) == district)
    return where


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def dashboard(
    session: Session,
    scope: Scope,
    *,
    sector: str | None = None,
    district: str | None = None,
) -> Dashboard:
    today = clock.today_local()
    flags = _within(Flag, scope, sector, district)
    open_flags = [*flags, col(Flag.status) == FlagStatus.open]
    by_kind = dict(
        session.exec(
            select(Flag.kind, func.count()).where(*open_flags).group_by(col(Flag.kind))
        ).all()
    )
    case_where = _within(Case, scope, sector, district)
    by_status = dict(
        session.exec(
            select(Case.status, func.count())
            .where(*case_where, col(Case.status).in_(ACTIVE))
            .group_by(col(Case.status))
        ).all()
    )
    # The deadline day itself is still on time (as in haocha.moderation.cases).
    overdue_where = [*case_where, col(Case.status).in_(ACTIVE), col(Case.deadline) < today]
    return Dashboard(
        open_flags=sum(by_kind.values()),
        open_by_kind=[(kind, int(by_kind.get(kind, 0))) for kind in FlagKind],
        open_by_sector=_counts(session, col(Flag.sector_code), open_flags),
        open_by_district=_counts(session, col(Flag.district_code), open_flags),
        active_cases={status: int(by_status.get(status, 0)) for status in ACTIVE},
        overdue_count=int(
            session.exec(select(func.count()).select_from(Case).where(*overdue_where)).one()
        ),
        overdue=list(
            session.exec(
                select(Case)
                .where(*overdue_where)
                .order_by(col(Case.deadline), col(Case.id))
                .limit(OVERDUE_LISTED)
            ).all()
        ),
        weekly=_weekly(session, flags, today),
        at_risk=_at_risk(session, open_flags),
    )


def _counts(
    session: Session, column: Any, where: list[ColumnElement[bool]]
) -> list[tuple[str, int]]:
    rows = session.exec(select(column, func.count()).where(*where).group_by(column)).all()
    return sorted(((str(code), int(n)) for code, n in rows), key=lambda r: (-r[1], r[0]))


def _weekly(session: Session, where: list[ColumnElement[bool]], today: date) -> list[WeekPoint]:
    """New flags per week (whatever became of them since), the last WEEKS weeks."""
    first = week_start(today) - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first, time.min, clock.CHINA_TZ)
    counts = [0] * WEEKS
    # Only the timestamps are read, and bucketed here: grouping by a China-time week in
    # SQL would need a different expression on PostgreSQL and on SQLite.
    created = session.exec(select(Flag.created_at).where(*where, col(Flag.created_at) >= since))
    for at in created:
        week = (clock.as_utc(at).astimezone(clock.CHINA_TZ).date() - first).days // 7
        if 0 <= week < WEEKS:
            counts[week] += 1
    return [WeekPoint(first + timedelta(weeks=i), n) for i, n in enumerate(counts)]


def _at_risk(session: Session, open_flags: list[ColumnElement[bool]]) -> list[ProviderRisk]:
    top = func.max(col(Flag.risk)).label("top")
    count = func.count().label("n")
    rows = session.exec(
        select(Flag.provider_id, top, count)
        .where(*open_flags)
        .group_by(col(Flag.provider_id))
        .order_by(top.desc(), count.desc(), col(Flag.provider_id))
        .limit(AT_RISK_LISTED)
    ).all()
    ids = [provider_id for provider_id, _, _ in rows]
    providers = {
        p.id: p for p in session.exec(select(Provider).where(col(Provider.id).in_(ids))).all()
    }
    return [
        ProviderRisk(providers[provider_id], float(risk), int(n))
        for provider_id, risk, n in rows
        if provider_id in providers
    ]
