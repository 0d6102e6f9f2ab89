"""One provider in the console: its score, open flags, cases and sanctions, and the
sanction decisions: publish a consumer warning (消费提示, any role), publish a blacklist
entry (黑名单, supervisor or admin), lift either (a blacklist entry again only by a
supervisor or admin: `sanctions.lift` refuses anyone else)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from haocha.accounts.models import Regulator
from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.deps import CsrfProtected, CurrentRegulator, RegulatorScope, SessionDep, require_role
from haocha.moderation import cases, console, sanctions
from haocha.moderation.console_pages import (
    CONSOLE,
    ObjectId,
    decide,
    done,
    form_date,
    form_id,
    form_optional_date,
    render_console,
)
from haocha.moderation.models import Case
from haocha.moderation.scope import Scope

router = APIRouter(include_in_schema=False)

TextField = Annotated[str, Form(max_length=4000)]
ShortField = Annotated[str, Form(max_length=20)]


def provider_path(provider_id: int) -> str:
    return f"{CONSOLE}/providers/{provider_id}"


def _provider_page(
    request: Request,
    session: Session,
    regulator: Regulator,
    scope: Scope,
    provider_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    return render_console(
        request,
        session,
        regulator,
        "regulator/provider.html",
        error=error,
        page=console.provider_page(session, scope, provider_id),
        today=clock.today_local().isoformat(),
        may_blacklist=regulator.role in sanctions.BLACKLIST_ROLES,
        may_lift_blacklist=regulator.role in sanctions.BLACKLIST_ROLES,
        form=form or {},
    )


def _cited_case(session: Session, scope: Scope, value: str) -> Case | None:
    case_id = form_id(value)
    return None if case_id is None else cases.get_case(session, scope, case_id)


@router.get(CONSOLE + "/providers/{provider_id}")
def provider_page(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    provider_id: ObjectId,
) -> HTMLResponse:
    return _provider_page(request, session, regulator, scope, provider_id)


@router.post(CONSOLE + "/providers/{provider_id}/warnings", dependencies=[CsrfProtected])
def publish_warning(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    provider_id: ObjectId,
    text: TextField = "",
    starts_on: ShortField = "",
    ends_on: ShortField = "",
    case: ShortField = "",
) -> Response:
    provider = console.provider_in_scope(session, scope, provider_id)
    form = {"w_text": text, "w_starts": starts_on, "w_ends": ends_on, "w_case": case}
    return decide(
        lambda: sanctions.publish_warning(
            session,
            regulator,
            scope,
            provider=provider,
            text=text,
            starts_on=form_date(starts_on),
            ends_on=form_optional_date(ends_on),
            case=_cited_case(session, scope, case),
        ),
        then=lambda _: done(provider_path(provider_id), "warning_published"),
        refused=lambda exc: _provider_page(
            request, session, regulator, scope, provider_id, error=exc, form=form
        ),
    )


@router.post(
    CONSOLE + "/providers/{provider_id}/blacklist",
    dependencies=[CsrfProtected, require_role(*sanctions.BLACKLIST_ROLES)],
)
def publish_blacklist(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    provider_id: ObjectId,
    reason: TextField = "",
    legal_basis: TextField = "",
    starts_on: ShortField = "",
    ends_on: ShortField = "",
    case: ShortField = "",
) -> Response:
    provider = console.provider_in_scope(session, scope, provider_id)
    form = {
        "b_reason": reason,
        "b_basis": legal_basis,
        "b_starts": starts_on,
        "b_ends": ends_on,
        "b_case": case,
    }
    return decide(
        lambda: sanctions.publish_blacklist(
            session,
            regulator,
            scope,
            provider=provider,
            reason=reason,
            legal_basis=legal_basis,
            starts_on=form_date(starts_on),
            ends_on=form_optional_date(ends_on),
            case=_cited_case(session, scope, case),
        ),
        then=lambda _: done(provider_path(provider_id), "blacklist_published"),
        refused=lambda exc: _provider_page(
            request, session, regulator, scope, provider_id, error=exc, form=form
        ),
    )


@router.post(CONSOLE + "/sanctions/{sanction_id}/lift", dependencies=[CsrfProtected])
def lift_sanction(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    sanction_id: ObjectId,
    reason: TextField = "",
) -> Response:
    sanction = sanctions.get_sanction(session, scope, sanction_id)
    return decide(
        lambda: sanctions.lift(session, regulator, scope, sanction, reason),
        then=lambda _: done(provider_path(sanction.provider_id), "lifted"),
        refused=lambda exc: _provider_page(
            request,
            session,
            regulator,
            scope,
            sanction.provider_id,
            error=exc,
            form={f"lift_{sanction_id}": reason},
        ),
    )
