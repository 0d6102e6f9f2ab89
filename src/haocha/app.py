"""The FastAPI application: routers, middleware and the error handlers that speak zh/en."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from haocha import __version__
from haocha.accounts.console_views import LOGIN_PATH, console_path
from haocha.accounts.console_views import router as console_router
from haocha.accounts.regulators import ConsoleLoginRequired
from haocha.accounts.routes import router as auth_router
from haocha.core.errors import DomainError, RateLimited
from haocha.core.i18n import translate
from haocha.core.middleware import BodySizeLimit, BrowserIdCookie
from haocha.core.requests import request_locale, wants_json
from haocha.core.settings import Settings, get_settings
from haocha.core.templating import WEB_DIR, render
from haocha.core.validation_messages import describe
from haocha.health import router as health_router
from haocha.ml.dispatch import close_enqueuers
from haocha.ml.scorer import preload_scorer
from haocha.moderation.routes import router as moderation_router
from haocha.opendata.routes import router as opendata_router
from haocha.opendata.views import router as opendata_pages
from haocha.providers.account_service import ProviderLoginRequired
from haocha.providers.portal_pages import portal_login_redirect
from haocha.providers.portal_views import router as portal_router
from haocha.providers.routes import router as providers_router
from haocha.reviews.loop_routes import router as loop_router
from haocha.reviews.routes import router as reviews_router
from haocha.scoring.routes import router as rankings_router
from haocha.views import router as pages_router
from haocha.worker import in_process_jobs

log = logging.getLogger(__name__)

_STATUS_KEYS = {404: "error.not_found", 405: "error.method_not_allowed"}


def _error(request: Request, status: int, message: str, **extra: object) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message, **extra}, status_code=status)
    return render(request, "error.html", status_code=status, message=message, status=status)


def _console_login(request: Request) -> RedirectResponse:
    """To the console's login form, coming back afterwards to the page asked for; after a
    form POST (an expired session), to the page the form was on, since the POST itself
    cannot be repeated by a redirect."""
    if request.method in ("GET", "HEAD"):
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer", ""))
        back = referer.path + (f"?{referer.query}" if referer.query else "")
    return RedirectResponse(
        LOGIN_PATH + "?" + urlencode({"next": console_path(back)}), status_code=303
    )


async def on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    if isinstance(exc, ConsoleLoginRequired) and not wants_json(request):
        return _console_login(request)
    if isinstance(exc, ProviderLoginRequired) and not wants_json(request):
        return portal_login_redirect(request)
    message = translate(request_locale(request), exc.message_key, **exc.params)
    response = _error(request, exc.status_code, message)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    locale = request_locale(request)
    errors = [describe(dict(e), locale) for e in exc.errors()]
    malformed = any(e.get("type") == "json_invalid" for e in exc.errors())
    detail = errors[0]["message"] if errors else translate(locale, "error.validation")
    return _error(request, 400 if malformed else 422, detail, errors=errors)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    key = _STATUS_KEYS.get(exc.status_code)
    message = translate(request_locale(request), key) if key else str(exc.detail)
    return _error(request, exc.status_code, message)


async def on_unexpected_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the log; the person gets a sentence, never internals.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _error(request, 500, translate(request_locale(request), "error.internal"))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.ml_dispatch and not settings.redis_url:
            # This process scores the reviews (no worker without Redis): load the model
            # before the first review arrives, not inside its job. With Redis the worker
            # loads it, and this process stays without scikit-learn.
            await asyncio.to_thread(preload_scorer, settings)
        async with in_process_jobs(settings):
            yield
        await asyncio.to_thread(close_enqueuers)

    app = FastAPI(
        lifespan=lifespan,
        title="Haocha 好差评 API",
        version=__version__,
        description="Service-quality reviews of community life services in Shanghai and Nantong.",
    )
    app.state.settings = settings
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected_error)
    app.add_middleware(BrowserIdCookie, secure=settings.secure_cookies)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    for router in (
        health_router,
        auth_router,
        providers_router,
        reviews_router,
        loop_router,
        rankings_router,
        moderation_router,
        pages_router,
        console_router,
        opendata_router,
        opendata_pages,
        portal_router,
    ):
        app.include_router(router)
    return app
