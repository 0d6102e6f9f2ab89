"""The frame every provider portal page shares: rendering with the signed-in account and its
provider, the notice of an action just taken (`?done=`), a refused form's message, the
portal cookie, and the redirect to the login form."""

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from haocha.accounts.console_views import secure_cookie
from haocha.accounts.views import local_path
from haocha.core.errors import DomainError
from haocha.core.i18n import translate
from haocha.core.requests import request_locale
from haocha.core.settings import Settings
from haocha.core.templating import render
from haocha.deps import PORTAL_COOKIE
from haocha.providers.account_service import SESSION_TTL
from haocha.providers.accounts import ProviderUser
from haocha.providers.service import get_provider, get_sector

PORTAL = "/provider"
LOGIN_PATH = "/provider/login"
LOGOUT_PATH = "/provider/logout"
CLAIM_PATH = "/provider/claim"
ObjectId = Annotated[int, Path(ge=1, le=2**31 - 1)]

# What a redirect after an action may announce; anything else in the address is ignored,
# so a link cannot put words on the portal's pages.
DONE_NOTICES = frozenset(
    {"claimed", "replied", "appealed", "staff_added", "staff_removed", "invitation_issued"}
)


def portal_path(value: str | None) -> str:
    """`value` if it is a portal page other than login, claim or logout, else the portal
    home: a link can neither send a provider off the site nor into a login loop."""
    path = local_path(value, PORTAL)
    inside = path == PORTAL or path.startswith((PORTAL + "/", PORTAL + "?"))
    if not inside or path.startswith((LOGIN_PATH, LOGOUT_PATH, CLAIM_PATH)):
        return PORTAL
    return path


def portal_login_redirect(request: Request) -> RedirectResponse:
    """To the login form, coming back afterwards to the page asked for; after a form POST
    (an expired session), to the page the form was on."""
    if request.method in ("GET", "HEAD"):
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        back = referer.path + (f"?{referer.query}" if referer.query else "")
    return RedirectResponse(
        LOGIN_PATH + "?" + urlencode({"next": portal_path(back)}), status_code=303
    )


def render_portal(
    request: Request,
    session: Session,
    user: ProviderUser,
    template: str,
    *,
    error: DomainError | None = None,
    **context: Any,
) -> HTMLResponse:
    """A portal page; shown again with a refused form's `error`, it answers with that
    refusal's status, so the response says the action was not taken."""
    locale = request_locale(request)
    provider = get_provider(session, user.provider_id)
    sector = get_sector(session, provider.sector_code)
    done = request.query_params.get("done")
    response = render(
        request,
        template,
        status_code=error.status_code if error else 200,
        user=user,
        provider=provider,
        sector_name=sector.name_zh if locale == "zh" else sector.name_en,
        done=done if done in DONE_NOTICES else None,
        error=translate(locale, error.message_key, **error.params) if error else None,
        **context,
    )
    # Portal pages hold reviews' workflow and staff lists: no shared cache keeps them.
    response.headers["Cache-Control"] = "no-store"
    return response


def done(path: str, notice: str) -> RedirectResponse:
    """After an action: back to the page it was taken on, saying what happened."""
    assert notice in DONE_NOTICES  # noqa: S101 - a programming error, not input
    return RedirectResponse(f"{path}?done={notice}", status_code=303)


def signed_in(response: Response, settings: Settings, token: str) -> Response:
    response.set_cookie(
        PORTAL_COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        path=PORTAL,
        httponly=True,
        # Strict: no other site can make a browser send it; the portal is entered
        # through its own pages.
        samesite="strict",
        secure=secure_cookie(settings),
    )
    return response


def signed_out(response: Response, settings: Settings) -> Response:
    response.delete_cookie(
        PORTAL_COOKIE, path=PORTAL, httponly=True, samesite="strict", secure=secure_cookie(settings)
    )
    return response
