"""Cases in the console: the list (by status, overdue, mine), one case with its notes, and
the three things done to a case (a note, a status change, an assignee). Any role may work
a case in its scope; `cases.get_case` makes one outside it a 404."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, field_validator
from sqlmodel import Session

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.deps import CsrfProtected, CurrentRegulator, RegulatorScope, SessionDep
from haocha.moderation import cases, console
from haocha.moderation.console_pages import (
    CONSOLE,
    PAGE_SIZE,
    ChoiceInvalid,
    ObjectId,
    decide,
    done,
    form_id,
    render_console,
)
from haocha.moderation.models import CaseStatus
from haocha.moderation.scope import Scope

router = APIRouter(include_in_schema=False)

NoteField = Annotated[str, Form(max_length=4000)]
ChoiceField = Annotated[str, Form(max_length=20)]


class CaseFilters(BaseModel):
    status: CaseStatus | None = None
    overdue: bool = False
    mine: bool = False
    page: int = Field(default=1, ge=1, le=10_000)

    @field_validator("status", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def query(self) -> dict[str, str]:
        """The filters as they go back into the pager's links."""
        data = self.model_dump(mode="json", exclude={"page"})
        return {k: "1" if v is True else str(v) for k, v in data.items() if v}


def case_path(case_id: int) -> str:
    return f"{CONSOLE}/cases/{case_id}"


@router.get(CONSOLE + "/cases")
def cases_page(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    filters: Annotated[CaseFilters, Query()],
) -> HTMLResponse:
    items, total = cases.cases(
        session,
        scope,
        status=filters.status,
        overdue_only=filters.overdue,
        assignee_id=regulator.id if filters.mine else None,
        limit=PAGE_SIZE,
        offset=(filters.page - 1) * PAGE_SIZE,
    )
    return render_console(
        request,
        session,
        regulator,
        "regulator/cases.html",
        items=items,
        total=total,
        providers=console.providers_by_id(session, [c.provider_id for c in items]),
        names=console.regulator_names(session, [c.assignee_id for c in items]),
        filters=filters,
        query=filters.query(),
        statuses=list(CaseStatus),
        today=clock.today_local(),
        page=filters.page,
        page_size=PAGE_SIZE,
    )


def _case_page(
    request: Request,
    session: Session,
    regulator: Regulator,
    scope: Scope,
    case_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    return render_console(
        request,
        session,
        regulator,
        "regulator/case.html",
        error=error,
        page=console.case_page(session, scope, case_id),
        form=form or {},
    )


@router.get(CONSOLE + "/cases/{case_id}")
def case_page(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    case_id: ObjectId,
) -> HTMLResponse:
    return _case_page(request, session, regulator, scope, case_id)


def _status_choice(value: str) -> CaseStatus:
    if value not in CaseStatus.__members__:
        raise ChoiceInvalid()
    return CaseStatus(value)


@router.post(CONSOLE + "/cases/{case_id}/notes", dependencies=[CsrfProtected])
def add_case_note(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    case_id: ObjectId,
    text: NoteField = "",
) -> Response:
    case = cases.get_case(session, scope, case_id)
    return decide(
        lambda: cases.add_note(session, regulator, scope, case, text),
        then=lambda _: done(case_path(case_id), "note_added"),
        refused=lambda exc: _case_page(
            request, session, regulator, scope, case_id, error=exc, form={"note": text}
        ),
    )


@router.post(CONSOLE + "/cases/{case_id}/status", dependencies=[CsrfProtected])
def change_case_status(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    case_id: ObjectId,
    status: ChoiceField = "",
) -> Response:
    case = cases.get_case(session, scope, case_id)
    return decide(
        lambda: cases.set_status(session, regulator, scope, case, _status_choice(status)),
        then=lambda _: done(case_path(case_id), "status_changed"),
        refused=lambda exc: _case_page(request, session, regulator, scope, case_id, error=exc),
    )


@router.post(CONSOLE + "/cases/{case_id}/assign", dependencies=[CsrfProtected])
def assign_case(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    case_id: ObjectId,
    assignee: ChoiceField = "",
) -> Response:
    case = cases.get_case(session, scope, case_id)
    return decide(
        lambda: cases.assign(
            session, regulator, scope, case, console.assignee(session, form_id(assignee))
        ),
        then=lambda _: done(case_path(case_id), "assigned"),
        refused=lambda exc: _case_page(
            request, session, regulator, scope, case_id, error=exc, form={"assignee": assignee}
        ),
    )
