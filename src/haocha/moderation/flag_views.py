"""One flag in the console: its evidence, and the three decisions on it (confirm, dismiss,
open a case). Any role may decide a flag in its scope; `flags.get_flag` makes a flag
outside it a 404 before anything else happens."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from haocha.accounts.models import Regulator
from haocha.core.errors import DomainError
from haocha.core.requests import request_locale
from haocha.deps import CsrfProtected, CurrentRegulator, RegulatorScope, SessionDep
from haocha.moderation import cases, console, flags
from haocha.moderation.console_pages import (
    CONSOLE,
    ObjectId,
    decide,
    done,
    form_id,
    form_working_days,
    render_console,
)
from haocha.moderation.scope import Scope
from haocha.providers.service import get_provider
from haocha.scoring.trend_chart import localized_trend_svg
from haocha.scoring.trends import MonthPoint

router = APIRouter(include_in_schema=False)

# Bounds on what a form may post; the services give the readable limits (1000 for a note).
NoteField = Annotated[str, Form(max_length=4000)]
TitleField = Annotated[str, Form(max_length=1000)]
ChoiceField = Annotated[str, Form(max_length=20)]


def flag_path(flag_id: int) -> str:
    return f"{CONSOLE}/flags/{flag_id}"


def _flag_page(
    request: Request,
    session: Session,
    regulator: Regulator,
    scope: Scope,
    flag_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    page = console.flag_page(session, scope, flag_id)
    return render_console(
        request,
        session,
        regulator,
        "regulator/flag.html",
        error=error,
        page=page,
        flag=page.flag,
        evidence=page.evidence,
        provider=page.provider,
        timeline_chart=localized_trend_svg(
            [MonthPoint(p["month"], p["count"], p["mean"]) for p in page.evidence["timeline"]],
            request_locale(request),
            id_prefix="timeline",
        ),
        removes_review=page.removes_review,
        form=form or {},
    )


@router.get(CONSOLE + "/flags/{flag_id}")
def flag_page(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    flag_id: ObjectId,
) -> HTMLResponse:
    return _flag_page(request, session, regulator, scope, flag_id)


@router.post(CONSOLE + "/flags/{flag_id}/confirm", dependencies=[CsrfProtected])
def confirm_flag(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    flag_id: ObjectId,
    note: NoteField = "",
) -> Response:
    flag = flags.get_flag(session, scope, flag_id)
    return decide(
        lambda: flags.confirm(session, regulator, scope, flag, note=note),
        then=lambda _: done(flag_path(flag_id), "confirmed"),
        refused=lambda exc: _flag_page(
            request, session, regulator, scope, flag_id, error=exc, form={"confirm_note": note}
        ),
    )


@router.post(CONSOLE + "/flags/{flag_id}/dismiss", dependencies=[CsrfProtected])
def dismiss_flag(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    flag_id: ObjectId,
    note: NoteField = "",
) -> Response:
    flag = flags.get_flag(session, scope, flag_id)
    return decide(
        lambda: flags.dismiss(session, regulator, scope, flag, note=note),
        then=lambda _: done(flag_path(flag_id), "dismissed"),
        refused=lambda exc: _flag_page(
            request, session, regulator, scope, flag_id, error=exc, form={"dismiss_note": note}
        ),
    )


@router.post(CONSOLE + "/flags/{flag_id}/case", dependencies=[CsrfProtected])
def open_case_from_flag(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    flag_id: ObjectId,
    title: TitleField = "",
    assignee: ChoiceField = "",
    working_days: ChoiceField = "",
) -> Response:
    flag = flags.get_flag(session, scope, flag_id)
    return decide(
        lambda: cases.open_case(
            session,
            regulator,
            scope,
            provider=get_provider(session, flag.provider_id),
            kind=flag.kind,
            title=title,
            flag=flag,
            assignee=console.assignee(session, form_id(assignee)),
            working_days=form_working_days(working_days),
        ),
        then=lambda case: done(f"{CONSOLE}/cases/{case.id}", "case_opened"),
        refused=lambda exc: _flag_page(
            request,
            session,
            regulator,
            scope,
            flag_id,
            error=exc,
            form={"case_title": title, "case_assignee": assignee, "case_days": working_days},
        ),
    )
