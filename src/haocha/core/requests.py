"""Per-request facts the edge derives once: locale, browser id, hashed client address."""

import secrets

from fastapi import Request

from haocha.core.i18n import Locale, as_locale, negotiate

LANG_COOKIE = "lang"
ELDER_COOKIE = "elder"
BROWSER_COOKIE = "hid"


def request_locale(request: Request) -> Locale:
    """An explicit choice (?lang=, then the cookie) beats the browser's Accept-Language."""
    return (
        as_locale(request.query_params.get("lang"))
        or as_locale(request.cookies.get(LANG_COOKIE))
        or negotiate(request.headers.get("accept-language"))
    )


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/open/")) or path in ("/healthz", "/openapi.json"):
        return True
    return "text/html" not in request.headers.get("accept", "")


def new_browser_id() -> str:
    return secrets.token_urlsafe(24)
