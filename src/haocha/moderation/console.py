"""What the console's pages read beyond the decision services: a provider in scope with its
flags, cases and sanctions; a flag or a case with what its page shows beside it; the
colleagues a case can be given to; the audit log's latest entries.

Scoped like everything a regulator reads: each loader starts from `Scope.where` or from a
service that applies it, so an object outside the scope is "not found", never forbidden."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.ml.models import ProviderRisk
from haocha.moderation import cases, flags, sanctions
from haocha.moderation.models import (
    AuditEntry,
    Case,
    CaseNote,
    CaseStatus,
    Flag,
    FlagStatus,
    Sanction,
)
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider, ProviderPublic
from haocha.providers.service import ProviderNotFound, get_provider, to_public
from haocha.scoring.service import stats_for

LISTED = 50  # flags, cases and sanctions shown on one provider's console page


def provider_in_scope(session: Session, scope: Scope, provider_id: int) -> Provider:
    """The provider, or ProviderNotFound when it does not exist or lies outside the scope."""
    provider = get_provider(session, provider_id)
    if not scope.allows(provider.sector_code, provider.district_code):
        raise ProviderNotFound()
    return provider


def providers_by_id(session: Session, ids: Iterable[int]) -> dict[int, Provider]:
    """The providers named in a list of flags or cases (one query for the page)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.exec(select(Provider).where(col(Provider.id).in_(wanted))).all()
    return {p.id: p for p in rows if p.id is not None}


def assignable(session: Session, sector_code: str, district_code: str) -> list[Regulator]:
    """Active regulators who could work a case here (the same test `cases.assign` makes)."""
    everyone = session.exec(
        select(Regulator).where(col(Regulator.is_active).is_(True)).order_by(col(Regulator.id))
    ).all()
    return [r for r in everyone if cases.covers(r, sector_code, district_code)]


def assignee(session: Session, regulator_id: int | None) -> Regulator | None:
    """The account chosen on a form; an unknown id reads like one outside the scope, so the
    form cannot be used to learn which account ids exist."""
    if regulator_id is None:
        return None
    found = session.get(Regulator, regulator_id)
    if found is None:
        raise cases.AssigneeOutOfScope()
    return found


def regulator_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(
        select(Regulator.id, Regulator.display_name).where(col(Regulator.id).in_(wanted))
    ).all()
    return {int(i): name for i, name in rows if i is not None}


@dataclass(frozen=True)
class FlagPage:
    flag: Flag
    provider: Provider
    evidence: dict[str, Any]
    removes_review: bool  # confirming takes a review out of the scores
    case: Case | None  # the case opened from this flag, if any
    names: dict[int, str]  # regulator id -> display name
    assignees: list[Regulator]
    default_working_days: int


def flag_page(session: Session, scope: Scope, flag_id: int) -> FlagPage:
    flag = flags.get_flag(session, scope, flag_id)
    case = session.exec(
        select(Case).where(Case.flag_id == flag.id, scope.where(Case)).order_by(col(Case.id))
    ).first()
    return FlagPage(
        flag=flag,
        provider=get_provider(session, flag.provider_id),
        evidence=flags.flag_evidence(session, flag),
        removes_review=flag.kind in flags.REMOVES_REVIEW and flag.review_id is not None,
        case=case,
        names=regulator_names(session, [flag.decided_by]),
        assignees=assignable(session, flag.sector_code, flag.district_code),
        default_working_days=cases.default_working_days(flag.kind),
    )


@dataclass(frozen=True)
class CasePage:
    case: Case
    provider: Provider
    notes: list[CaseNote]
    names: dict[int, str]
    assignees: list[Regulator]
    next_statuses: list[CaseStatus]
    overdue: bool


def case_page(session: Session, scope: Scope, case_id: int) -> CasePage:
    case = cases.get_case(session, scope, case_id)
    notes = cases.case_notes(session, scope, case)
    provider = get_provider(session, case.provider_id)
    people = [case.assignee_id, case.created_by, *(n.author_id for n in notes)]
    return CasePage(
        case=case,
        provider=provider,
        notes=notes,
        names=regulator_names(session, people),
        assignees=assignable(session, case.sector_code, case.district_code),
        next_statuses=sorted(cases.TRANSITIONS[case.status], key=list(CaseStatus).index),
        overdue=case.status in cases.ACTIVE and case.deadline < clock.today_local(),
    )


@dataclass(frozen=True)
class ProviderPage:
    provider: Provider
    public: ProviderPublic  # score, counts and rates, as residents see them
    open_flags: list[Flag]
    cases: list[Case]
    sanctions: list[Sanction]  # newest first, lifted and ended ones included
    in_force: frozenset[int]  # ids of the sanctions shown on the public page today
    names: dict[int, str]
    risk: ProviderRisk | None  # the flight-risk reading: regulators only, never public


def provider_page(session: Session, scope: Scope, provider_id: int) -> ProviderPage:
    provider = provider_in_scope(session, scope, provider_id)
    open_flags = session.exec(
        select(Flag)
        .where(scope.where(Flag), Flag.provider_id == provider_id)
        .where(Flag.status == FlagStatus.open)
        .order_by(col(Flag.risk).desc(), col(Flag.id))
        .limit(LISTED)
    ).all()
    case_list, _ = cases.cases(session, scope, provider_id=provider_id, limit=LISTED)
    sanction_list, _ = sanctions.sanctions_for(
        session, scope, provider_id=provider_id, limit=LISTED
    )
    in_force = frozenset(s.id for s in sanctions.active_sanctions(session, provider_id) if s.id)
    people = [c.assignee_id for c in case_list] + [s.lifted_by for s in sanction_list]
    return ProviderPage(
        provider=provider,
        public=to_public(provider, stats_for(session, provider_id)),
        open_flags=list(open_flags),
        cases=case_list,
        sanctions=sanction_list,
        in_force=in_force,
        names=regulator_names(session, [*people, *(s.created_by for s in sanction_list)]),
        risk=session.get(ProviderRisk, provider_id),
    )


def recent_audit(session: Session, *, limit: int, offset: int) -> tuple[list[AuditEntry], int]:
    """The newest audit entries first (admins only: the log is not scoped)."""
    total = session.exec(select(func.count()).select_from(AuditEntry)).one()
    rows = session.exec(
        select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(limit).offset(offset)
    ).all()
    return list(rows), int(total)
