"""Cases: an investigation of one provider, with a deadline in working days, an assignee,
notes and a status, escalated to a supervisor when it runs past its deadline.

Every change is written to the audit log with the case's state before and after."""

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from haocha.accounts.models import Regulator, RegulatorRole
from haocha.core import clock
from haocha.core.errors import DomainError, NotFound
from haocha.moderation import audit
from haocha.moderation.calendar import add_working_days
from haocha.moderation.flags import checked_note, close_flag, lock_open_flag
from haocha.moderation.models import Case, CaseNote, CaseStatus, Flag, FlagKind, FlagStatus
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider
from haocha.providers.service import ProviderNotFound

# Working days from opening to the deadline, by kind. A fake review or ring is settled from
# the platform's own records in two working weeks; a flight risk (an operator that may close
# with customers' prepaid money) cannot wait that long; complaints, reports and appeals
# need the provider's side heard and get three working weeks.
DEFAULT_WORKING_DAYS: dict[FlagKind, int] = {
    FlagKind.fake_review: 10,
    FlagKind.review_ring: 10,
    FlagKind.flight_risk: 5,
}
OTHER_WORKING_DAYS = 15
MAX_WORKING_DAYS = 120  # about half a year: beyond that a deadline means nothing
MAX_TITLE = 200

ACTIVE = (CaseStatus.open, CaseStatus.investigating)
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.open: frozenset({CaseStatus.investigating, CaseStatus.closed}),
    CaseStatus.investigating: frozenset({CaseStatus.resolved, CaseStatus.closed}),
    CaseStatus.resolved: frozenset(),
    CaseStatus.closed: frozenset(),
}


class CaseNotFound(NotFound):
    message_key = "error.case_not_found"


class CaseTransitionRefused(DomainError):
    status_code = 409
    message_key = "error.case_transition"


class CaseFinished(DomainError):
    status_code = 409
    message_key = "error.case_finished"


class CaseTitleInvalid(DomainError):
    status_code = 422
    message_key = "error.case_title"


class CaseDeadlineInvalid(DomainError):
    status_code = 422
    message_key = "error.case_working_days"


class FlagProviderMismatch(DomainError):
    status_code = 422
    message_key = "error.flag_provider_mismatch"


class AssigneeOutOfScope(DomainError):
    status_code = 422
    message_key = "error.assignee_out_of_scope"


def default_working_days(kind: FlagKind) -> int:
    return DEFAULT_WORKING_DAYS.get(kind, OTHER_WORKING_DAYS)


def case_state(case: Case) -> dict[str, Any]:
    return {
        "kind": case.kind.value,
        "status": case.status.value,
        "provider_id": case.provider_id,
        "flag_id": case.flag_id,
        "title": case.title,
        "deadline": case.deadline.isoformat(),
        "assignee_id": case.assignee_id,
        "escalated": case.escalated,
    }


def covers(regulator: Regulator, sector_code: str, district_code: str) -> bool:
    return regulator.is_active and Scope.of(regulator).allows(sector_code, district_code)


def _check_assignee(assignee: Regulator | None, sector_code: str, district_code: str) -> None:
    # An assignee who cannot see the case could not work it.
    if assignee is not None and not covers(assignee, sector_code, district_code):
        raise AssigneeOutOfScope()


def open_case(
    session: Session,
    regulator: Regulator,
    scope: Scope,
    *,
    provider: Provider,
    kind: FlagKind,
    title: str,
    flag: Flag | None = None,
    assignee: Regulator | None = None,
    working_days: int | None = None,
) -> Case:
    """Open a case on a provider in scope; the deadline is `working_days` (default by kind,
    see DEFAULT_WORKING_DAYS) working days after today in China. Opening from a flag
    decides the flag (status case_opened)."""
    if not scope.allows(provider.sector_code, provider.district_code):
        raise ProviderNotFound()
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise CaseTitleInvalid(max=MAX_TITLE)
    days = default_working_days(kind) if working_days is None else working_days
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise CaseDeadlineInvalid(max=MAX_WORKING_DAYS)
    if flag is not None:
        flag = lock_open_flag(session, scope, flag)
        if flag.provider_id != provider.id:
            raise FlagProviderMismatch()
    _check_assignee(assignee, provider.sector_code, provider.district_code)
    assert provider.id is not None  # noqa: S101 - a loaded row
    assert regulator.id is not None  # noqa: S101
    case = Case(
        kind=kind,
        provider_id=provider.id,
        flag_id=flag.id if flag is not None else None,
        sector_code=provider.sector_code,
        district_code=provider.district_code,
        title=title,
        deadline=add_working_days(clock.today_local(), days),
        assignee_id=assignee.id if assignee is not None else None,
        created_by=regulator.id,
    )
    session.add(case)
    session.flush()
    audit.record(
        session,
        actor=regulator,
        action="case.open",
        target_type="case",
        target_id=case.id,
        after={**case_state(case), "working_days": days},
    )
    if flag is not None:
        close_flag(
            session,
            regulator,
            flag,
            status=FlagStatus.case_opened,
            note=flag.decision_note,
            action="flag.open_case",
            after={"case_id": case.id},
        )
    return case


