"""Resident login pages: phone number, then the code from the text message, then a cookie."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from haocha.accounts import service
from haocha.core.errors import RateLimited
from haocha.core.i18n import translate
from haocha.core.templating import render
from haocha.deps import (
    SESSION_COOKIE,
    ClientHashDep,
    CsrfProtected,
    LocaleDep,
    SessionDep,
    SettingsDep,
    SmsDep,
    StoreDep,
)

router = APIRouter(include_in_schema=False)

NextPath = Annotated[str, Form(alias="next")]


def local_path(value: str | None, default: str = "/") -> str:
    """`value` if it is a path on this site, else `default`.

    Every `next` parameter passes through here, so a link cannot turn login into a
    redirect to another site: "//host" and "/\\host" are read by browsers as other hosts,
    and browsers drop tabs and newlines from addresses, so "/\\t/host" is one too."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return default
    return value


def login_redirect(request: Request) -> RedirectResponse:
    """To the login page, coming back to this page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)


def _phone_page(
    request: Request, next_path: str, phone: str = "", error: str = "", status_code: int = 200
) -> HTMLResponse:
    return render(
        request,
        "login.html",
        status_code=status_code,
        next=next_path,
        phone=phone,
        error=error,
        pref_next="/login?" + urlencode({"next": next_path}),
    )


def _code_page(
    request: Request,
    next_path: str,
    phone: str,
    minutes: int,
    show_outbox: bool,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "login_code.html",
        status_code=status_code,
        next=next_path,
        phone=phone,
        minutes=minutes,
        show_outbox=show_outbox,
        error=error,
        # A language switch on this page goes back to the phone form: the code page only
        # exists as the answer to a POST.
        pref_next="/login?" + urlencode({"next": next_path}),
    )


@router.get("/login")
def login_page(
    request: Request, next_path: Annotated[str, Query(alias="next", max_length=2000)] = "/"
) -> HTMLResponse:
    return _phone_page(request, local_path(next_path))


@router.post("/login", dependencies=[CsrfProtected])
def send_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    sender: SmsDep,
    client_hash: ClientHashDep,
    locale: LocaleDep,
    phone: Annotated[str, Form()] = "",
    next_path: NextPath = "/",
) -> HTMLResponse:
    next_path = local_path(next_path)
    try:
        ttl = service.request_code(
            session,
            settings=settings,
            store=store,
            sender=sender,
            raw_phone=phone,
            client_hash=client_hash,
        )
    except (service.InvalidPhone, RateLimited) as exc:
        # Raised before anything is written. SmsFailed is not caught: it comes after the
        # new code is stored, and must reach the error handler so the request rolls back.
        message = translate(locale, exc.message_key, **exc.params)
        return _phone_page(request, next_path, phone, message, exc.status_code)
    return _code_page(
        request, next_path, phone, ttl // 60, show_outbox=settings.sms_backend == "file"
    )


@router.post("/login/verify", dependencies=[CsrfProtected])
def verify_code(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
    locale: LocaleDep,
    phone: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    next_path: NextPath = "/",
) -> Response:
    next_path = local_path(next_path)
    try:
        resident = service.verify_code(
            session,
            settings=settings,
            store=store,
            raw_phone=phone,
            code=code,
            client_hash=client_hash,
        )
    except (service.InvalidPhone, service.InvalidCode, service.MalformedCode, RateLimited) as exc:
        message = translate(locale, exc.message_key, **exc.params)
        minutes = settings.login_code_ttl_seconds // 60
        show_outbox = settings.sms_backend == "file"
        return _code_page(request, next_path, phone, minutes, show_outbox, message, exc.status_code)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        service.issue_token(settings, resident),
        max_age=settings.access_token_ttl_seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.post("/logout", dependencies=[CsrfProtected])
def log_out(settings: SettingsDep) -> RedirectResponse:
    # The token is stateless and stays valid until it expires; what logging out on a shared
    # phone needs is that this browser forgets it.
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return response
