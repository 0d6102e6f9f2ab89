"""The regulators' console login: user name, password and (when set) a TOTP code, then a
session cookie that only the console's paths receive."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from haocha.accounts import regulators
from haocha.accounts.views import local_path
from haocha.core.errors import RateLimited
from haocha.core.i18n import translate
from haocha.core.ratelimit import enforce
from haocha.core.settings import Settings
from haocha.core.templating import render
from haocha.deps import (
    CONSOLE_COOKIE,
    ClientHashDep,
    CsrfProtected,
    LocaleDep,
    OptionalRegulator,
    SessionDep,
    SettingsDep,
    StoreDep,
)

router = APIRouter(include_in_schema=False)

CONSOLE_HOME = "/regulator"
LOGIN_PATH = "/regulator/login"
LOGOUT_PATH = "/regulator/logout"
# Per network address, on top of each account's lock: it also slows one password tried
# against many accounts, which no single account's counter sees.
LOGIN_LIMIT_PER_ADDRESS = (30, 3600)


def console_path(value: str | None) -> str:
    """`value` if it is a console page other than login/logout, else the console home:
    a link can neither send a regulator off the site nor into a login loop."""
    path = local_path(value, CONSOLE_HOME)
    inside = path == CONSOLE_HOME or path.startswith((CONSOLE_HOME + "/", CONSOLE_HOME + "?"))
    if not inside or path.startswith((LOGIN_PATH, LOGOUT_PATH)):
        return CONSOLE_HOME
    return path


def secure_cookie(settings: Settings) -> bool:
    # Only a developer's plain-http laptop may send the console cookie unencrypted.
    return settings.environment != "development" or settings.secure_cookies


def _login_page(
    request: Request,
    next_path: str,
    *,
    username: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    # The password and code are never written back into the page.
    response = render(
        request,
        "regulator/login.html",
        status_code=status_code,
        next=next_path,
        username=username,
        error=error,
        pref_next=LOGIN_PATH + "?" + urlencode({"next": next_path}),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(LOGIN_PATH)
def login_page(
    request: Request,
    regulator: OptionalRegulator,
    next_path: Annotated[str, Query(alias="next", max_length=2000)] = CONSOLE_HOME,
) -> Response:
    next_path = console_path(next_path)
    if regulator is not None:
        return RedirectResponse(next_path, status_code=303)
    return _login_page(request, next_path)


@router.post(LOGIN_PATH, dependencies=[CsrfProtected])
def log_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
    locale: LocaleDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    totp_code: Annotated[str, Form(alias="totp")] = "",
    next_path: Annotated[str, Form(alias="next")] = CONSOLE_HOME,
) -> Response:
    next_path = console_path(next_path)
    shown_name = username.strip()[:32]
    try:
        enforce(store, "console-login-address", client_hash, LOGIN_LIMIT_PER_ADDRESS)
    except RateLimited as exc:
        message = translate(locale, exc.message_key, **exc.params)
        page = _login_page(
            request, next_path, username=shown_name, error=message, status_code=exc.status_code
        )
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    result = regulators.authenticate(
        session, username=username, password=password, totp_code=totp_code, store=store
    )
    if result.regulator is None:
        # Rendered, not raised: the request must commit the failure count and its audit
        # entry (see LoginResult).
        refusal = result.refusal or regulators.LoginRefused()
        message = translate(locale, refusal.message_key, **refusal.params)
        return _login_page(
            request, next_path, username=shown_name, error=message, status_code=refusal.status_code
        )
    token = regulators.start_session(session, result.regulator)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        CONSOLE_COOKIE,
        token,
        max_age=int(regulators.SESSION_TTL.total_seconds()),
        path=CONSOLE_HOME,
        httponly=True,
        # Strict: no other site can make a browser send it, not even by a top-level link;
        # the console is always entered through its own pages.
        samesite="strict",
        secure=secure_cookie(settings),
    )
    return response


@router.post(LOGOUT_PATH, dependencies=[CsrfProtected])
def log_out(request: Request, session: SessionDep, settings: SettingsDep) -> RedirectResponse:
    token = request.cookies.get(CONSOLE_COOKIE)
    if token:
        regulators.end_session(session, token)
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(
        CONSOLE_COOKIE,
        path=CONSOLE_HOME,
        httponly=True,
        samesite="strict",
        secure=secure_cookie(settings),
    )
    return response
