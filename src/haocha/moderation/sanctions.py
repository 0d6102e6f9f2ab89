"""Sanctions a regulator publishes on a provider: a consumer warning (消费提示) or a
blacklist entry (黑名单). Both show on the public provider page and in open data while in
force; lifting one early is a decision of its own, audited like publishing."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator, RegulatorRole
from haocha.core import clock
from haocha.core.errors import DomainError, NotFound
from haocha.moderation import audit
from haocha.moderation.cases import CaseNotFound
from haocha.moderation.models import Case, Sanction, SanctionKind
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider
from haocha.providers.service import ProviderNotFound

MAX_TEXT = 1000
MAX_LEGAL_BASIS = 500
# Putting a provider on the public blacklist, or lifting it early (which restores its
# standing, like the entry's own removal procedure 信用修复), is the weightiest decision the
# console offers: it takes a supervisor or an admin, not one inspector's word.
BLACKLIST_ROLES = frozenset({RegulatorRole.supervisor, RegulatorRole.admin})


class SanctionNotFound(NotFound):
    message_key = "error.sanction_not_found"


class SanctionTextInvalid(DomainError):
    status_code = 422
    message_key = "error.sanction_text"


class LegalBasisRequired(DomainError):
    status_code = 422
    message_key = "error.legal_basis_required"


class SanctionDatesInvalid(DomainError):
    status_code = 422
    message_key = "error.sanction_dates"


class CaseProviderMismatch(DomainError):
    status_code = 422
    message_key = "error.case_provider_mismatch"


class SanctionLifted(DomainError):
    status_code = 409
    message_key = "error.sanction_lifted"


class LiftReasonRequired(DomainError):
    status_code = 422
    message_key = "error.lift_reason_required"


class BlacklistRoleRequired(DomainError):
    status_code = 403
    message_key = "error.blacklist_role"


def sanction_state(sanction: Sanction) -> dict[str, Any]:
    return {
        "kind": sanction.kind.value,
        "provider_id": sanction.provider_id,
        "text": sanction.text,
        "legal_basis": sanction.legal_basis,
        "starts_on": sanction.starts_on.isoformat(),
        "ends_on": sanction.ends_on.isoformat() if sanction.ends_on else None,
        "case_id": sanction.case_id,
        "lifted": sanction.lifted_at is not None,
        "lift_reason": sanction.lift_reason,
    }


def _text(value: str, *, limit: int, error: type[DomainError]) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise error(max=limit)
    return value


def _publish(
    session: Session,
    regulator: Regulator,
    scope: Scope,
    *,
    kind: SanctionKind,
    provider: Provider,
    text: str,
    legal_basis: str,
    starts_on: date,
    ends_on: date | None,
    case: Case | None,
) -> Sanction:
    if not scope.allows(provider.sector_code, provider.district_code):
        raise ProviderNotFound()
    if ends_on is not None and ends_on < starts_on:
        raise SanctionDatesInvalid()
    if case is not None:
        if not scope.allows(case.sector_code, case.district_code):
            raise CaseNotFound()
        if case.provider_id != provider.id:
            raise CaseProviderMismatch()
    assert provider.id is not None  # noqa: S101 - a loaded row
    assert regulator.id is not None  # noqa: S101
    sanction = Sanction(
        kind=kind,
        provider_id=provider.id,
        sector_code=provider.sector_code,
        district_code=provider.district_code,
        text=text,
        legal_basis=legal_basis,
        starts_on=starts_on,
        ends_on=ends_on,
        case_id=case.id if case is not None else None,
        created_by=regulator.id,
    )
    session.add(sanction)
    session.flush()
    audit.record(
        session,
        actor=regulator,
        action=f"sanction.publish_{kind.value}",
        target_type="sanction",
        target_id=sanction.id,
        after=sanction_state(sanction),
    )
    return sanction


def publish_warning(
    session: Session,
    regulator: Regulator,
    scope: Scope,
    *,
    provider: Provider,
    text: str,
    starts_on: date,
    ends_on: date | None = None,
    case: Case | None = None,
) -> Sanction:
    """Publish a consumer warning (消费提示); without an end it stands until lifted."""
    return _publish(
        session,
        regulator,
        scope,
        kind=SanctionKind.warning,
        provider=provider,
        text=_text(text, limit=MAX_TEXT, error=SanctionTextInvalid),
        legal_basis="",
        starts_on=starts_on,
        ends_on=ends_on,
        case=case,
    )


def publish_blacklist(
    session: Session,
    regulator: Regulator,
    scope: Scope,
    *,
    provider: Provider,
    reason: str,
    legal_basis: str,
    starts_on: date,
    ends_on: date | None,
    case: Case | None = None,
) -> Sanction:
    """Publish a blacklist entry (黑名单): a supervisor's or admin's decision. A public listing
    must say on which legal basis it rests, so `legal_basis` is required; `ends_on` must be
    given (None: until lifted)."""
    if regulator.role not in BLACKLIST_ROLES:
        raise BlacklistRoleRequired()
    return _publish(
        session,
        regulator,
        scope,
        kind=SanctionKind.blacklist,
        provider=provider,
        text=_text(reason, limit=MAX_TEXT, error=SanctionTextInvalid),
        legal_basis=_text(legal_basis, limit=MAX_LEGAL_BASIS, error=LegalBasisRequired),
        starts_on=starts_on,
        ends_on=ends_on,
        case=case,
    )


def get_sanction(session: Session, scope: Scope, sanction_id: int) -> Sanction:
    sanction = session.exec(
        select(Sanction).where(Sanction.id == sanction_id, scope.where(Sanction))
    ).first()
    if sanction is None:
        raise SanctionNotFound()
    return sanction


def lift(
    session: Session, regulator: Regulator, scope: Scope, sanction: Sanction, reason: str
) -> Sanction:
    """Lift a sanction before its end. A blacklist entry needs a supervisor or an admin."""
    reason = _text(reason, limit=MAX_TEXT, error=LiftReasonRequired)
    locked = session.exec(
        select(Sanction)
        .where(Sanction.id == sanction.id, scope.where(Sanction))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if locked is None:
        raise SanctionNotFound()
    sanction = locked
    if sanction.kind == SanctionKind.blacklist and regulator.role not in BLACKLIST_ROLES:
        raise BlacklistRoleRequired()
    if sanction.lifted_at is not None:
        raise SanctionLifted()
    before = sanction_state(sanction)
    sanction.lifted_at = clock.now()
    sanction.lifted_by = regulator.id
    sanction.lift_reason = reason
    session.add(sanction)
    session.flush()
    audit.record(
        session,
        actor=regulator,
        action="sanction.lift",
        target_type="sanction",
        target_id=sanction.id,
        before=before,
        after=sanction_state(sanction),
    )
    return sanction


def in_force(today: date) -> list[ColumnElement[bool]]:
    """Conditions for a sanction in force on `today`: started, not ended, not lifted (for
    the provider page and the open-data feed alike)."""
    return [
        col(Sanction.starts_on) <= today,
        or_(col(Sanction.ends_on).is_(None), col(Sanction.ends_on) >= today),
        col(Sanction.lifted_at).is_(None),
    ]


def active_sanctions(
    session: Session, provider_id: int, today: date | None = None
) -> Sequence[Sanction]:
    """Sanctions in force on a provider (public: no scope), blacklist entries first."""
    day = today or clock.today_local()
    rows = session.exec(
        select(Sanction)
        .where(Sanction.provider_id == provider_id, *in_force(day))
        .order_by(col(Sanction.starts_on).desc(), col(Sanction.id).desc())
    ).all()
    return sorted(rows, key=lambda s: s.kind != SanctionKind.blacklist)


def sanctions_for(
    session: Session,
    scope: Scope,
    *,
    provider_id: int | None = None,
    kind: SanctionKind | None = None,
    active_only: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Sanction], int]:
    """Sanctions in scope for the console, newest first (lifted and ended ones included
    unless `active_only`)."""
    where = [scope.where(Sanction)]
    if provider_id is not None:
        where.append(col(Sanction.provider_id) == provider_id)
    if kind is not None:
        where.append(col(Sanction.kind) == kind)
    if active_only:
        where += in_force(clock.today_local())
    total = session.exec(select(func.count()).select_from(Sanction).where(*where)).one()
    items = session.exec(
        select(Sanction)
        .where(*where)
        .order_by(col(Sanction.created_at).desc(), col(Sanction.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(items), int(total)
