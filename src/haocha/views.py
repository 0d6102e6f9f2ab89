"""All page routers, gathered for the app, plus the pages no domain owns: the home page and
the visitor's two preferences, language and elder mode (大字版)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from haocha.accounts.views import NextPath, local_path
from haocha.accounts.views import router as accounts_pages
from haocha.core import clock
from haocha.core.requests import ELDER_COOKIE, LANG_COOKIE
from haocha.core.templating import get_templates, render
from haocha.deps import CsrfProtected, SessionDep, SettingsDep
from haocha.moderation.views import router as console_pages
from haocha.providers.service import list_sectors
from haocha.providers.views import router as provider_pages
from haocha.reviews.loop_views import InboxBadge
from haocha.reviews.loop_views import router as loop_pages
from haocha.reviews.models import LEVEL_NAMES
from haocha.reviews.views import router as review_pages

# Every page, the included routers' too, gets the signed-in resident's unread count for
# the inbox badge in the header.
router = APIRouter(include_in_schema=False, dependencies=[InboxBadge])
PREFERENCE_MAX_AGE = 365 * 24 * 3600


def _local_date(value: datetime) -> str:
    """A timestamp as the calendar date in China, where every reader of these pages is."""
    return clock.as_utc(value).astimezone(clock.CHINA_TZ).date().isoformat()


def _percent(value: float) -> str:
    return f"{value:.0%}"


# What several page templates need and no single view owns: the level names (one source,
# the reviews model) and two formatting filters.
_env = get_templates().env
_env.globals["level_names"] = LEVEL_NAMES
_env.filters["local_date"] = _local_date
_env.filters["percent"] = _percent


@router.get("/")
def home(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "home.html", sectors=list_sectors(session))


def _remembered(response: RedirectResponse, name: str, value: str, secure: bool) -> None:
    response.set_cookie(
        name,
        value,
        max_age=PREFERENCE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )


@router.post("/prefs/elder", dependencies=[CsrfProtected])
def set_elder_mode(
    request: Request,
    settings: SettingsDep,
    elder: Annotated[str, Form()] = "",
    next_path: NextPath = "/",
) -> RedirectResponse:
    # The form says which mode it wants, so a double submit does not flip it back; a
    # request without a value toggles.
    if elder not in ("0", "1"):
        elder = "0" if request.cookies.get(ELDER_COOKIE) == "1" else "1"
    response = RedirectResponse(local_path(next_path), status_code=303)
    _remembered(response, ELDER_COOKIE, elder, settings.secure_cookies)
    return response


@router.post("/prefs/lang", dependencies=[CsrfProtected])
def set_language(
    settings: SettingsDep,
    lang: Annotated[str, Form()] = "",
    next_path: NextPath = "/",
) -> RedirectResponse:
    response = RedirectResponse(local_path(next_path), status_code=303)
    if lang in ("zh", "en"):
        _remembered(response, LANG_COOKIE, lang, settings.secure_cookies)
    return response


for _pages in (accounts_pages, provider_pages, review_pages, loop_pages, console_pages):
    router.include_router(_pages)