def get_case(session: Session, scope: Scope, case_id: int) -> Case:
    """The case, or CaseNotFound when missing or out of scope (they read the same)."""
    case = session.exec(select(Case).where(Case.id == case_id, scope.where(Case))).first()
    if case is None:
        raise CaseNotFound()
    return case


def _locked(session: Session, scope: Scope, case: Case) -> Case:
    locked = session.exec(
        select(Case)
        .where(Case.id == case.id, scope.where(Case))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if locked is None:
        raise CaseNotFound()
    return locked


def _changed(
    session: Session, regulator: Regulator | None, case: Case, action: str, before: dict[str, Any]
) -> Case:
    case.updated_at = clock.now()
    session.add(case)
    session.flush()
    audit.record(
        session,
        actor=regulator,
        action=action,
        target_type="case",
        target_id=case.id,
        before=before,
        after=case_state(case),
    )
    return case


def assign(
    session: Session, regulator: Regulator, scope: Scope, case: Case, assignee: Regulator | None
) -> Case:
    """Give the case to `assignee` (None: nobody), who must cover its sector and district."""
    case = _locked(session, scope, case)
    if case.status not in ACTIVE:
        raise CaseFinished()
    _check_assignee(assignee, case.sector_code, case.district_code)
    before = case_state(case)
    case.assignee_id = assignee.id if assignee is not None else None
    return _changed(session, regulator, case, "case.assign", before)


def set_status(
    session: Session, regulator: Regulator, scope: Scope, case: Case, status: CaseStatus
) -> Case:
    """Move the case along open → investigating → resolved | closed (or open → closed)."""
    case = _locked(session, scope, case)
    if status not in TRANSITIONS[case.status]:
        raise CaseTransitionRefused()
    before = case_state(case)
    case.status = status
    return _changed(session, regulator, case, "case.status", before)


def add_note(
    session: Session, regulator: Regulator, scope: Scope, case: Case, text: str
) -> CaseNote:
    """A note on the case. Finished cases take notes too (a late reply, a court ruling)."""
    text = checked_note(text, required=True)
    case = get_case(session, scope, case.id or 0)
    assert case.id is not None  # noqa: S101 - a loaded row
    assert regulator.id is not None  # noqa: S101
    note = CaseNote(case_id=case.id, author_id=regulator.id, text=text)
    session.add(note)
    session.flush()
    audit.record(
        session,
        actor=regulator,
        action="case.note",
        target_type="case",
        target_id=case.id,
        after={"note_id": note.id, "text": text},
    )
    return note


def case_notes(session: Session, scope: Scope, case: Case) -> list[CaseNote]:
    case = get_case(session, scope, case.id or 0)
    return list(
        session.exec(
            select(CaseNote)
            .where(CaseNote.case_id == case.id)
            .order_by(col(CaseNote.created_at), col(CaseNote.id))
        )
    )


def _overdue(today: date) -> list[ColumnElement[bool]]:
    # The deadline day itself is still on time.
    return [col(Case.status).in_(ACTIVE), col(Case.deadline) < today]


def cases(
    session: Session,
    scope: Scope,
    *,
    status: CaseStatus | None = None,
    overdue_only: bool = False,
    assignee_id: int | None = None,
    provider_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Case], int]:
    """Cases in scope, nearest deadline first."""
    where = [scope.where(Case)]
    if status is not None:
        where.append(col(Case.status) == status)
    if overdue_only:
        where += _overdue(clock.today_local())
    if assignee_id is not None:
        where.append(col(Case.assignee_id) == assignee_id)
    if provider_id is not None:
        where.append(col(Case.provider_id) == provider_id)
    total = session.exec(select(func.count()).select_from(Case).where(*where)).one()
    items = session.exec(
        select(Case)
        .where(*where)
        .order_by(col(Case.deadline), col(Case.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return list(items), int(total)


def escalate_overdue(session: Session, today: date | None = None) -> list[Case]:
    """Job (actor "system"): each open or investigating case past its deadline and not yet
    escalated is marked escalated and given to a supervisor who covers it, if there is one
    (the lowest id, so reruns agree). Not scoped: the job works for every regulator."""
    day = today or clock.today_local()
    overdue = session.exec(
        select(Case)
        .where(*_overdue(day), col(Case.escalated).is_(False))
        .order_by(col(Case.id))
        .with_for_update()
    ).all()
    if not overdue:
        return []
    supervisors = session.exec(
        select(Regulator)
        .where(Regulator.role == RegulatorRole.supervisor, col(Regulator.is_active).is_(True))
        .order_by(col(Regulator.id))
    ).all()
    for case in overdue:
        before = case_state(case)
        case.escalated = True
        chosen = next(
            (s for s in supervisors if covers(s, case.sector_code, case.district_code)), None
        )
        if chosen is not None:
            case.assignee_id = chosen.id
        _changed(session, None, case, "case.escalate", before)
    return list(overdue)
