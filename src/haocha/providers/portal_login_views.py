"""Getting into the provider portal: claiming a listing (credit code, then the code texted to
the listing's registered phone) and logging in by phone and SMS code; logging out.

Refusals are rendered on the form, not raised: the services refuse before they write
anything but the spent code, and the wrong-code counter lives in the key-value store."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from haocha.accounts.service import InvalidCode, InvalidPhone, MalformedCode
from haocha.core.errors import DomainError, RateLimited
from haocha.core.i18n import translate
from haocha.core.requests import request_locale
from haocha.core.templating import render
from haocha.deps import (
    PORTAL_COOKIE,
    ClientHashDep,
    CsrfProtected,
    OptionalProviderUser,
    SessionDep,
    SettingsDep,
    SmsDep,
    StoreDep,
)
from haocha.providers import account_service
from haocha.providers.portal_pages import (
    CLAIM_PATH,
    LOGIN_PATH,
    LOGOUT_PATH,
    PORTAL,
    done,
    portal_path,
    signed_in,
    signed_out,
)

router = APIRouter(include_in_schema=False)

PhoneField = Annotated[str, Form(max_length=32)]
CodeField = Annotated[str, Form(max_length=16)]
CreditCodeField = Annotated[str, Form(max_length=40)]
NextField = Annotated[str, Form(alias="next", max_length=2000)]
CODE_ERRORS = (InvalidCode, MalformedCode, account_service.PortalLocked, RateLimited)


def _page(
    request: Request, template: str, *, status_code: int = 200, **context: object
) -> Response:
    response = render(request, template, status_code=status_code, **context)
    response.headers["Cache-Control"] = "no-store"
    return response


def _say(request: Request, key: str, **params: object) -> str:
    return translate(request_locale(request), key, **params)


def _message(request: Request, exc: DomainError) -> str:
    return _say(request, exc.message_key, **exc.params)


# -- login by phone --------------------------------------------------------------------


def _phone_page(
    request: Request, next_path: str, *, phone: str = "", error: str = "", status_code: int = 200
) -> Response:
    return _page(
        request,
        "provider/login.html",
        status_code=status_code,
        next=next_path,
        phone=phone,
        error=error,
        pref_next=LOGIN_PATH + "?" + urlencode({"next": next_path}),
    )


def _login_code_page(
    request: Request,
    settings: SettingsDep,
    next_path: str,
    phone: str,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    return _page(
        request,
        "provider/code.html",
        status_code=status_code,
        action=LOGIN_PATH + "/verify",
        hidden={"next": next_path, "phone": phone},
        lead=_say(request, "provider.login.code_sent", phone=phone),
        minutes=settings.login_code_ttl_seconds // 60,
        show_outbox=settings.sms_backend == "file",
        again=LOGIN_PATH + "?" + urlencode({"next": next_path}),
        error=error,
        pref_next=LOGIN_PATH + "?" + urlencode({"next": next_path}),
    )


@router.get(LOGIN_PATH)
def login_page(
    request: Request,
    user: OptionalProviderUser,
    next_path: Annotated[str, Query(alias="next", max_length=2000)] = PORTAL,
) -> Response:
    next_path = portal_path(next_path)
    if user is not None:
        return RedirectResponse(next_path, status_code=303)
    return _phone_page(request, next_path)


@router.post(LOGIN_PATH, dependencies=[CsrfProtected])
def send_login_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    sender: SmsDep,
    client_hash: ClientHashDep,
    phone: PhoneField = "",
    next_path: NextField = PORTAL,
) -> Response:
    next_path = portal_path(next_path)
    try:
        account_service.request_login_code(
            session,
            settings=settings,
            store=store,
            sender=sender,
            raw_phone=phone,
            client_hash=client_hash,
        )
    except (InvalidPhone, RateLimited) as exc:
        return _phone_page(
            request,
            next_path,
            phone=phone,
            error=_message(request, exc),
            status_code=exc.status_code,
        )
    return _login_code_page(request, settings, next_path, phone)


@router.post(LOGIN_PATH + "/verify", dependencies=[CsrfProtected])
def verify_login_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
    phone: PhoneField = "",
    code: CodeField = "",
    next_path: NextField = PORTAL,
) -> Response:
    next_path = portal_path(next_path)
    try:
        user = account_service.verify_login_code(
            session,
            settings=settings,
            store=store,
            raw_phone=phone,
            code=code,
            client_hash=client_hash,
        )
    except InvalidPhone as exc:
        return _phone_page(
            request, next_path, error=_message(request, exc), status_code=exc.status_code
        )
    except CODE_ERRORS as exc:
        return _login_code_page(
            request,
            settings,
            next_path,
            phone,
            error=_message(request, exc),
            status_code=exc.status_code,
        )
    token = account_service.start_session(session, user)
    return signed_in(RedirectResponse(next_path, status_code=303), settings, token)


@router.post(LOGOUT_PATH, dependencies=[CsrfProtected])
def log_out(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    token = request.cookies.get(PORTAL_COOKIE)
    if token:
        account_service.end_session(session, token)
    return signed_out(RedirectResponse(LOGIN_PATH, status_code=303), settings)


# -- claiming a listing ----------------------------------------------------------------


def _claim_page(
    request: Request, *, credit_code: str = "", error: str = "", status_code: int = 200
) -> HTMLResponse:
    response = render(
        request,
        "provider/claim.html",
        status_code=status_code,
        credit_code=credit_code,
        error=error,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _claim_code_page(
    request: Request,
    settings: SettingsDep,
    claim: account_service.ClaimStarted,
    credit_code: str,
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    return _page(
        request,
        "provider/code.html",
        status_code=status_code,
        action=CLAIM_PATH + "/verify",
        hidden={"credit_code": credit_code},
        lead=_say(
            request,
            "provider.claim.code_sent",
            name=claim.provider.name,
            phone=claim.masked_phone,
        ),
        minutes=claim.ttl_seconds // 60,
        show_outbox=settings.sms_backend == "file",
        again=CLAIM_PATH,
        error=error,
        pref_next=CLAIM_PATH,
    )


@router.get(CLAIM_PATH)
def claim_page(request: Request) -> Response:
    return _claim_page(request)


@router.post(CLAIM_PATH, dependencies=[CsrfProtected])
def start_claim(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    sender: SmsDep,
    client_hash: ClientHashDep,
    credit_code: CreditCodeField = "",
) -> Response:
    try:
        claim = account_service.start_claim(
            session,
            settings=settings,
            store=store,
            sender=sender,
            raw_credit_code=credit_code,
            client_hash=client_hash,
        )
    except DomainError as exc:
        # Raised before anything is written (SmsFailed, after the code is stored, is
        # a 503 and not a DomainError the form can show: it goes on to roll back).
        if exc.status_code >= 500:
            raise
        return _claim_page(
            request,
            credit_code=credit_code,
            error=_message(request, exc),
            status_code=exc.status_code,
        )
    return _claim_code_page(request, settings, claim, credit_code)


@router.post(CLAIM_PATH + "/verify", dependencies=[CsrfProtected])
def finish_claim(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
    credit_code: CreditCodeField = "",
    code: CodeField = "",
) -> Response:
    try:
        claim = account_service.claim_target(
            session, settings=settings, raw_credit_code=credit_code
        )
    except DomainError as exc:
        return _claim_page(
            request,
            credit_code=credit_code,
            error=_message(request, exc),
            status_code=exc.status_code,
        )
    try:
        owner = account_service.finish_claim(
            session,
            settings=settings,
            store=store,
            raw_credit_code=credit_code,
            code=code,
            client_hash=client_hash,
        )
    except CODE_ERRORS as exc:
        return _claim_code_page(
            request,
            settings,
            claim,
            credit_code,
            error=_message(request, exc),
            status_code=exc.status_code,
        )
    except (account_service.ListingClaimed, account_service.PhoneInUse) as exc:
        return _claim_page(
            request,
            credit_code=credit_code,
            error=_message(request, exc),
            status_code=exc.status_code,
        )
    token = account_service.start_session(session, owner)
    return signed_in(done(PORTAL, "claimed"), settings, token)
