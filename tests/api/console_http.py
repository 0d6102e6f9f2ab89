"""How the console tests act as a regulator's browser over HTTP: a console session without
going through the login form (tested on its own in test_regulator_auth.py), the form token,
and HTML requests."""

import re

import httpx
from sqlmodel import Session

from haocha.accounts import regulators
from haocha.accounts.models import Regulator
from haocha.deps import CONSOLE_COOKIE

# What a browser sends; the app answers these with pages and redirects rather than JSON.
HTML = {"Accept": "text/html,application/xhtml+xml"}


def console_token(db: Session, regulator: Regulator) -> str:
    token = regulators.start_session(db, regulator)
    # A refused request rolls the shared session back to its last commit: the console
    # session must outlive the refusals a test provokes.
    db.commit()
    return token


def use_console_token(http: httpx.Client, token: str | None) -> None:
    """Present `token` as the console cookie from now on (None: no console session). The
    cookie is Secure outside development, so httpx would not keep it over the test server's
    plain http by itself."""
    http.cookies.delete(CONSOLE_COOKIE)
    if token is not None:
        http.cookies.set(CONSOLE_COOKIE, token, domain="127.0.0.1", path="/regulator")


def sign_in(http: httpx.Client, db: Session, regulator: Regulator) -> None:
    use_console_token(http, console_token(db, regulator))


def csrf_token(http: httpx.Client) -> str:
    """This browser's form token, from a public page (any page carries it)."""
    page = http.get("/login", headers=HTML)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def post_form(
    http: httpx.Client, path: str, data: dict[str, str], *, token: bool = True
) -> httpx.Response:
    form = {"csrf_token": csrf_token(http), **data} if token else data
    return http.post(path, data=form, headers=HTML)
