"""The regulators' console login, through the real app under uvicorn: password (argon2),
lockout, TOTP, session cookie, logout, CSRF, and the audit entries they leave."""

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pyotp
import pytest
from fastapi import APIRouter
from sqlmodel import Session, select

from haocha.accounts import regulators
from haocha.accounts.console_views import LOGIN_LIMIT_PER_ADDRESS, console_path
from haocha.accounts.models import Regulator, RegulatorRole, RegulatorSession
from haocha.core import clock
from haocha.core.cache import store_for
from haocha.core.ratelimit import enforce
from haocha.core.security import keyed_hash
from haocha.core.settings import Settings
from haocha.deps import CONSOLE_COOKIE, CurrentRegulator, RegulatorScope, require_role
from haocha.moderation import audit
from tests.api.conftest import build_app, running_server

PASSWORD = "correct horse battery"
WRONG = "incorrect horse battery"
GENERIC = "用户名、密码或动态验证码不正确"


def new_regulator(
    db: Session, username: str = "zhangwei", role: RegulatorRole = RegulatorRole.inspector
) -> Regulator:
    scoped = role != RegulatorRole.admin
    regulator = regulators.create_regulator(
        db,
        username=username,
        display_name="张伟",
        password=PASSWORD,
        role=role,
        sectors=["fitness", "beauty"] if scoped else [],
        districts=["310101"] if scoped else [],
    )
    # A request that fails rolls the shared session back to its last commit (here: a
    # savepoint, still undone after the test); the account must outlive a 401.
    db.commit()
    return regulator


def csrf_token(http: httpx.Client) -> str:
    """The form token of this browser, from any page (the console's login page itself
    redirects once logged in)."""
    page = http.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def log_in(
    http: httpx.Client,
    username: str = "zhangwei",
    password: str = PASSWORD,
    totp: str = "",
    next_path: str = "/regulator",
) -> httpx.Response:
    form = {
        "csrf_token": csrf_token(http),
        "username": username,
        "password": password,
        "totp": totp,
        "next": next_path,
    }
    return http.post("/regulator/login", data=form)


def keep_console_cookie(http: httpx.Client, response: httpx.Response) -> str:
    """The cookie is Secure outside development, and httpx (rightly) withholds Secure
    cookies from plain http; the test server is http, so carry it over by hand."""
    token = response.cookies[CONSOLE_COOKIE]
    http.cookies.delete(CONSOLE_COOKIE)
    http.cookies.set(CONSOLE_COOKIE, token, domain="127.0.0.1", path="/regulator")
    return token


def logged_in(http: httpx.Client) -> bool:
    """The login page sends a logged-in regulator on to the console."""
    return http.get("/regulator/login").status_code == 303


def audit_actions(db: Session, regulator: Regulator) -> list[str]:
    return [e.action for e in audit.entries_for(db, "regulator", regulator.id)]


def test_login_sets_a_strict_console_cookie(client: httpx.Client, db: Session) -> None:
    regulator = new_regulator(db)
    response = log_in(client, "  ZhangWei ", next_path="/regulator/cases?status=open")
    assert response.status_code == 303
    assert response.headers["location"] == "/regulator/cases?status=open"
    (cookie,) = [
        c for c in response.headers.get_list("set-cookie") if c.startswith(f"{CONSOLE_COOKIE}=")
    ]
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"].lower().strip() == "samesite=strict"
    assert attributes["path"].strip() == "Path=/regulator"
    assert attributes["max-age"].strip() == "Max-Age=28800"
    assert "secure" in attributes  # the suite runs with environment="test"
    token = keep_console_cookie(client, response)
    assert logged_in(client)
    stored = db.exec(select(RegulatorSession)).one()
    assert stored.regulator_id == regulator.id
    assert token not in stored.token_hash  # only the hash is kept
    assert audit_actions(db, regulator) == ["regulator.create", "regulator.login"]


def test_next_cannot_leave_the_console(client: httpx.Client, db: Session) -> None:
    new_regulator(db)
    response = log_in(client, next_path="//evil.example/regulator")
    assert response.headers["location"] == "/regulator"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/regulator/queue?sector=fitness", "/regulator/queue?sector=fitness"),
        ("/regulator", "/regulator"),
        ("/", "/regulator"),
        ("/regulatorx", "/regulator"),
        ("/regulator/login", "/regulator"),
        ("https://evil.example/regulator", "/regulator"),
        ("/\\evil.example", "/regulator"),
        (None, "/regulator"),
    ],
)
def test_console_path(given: str | None, expected: str) -> None:
    assert console_path(given) == expected


def test_wrong_password_gets_one_generic_message(client: httpx.Client, db: Session) -> None:
    new_regulator(db)
    wrong_password = log_in(client, password=WRONG)
    unknown_user = log_in(client, username="nobody", password=WRONG)
    for response in (wrong_password, unknown_user):
        assert response.status_code == 400
        assert GENERIC in response.text
        assert WRONG not in response.text  # the password is never written back
        assert CONSOLE_COOKIE not in response.headers.get("set-cookie", "")
    assert 'value="zhangwei"' in wrong_password.text  # the name is kept for a retry
    english = client.post(
        "/regulator/login",
        data={"csrf_token": csrf_token(client), "username": "nobody", "password": WRONG},
        headers={"Accept-Language": "en"},
    )
    assert "The user name, password or one-time code is not correct." in english.text


def test_failure_count_survives_the_request(client: httpx.Client, db: Session) -> None:
    """The refusal is rendered, not raised, so the request commits the count: a rolled
    back count would give a guesser unlimited tries."""
    regulator = new_regulator(db)
    assert log_in(client, password=WRONG).status_code == 400
    assert log_in(client, password=WRONG).status_code == 400
    db.refresh(regulator)  # read what the requests left, not what this session holds
    assert regulator.failed_logins == 2
    assert log_in(client).status_code == 303
    db.refresh(regulator)
    assert regulator.failed_logins == 0


def test_five_failures_lock_the_account_for_fifteen_minutes(
    client: httpx.Client, db: Session
) -> None:
    regulator = new_regulator(db)
    for _ in range(4):
        assert log_in(client, password=WRONG).status_code == 400
    fifth = log_in(client, password=WRONG)
    assert fifth.status_code == 423
    assert "锁定" in fifth.text
    until = (clock.now() + timedelta(minutes=15)).astimezone(clock.CHINA_TZ)
    assert until.strftime("%Y-%m-%d %H:") in fifth.text  # says until when
    # Even the right password is refused while the lock lasts.
    assert log_in(client).status_code == 423
    clock.advance(timedelta(minutes=14))
    assert log_in(client).status_code == 423
    clock.advance(timedelta(minutes=1, seconds=1))
    assert log_in(client).status_code == 303
    assert audit_actions(db, regulator) == [
        "regulator.create",
        *["regulator.login_failed"] * 5,
        "regulator.locked",
        "regulator.login_refused",
        "regulator.login_refused",
        "regulator.login",
    ]
    assert audit.verify(db).ok


def test_failed_logins_are_audited_without_what_was_typed(
    client: httpx.Client, db: Session
) -> None:
    new_regulator(db)
    log_in(client, username="correct-horse-battery", password=WRONG)
    entries = audit.entries_for(db, "regulator", "unknown")
    assert [e.action for e in entries] == ["regulator.login_failed"]
    assert entries[0].actor == "system"
    assert entries[0].after == {"reason": "unknown_user"}
    assert "correct-horse-battery" not in str(entries[0].model_dump())
    assert audit.verify(db).ok


def test_totp_is_required_once_set(client: httpx.Client, db: Session) -> None:
    regulator = new_regulator(db)
    secret = regulators.set_totp(db, regulator).secret
    totp = pyotp.TOTP(secret)
    missing = log_in(client)
    assert missing.status_code == 400
    assert GENERIC in missing.text  # does not reveal that the password was right
    wrong = f"{(int(totp.at(clock.now())) + 1) % 1_000_000:06d}"
    assert log_in(client, totp=wrong).status_code == 400
    code = totp.at(clock.now())
    assert log_in(client, totp=code[:3] + " " + code[3:]).status_code == 303
    # The same code does not open a second session.
    assert log_in(client, totp=code).status_code == 400
    db.refresh(regulator)
    assert regulator.failed_logins == 1


def test_logout_ends_the_session(client: httpx.Client, db: Session) -> None:
    regulator = new_regulator(db)
    token = keep_console_cookie(client, log_in(client))
    assert logged_in(client)
    response = client.post("/regulator/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 303
    assert response.headers["location"] == "/regulator/login"
    assert db.exec(select(RegulatorSession)).first() is None
    # A copy of the cookie kept elsewhere is worth nothing now.
    client.cookies.set(CONSOLE_COOKIE, token, domain="127.0.0.1", path="/regulator")
    assert not logged_in(client)
    assert audit_actions(db, regulator)[-1] == "regulator.logout"


def test_session_expires_after_eight_hours(client: httpx.Client, db: Session) -> None:
    new_regulator(db)
    keep_console_cookie(client, log_in(client))
    clock.advance(timedelta(hours=7, minutes=59))
    assert logged_in(client)
    clock.advance(timedelta(minutes=1))
    assert not logged_in(client)
    assert db.exec(select(RegulatorSession)).first() is None  # removed when seen expired


def test_disabled_account_cannot_log_in_and_loses_its_sessions(
    client: httpx.Client, db: Session
) -> None:
    regulator = new_regulator(db)
    keep_console_cookie(client, log_in(client))
    regulators.disable_regulator(db, regulator)
    assert not logged_in(client)
    refused = log_in(client)
    assert refused.status_code == 400
    assert GENERIC in refused.text


def test_posts_without_csrf_token_are_refused(client: httpx.Client, db: Session) -> None:
    new_regulator(db)
    client.get("/regulator/login")  # the browser-id cookie the token is bound to
    login = client.post("/regulator/login", data={"username": "zhangwei", "password": PASSWORD})
    assert login.status_code == 403
    assert CONSOLE_COOKIE not in login.headers.get("set-cookie", "")
    forged = client.post("/regulator/logout", data={"csrf_token": "0" * 40})
    assert forged.status_code == 403


def test_login_attempts_are_limited_per_address(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    new_regulator(db)
    store = store_for(settings.redis_url, settings.redis_prefix)
    address = keyed_hash(settings.hash_key.get_secret_value(), "address", "127.0.0.1")
    for _ in range(LOGIN_LIMIT_PER_ADDRESS[0]):
        enforce(store, "console-login-address", address, LOGIN_LIMIT_PER_ADDRESS)
    response = log_in(client)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert CONSOLE_COOKIE not in response.headers.get("set-cookie", "")


# -- the dependencies console routes are built on, on a probe route -----------------

probe = APIRouter()


@probe.get("/regulator/probe")
def whoami(regulator: CurrentRegulator, scope: RegulatorScope) -> dict[str, object]:
    return {
        "username": regulator.username,
        "sectors": sorted(scope.sectors),
        "unrestricted": scope.unrestricted,
    }


@probe.get("/regulator/probe/admin", dependencies=[require_role(RegulatorRole.admin)])
def admins_only() -> dict[str, bool]:
    return {"ok": True}


@pytest.fixture(scope="module")
def probe_url(settings: Settings) -> Iterator[str]:
    app = build_app(settings)
    app.include_router(probe)
    with running_server(app) as url:
        yield url


@pytest.fixture
def console(client: httpx.Client, probe_url: str) -> Iterator[httpx.Client]:
    """A client of the app plus the probe route (`client` binds the test's session)."""
    with httpx.Client(base_url=probe_url, timeout=10) as http:
        yield http


def test_current_regulator_scope_and_role(console: httpx.Client, db: Session) -> None:
    new_regulator(db)
    assert console.get("/regulator/probe").status_code == 401
    keep_console_cookie(console, log_in(console))
    me = console.get("/regulator/probe", headers={"Accept": "application/json"})
    assert me.json() == {
        "username": "zhangwei",
        "sectors": ["beauty", "fitness"],
        "unrestricted": False,
    }
    refused = console.get("/regulator/probe/admin", headers={"Accept-Language": "en"})
    assert refused.status_code == 403
    assert "Your role cannot do this." in refused.text


def test_admin_passes_the_admin_check(console: httpx.Client, db: Session) -> None:
    new_regulator(db, "admin", RegulatorRole.admin)
    keep_console_cookie(console, log_in(console, "admin"))
    assert console.get("/regulator/probe/admin").json() == {"ok": True}
    assert console.get("/regulator/probe").json()["unrestricted"] is True
