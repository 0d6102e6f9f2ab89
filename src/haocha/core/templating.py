"""Jinja2 pages from web/templates, with what every page needs already in the context."""

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from haocha.core.i18n import translate
from haocha.core.requests import BROWSER_COOKIE, ELDER_COOKIE, request_locale
from haocha.core.security import csrf_token_for
from haocha.core.settings import PROJECT_ROOT, Settings

WEB_DIR = PROJECT_ROOT / "web"


# Inside <script> the HTML parser ends the element at the first "</script" whatever the
# JSON means, so these characters are written as JSON escapes, which parse back the same.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_script(value: Any) -> Markup:
    """`value` as JSON that is safe as the whole content of a <script> element (JSON-LD)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_SAFE))  # noqa: S704 - the escaping is the line above


def by_code(items: Iterable[Any], code: str) -> Any:
    """The sector or district with this code (a Python loop: `selectattr | first` per card
    was the slowest part of a ranking page)."""
    return next((item for item in items if item.code == code), None)


@lru_cache
def get_templates() -> Jinja2Templates:
    # Autoescaping is on for .html (Jinja2Templates' default): review texts are user input.
    templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    templates.env.filters["json_script"] = json_script
    templates.env.filters["by_code"] = by_code
    return templates


def browser_id(request: Request) -> str:
    """The id cookie, or the one BrowserIdCookie is setting on this very response."""
    return request.cookies.get(BROWSER_COOKIE) or str(getattr(request.state, "browser_id", ""))


def render_fragment(request: Request, template: str, **context: Any) -> Markup:
    """A part of a page as HTML, for caching: it gets the language helpers but no
    per-visitor values (no CSRF token, no elder-mode flag), so it is the same for all."""
    locale = request_locale(request)

    def t(key: str, **params: object) -> str:
        return translate(locale, key, **params)

    html = get_templates().get_template(template).render(locale=locale, t=t, **context)
    return Markup(html)  # noqa: S704 - rendered by an autoescaping template


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    locale = request_locale(request)

    def t(key: str, **params: object) -> str:
        return translate(locale, key, **params)

    base = {
        "locale": locale,
        "t": t,
        "elder": request.cookies.get(ELDER_COOKIE) == "1",
        "csrf_token": csrf_token_for(settings.secret_key.get_secret_value(), browser_id(request)),
        "demo_banner": settings.demo_banner,
        "current_url": str(request.url.path)
        + (f"?{request.url.query}" if request.url.query else ""),
    }
    return get_templates().TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )
