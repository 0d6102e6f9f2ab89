"""Every console route against every kind of visitor: only the right role in the right
scope gets through, and a POST without its form token changes nothing.

The routes are read from the app itself, and `test_every_console_route_is_in_the_matrix`
fails when a /regulator route is added without a row in ROUTES below.

The five conditions, per route:
- no session: HTML requests are sent to the login form (303), JSON ones get 401;
- wrong role: for the routes some roles may not use (blacklist publish and lift: supervisor
  or admin; audit log: admin), an in-scope account of a refused role gets 403. For the
  routes open to every console role there is no refused role, so "wrong role" is someone
  signed in to the *site* with no console role at all: a resident with a valid session
  cookie, who is treated as not signed in to the console (303 to its login form);
- other sector / other district: an account of an allowed role whose scope misses the
  object's sector (resp. district) gets 404 for the object, exactly as for an id that does
  not exist; on list pages (dashboard, queue, its CSV, cases) it gets its own, empty, list.
  The audit log is not scoped (admins see everything, and only admins are unscoped), so a
  scoped account of any role gets 403 there;
- right scope: every allowed role gets the page showing the object (GET), and the least
  privileged allowed role gets its decision through (POST: 303 with a notice, the change
  made and audited).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel import Session, func, select

from haocha.accounts.console_views import LOGIN_PATH, LOGOUT_PATH
from haocha.accounts.models import Regulator, RegulatorRole
from haocha.accounts.service import issue_token
from haocha.app import create_app
from haocha.core import clock
from haocha.core.settings import Settings
from haocha.deps import SESSION_COOKIE
from haocha.moderation import audit
from haocha.moderation.models import (
    Case,
    CaseNote,
    CaseStatus,
    Flag,
    FlagStatus,
    Sanction,
    SanctionKind,
)
from haocha.providers.models import Provider
from tests.api.console_http import HTML, console_token, csrf_token, use_console_token
from tests.factories.accounts import make_resident
from tests.factories.moderation import make_case, make_flag, make_sanction
from tests.factories.providers import make_provider
from tests.factories.regulators import make_regulator
from tests.factories.reviews import make_review

SECTOR, DISTRICT = "elderly_care", "310101"
OTHER_SECTOR, OTHER_DISTRICT = "fitness", "310104"
ALL_ROLES = frozenset(RegulatorRole)
SUPERVISORS = frozenset({RegulatorRole.supervisor, RegulatorRole.admin})
ADMINS = frozenset({RegulatorRole.admin})
# The least privileged role first: the POST that must succeed is made with it.
ROLE_ORDER = (RegulatorRole.inspector, RegulatorRole.supervisor, RegulatorRole.admin)


@dataclass
class World:
    """One object of each kind in (elderly_care, 310101), and the accounts around it."""

    provider: Provider
    flag: Flag
    case: Case
    warning: Sanction
    blacklist: Sanction
    marker: str  # the provider's name: on a page, it means the object is shown
    case_title: str
    in_scope: dict[RegulatorRole, Regulator]
    other_sector: dict[RegulatorRole, Regulator]  # inspector and supervisor of fitness
    other_district: dict[RegulatorRole, Regulator]  # ... of elderly_care in 310104
    tokens: dict[int, str] = field(default_factory=dict)

    def token(self, db: Session, regulator: Regulator) -> str:
        assert regulator.id is not None
        if regulator.id not in self.tokens:
            self.tokens[regulator.id] = console_token(db, regulator)
        return self.tokens[regulator.id]


def build_world(db: Session) -> World:
    marker = f"矩阵养老服务中心{clock.now().timestamp():.0f}"
    provider = make_provider(db, name=marker, sector_code=SECTOR, district_code=DISTRICT)
    review = make_review(db, provider, level=5, text="好评好评好评")
    in_scope = {
        role: make_regulator(
            db,
            role=role,
            sectors=() if role == RegulatorRole.admin else (SECTOR,),
            districts=() if role == RegulatorRole.admin else (DISTRICT,),
        )
        for role in ROLE_ORDER
    }
    scoped_roles = (RegulatorRole.inspector, RegulatorRole.supervisor)
    other_sector = {
        role: make_regulator(db, role=role, sectors=(OTHER_SECTOR,), districts=(DISTRICT,))
        for role in scoped_roles
    }
    other_district = {
        role: make_regulator(db, role=role, sectors=(SECTOR,), districts=(OTHER_DISTRICT,))
        for role in scoped_roles
    }
    inspector = in_scope[RegulatorRole.inspector]
    case = make_case(
        db, provider, inspector, deadline=clock.today_local() - timedelta(days=3)
    )  # overdue, so the dashboard lists it too
    case.title = f"矩阵案件{case.id}"
    world = World(
        provider=provider,
        flag=make_flag(db, provider, review=review, risk=80),
        case=case,
        warning=make_sanction(db, provider, inspector),
        blacklist=make_sanction(db, provider, inspector, kind=SanctionKind.blacklist),
        marker=marker,
        case_title=case.title,
        in_scope=in_scope,
        other_sector=other_sector,
        other_district=other_district,
    )
    # Something for the audit page to show.
    audit.record(db, actor=inspector, action="matrix.probe", target_type="test", target_id=1)
    db.commit()
    return world


def _sanctions(db: Session, world: World, kind: SanctionKind) -> int:
    return int(
        db.exec(
            select(func.count())
            .select_from(Sanction)
            .where(Sanction.provider_id == world.provider.id, Sanction.kind == kind)
        ).one()
    )


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as the app declares it
    url: Callable[[World], str]
    roles: frozenset[RegulatorRole] = ALL_ROLES
    listing: bool = False  # a list page: other scopes see their own list, not a 404
    shows: Callable[[World], str] = lambda w: w.marker  # GET: what the page must contain
    form: Callable[[World], dict[str, str]] = lambda w: {}
    changed: Callable[[Session, World], bool] | None = None  # POST: did it take effect

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ROUTES = (
    Route("GET", "/regulator", lambda w: "/regulator", listing=True),
    Route("GET", "/regulator/queue", lambda w: "/regulator/queue", listing=True),
    Route("GET", "/regulator/queue.csv", lambda w: "/regulator/queue.csv", listing=True),
    Route("GET", "/regulator/flags/{flag_id}", lambda w: f"/regulator/flags/{w.flag.id}"),
    Route(
        "POST",
        "/regulator/flags/{flag_id}/confirm",
        lambda w: f"/regulator/flags/{w.flag.id}/confirm",
        form=lambda w: {"note": "刷单"},
        changed=lambda db, w: w.flag.status == FlagStatus.confirmed,
    ),
    Route(
        "POST",
        "/regulator/flags/{flag_id}/dismiss",
        lambda w: f"/regulator/flags/{w.flag.id}/dismiss",
        form=lambda w: {"note": "真实消费"},
        changed=lambda db, w: w.flag.status == FlagStatus.dismissed,
    ),
    Route(
        "POST",
        "/regulator/flags/{flag_id}/case",
        lambda w: f"/regulator/flags/{w.flag.id}/case",
        form=lambda w: {"title": "核查刷单", "assignee": "", "working_days": ""},
        changed=lambda db, w: w.flag.status == FlagStatus.case_opened,
    ),
    Route(
        "GET",
        "/regulator/cases",
        lambda w: "/regulator/cases",
        listing=True,
        shows=lambda w: w.case_title,
    ),
    Route(
        "GET",
        "/regulator/cases/{case_id}",
        lambda w: f"/regulator/cases/{w.case.id}",
        shows=lambda w: w.case_title,
    ),
    Route(
        "POST",
        "/regulator/cases/{case_id}/notes",
        lambda w: f"/regulator/cases/{w.case.id}/notes",
        form=lambda w: {"text": "已约谈负责人"},
        changed=lambda db, w: bool(
            db.exec(select(CaseNote).where(CaseNote.case_id == w.case.id)).first()
        ),
    ),
    Route(
        "POST",
        "/regulator/cases/{case_id}/status",
        lambda w: f"/regulator/cases/{w.case.id}/status",
        form=lambda w: {"status": "investigating"},
        changed=lambda db, w: w.case.status == CaseStatus.investigating,
    ),
    Route(
        "POST",
        "/regulator/cases/{case_id}/assign",
        lambda w: f"/regulator/cases/{w.case.id}/assign",
        form=lambda w: {"assignee": str(w.in_scope[RegulatorRole.supervisor].id)},
        changed=lambda db, w: w.case.assignee_id == w.in_scope[RegulatorRole.supervisor].id,
    ),
    Route(
        "GET",
        "/regulator/providers/{provider_id}",
        lambda w: f"/regulator/providers/{w.provider.id}",
    ),
    Route(
        "POST",
        "/regulator/providers/{provider_id}/warnings",
        lambda w: f"/regulator/providers/{w.provider.id}/warnings",
        form=lambda w: {"text": "请谨慎办卡", "starts_on": clock.today_local().isoformat()},
        changed=lambda db, w: _sanctions(db, w, SanctionKind.warning) == 2,
    ),
    Route(
        "POST",
        "/regulator/providers/{provider_id}/blacklist",
        lambda w: f"/regulator/providers/{w.provider.id}/blacklist",
        roles=SUPERVISORS,
        form=lambda w: {
            "reason": "停业失联",
            "legal_basis": "《单用途商业预付卡管理办法（试行）》",
            "starts_on": clock.today_local().isoformat(),
        },
        changed=lambda db, w: _sanctions(db, w, SanctionKind.blacklist) == 2,
    ),
    # Lifting is open to every role for a warning (test_console_pages shows an inspector
    # doing it); the matrix lifts the blacklist entry, which only supervisors and admins may.
    Route(
        "POST",
        "/regulator/sanctions/{sanction_id}/lift",
        lambda w: f"/regulator/sanctions/{w.blacklist.id}/lift",
        roles=SUPERVISORS,
        form=lambda w: {"reason": "已全额退款"},
        changed=lambda db, w: w.blacklist.lifted_at is not None,
    ),
    Route(
        "GET",
        "/regulator/audit",
        lambda w: "/regulator/audit",
        roles=ADMINS,
        shows=lambda w: "matrix.probe",
    ),
)


def console_routes(settings: Settings) -> set[str]:
    """Every console route of the app as built. FastAPI keeps included routers nested;
    `iter_route_contexts` walks them with the paths they end up with."""
    found = set()
    for route in iter_route_contexts(create_app(settings).routes):
        path = route.path or ""
        if not isinstance(route.original_route, APIRoute) or not path.startswith("/regulator"):
            continue
        if path in (LOGIN_PATH, LOGOUT_PATH):
            continue  # open to anyone: test_regulator_auth.py covers them
        found |= {f"{method} {path}" for method in route.methods or ()}
    return found


def test_every_console_route_is_in_the_matrix(settings: Settings) -> None:
    assert console_routes(settings) == {r.id for r in ROUTES}


def _send(http: httpx.Client, route: Route, world: World) -> httpx.Response:
    url = route.url(world)
    if route.method == "GET":
        return http.get(url, headers=HTML)
    form = {"csrf_token": csrf_token(http), **route.form(world)}
    return http.post(url, data=form, headers=HTML)


def _visitor(http: httpx.Client, db: Session, world: World, regulator: Regulator | None) -> None:
    use_console_token(http, None if regulator is None else world.token(db, regulator))


def _allowed(route: Route) -> list[RegulatorRole]:
    return [role for role in ROLE_ORDER if role in route.roles]


def _scoped_role(route: Route) -> RegulatorRole:
    """The role of the out-of-scope accounts: allowed by the route where a scoped role is,
    so that the scope alone decides."""
    scoped = [r for r in _allowed(route) if r != RegulatorRole.admin]
    return scoped[0] if scoped else RegulatorRole.supervisor


def _refused(db: Session, route: Route, world: World, audited: int) -> None:
    """Nothing a refused request could have done has happened."""
    if route.changed is None:
        return
    db.expire_all()
    assert not route.changed(db, world), route.id
    assert audit.count(db) == audited, route.id


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_only_the_right_role_in_the_right_scope_gets_through(
    client: httpx.Client, db: Session, settings: Settings, route: Route
) -> None:
    world = build_world(db)
    audited = audit.count(db)

    # 1. No console session.
    _visitor(client, db, world, None)
    response = _send(client, route, world)
    assert response.status_code == 303, (route.id, response.status_code)
    assert response.headers["location"].startswith(LOGIN_PATH + "?next=")
    if route.method == "GET":
        assert (
            response.headers["location"]
            == f"{LOGIN_PATH}?next={route.url(world).replace('/', '%2F')}"
        )
    _refused(db, route, world, audited)

    # 2. Wrong role.
    if route.roles == ALL_ROLES:
        # A resident signed in to the site is nobody to the console.
        resident = make_resident(db)
        db.commit()
        client.cookies.set(SESSION_COOKIE, issue_token(settings, resident), domain="127.0.0.1")
        response = _send(client, route, world)
        client.cookies.delete(SESSION_COOKIE)
        assert response.status_code == 303, route.id
        assert response.headers["location"].startswith(LOGIN_PATH)
    else:
        refused = [r for r in ROLE_ORDER if r not in route.roles]
        for role in refused:
            _visitor(client, db, world, world.in_scope[role])
            response = _send(client, route, world)
            assert response.status_code == 403, (route.id, role)
    _refused(db, route, world, audited)

    # 3 and 4. Other sector, other district.
    role = _scoped_role(route)
    for outsider in (world.other_sector[role], world.other_district[role]):
        _visitor(client, db, world, outsider)
        response = _send(client, route, world)
        # The audit log is not scoped: a scoped account fails on its role there.
        expected = 403 if route.roles == ADMINS else 200 if route.listing else 404
        assert response.status_code == expected, (route.id, outsider.sectors, outsider.districts)
        if route.listing:
            assert route.shows(world) not in response.text, route.id
        _refused(db, route, world, audited)

    # 5. Right scope.
    if route.method == "GET":
        for role in _allowed(route):
            _visitor(client, db, world, world.in_scope[role])
            response = _send(client, route, world)
            assert response.status_code == 200, (route.id, role)
            assert route.shows(world) in response.text, (route.id, role)
        return
    _visitor(client, db, world, world.in_scope[_allowed(route)[0]])
    response = _send(client, route, world)
    assert response.status_code == 303, (route.id, response.text)
    assert "?done=" in response.headers["location"]
    db.expire_all()
    assert route.changed is not None
    assert route.changed(db, world), route.id
    assert audit.count(db) > audited
    assert audit.verify(db).ok


POSTS = [r for r in ROUTES if r.method == "POST"]


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.id)
def test_a_post_without_a_valid_form_token_changes_nothing(
    client: httpx.Client, db: Session, route: Route
) -> None:
    world = build_world(db)
    audited = audit.count(db)
    _visitor(client, db, world, world.in_scope[_allowed(route)[0]])
    csrf_token(client)  # the browser has its id cookie: only the token is missing or wrong
    for token in (None, "0" * 40, ""):
        form = route.form(world) if token is None else {"csrf_token": token, **route.form(world)}
        response = client.post(route.url(world), data=form, headers=HTML)
        assert response.status_code == 403, (route.id, token)
        _refused(db, route, world, audited)
    # The same request with the token goes through: the refusal was the token's.
    assert _send(client, route, world).status_code == 303


def test_api_clients_without_a_session_get_401(client: httpx.Client, db: Session) -> None:
    world = build_world(db)
    for path in ("/regulator/queue", f"/regulator/flags/{world.flag.id}"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 401
        assert response.json()["detail"] == "请先登录监管后台。"


def test_an_expired_session_posting_a_form_returns_to_the_form_page(
    client: httpx.Client, db: Session
) -> None:
    world = build_world(db)
    page = f"/regulator/flags/{world.flag.id}"
    response = client.post(
        f"{page}/dismiss",
        data={"csrf_token": csrf_token(client), "note": ""},
        headers={**HTML, "Referer": f"http://127.0.0.1{page}"},
    )
    assert response.status_code == 303
    assert (
        response.headers["location"] == f"{LOGIN_PATH}?next=%2Fregulator%2Fflags%2F{world.flag.id}"
    )
    db.expire_all()
    assert world.flag.status == FlagStatus.open


def test_out_of_scope_reads_exactly_like_missing(client: httpx.Client, db: Session) -> None:
    """A regulator must not learn what exists in another patch from the 404 itself."""
    world = build_world(db)
    _visitor(client, db, world, world.other_district[RegulatorRole.inspector])
    hidden = client.get(f"/regulator/flags/{world.flag.id}", headers=HTML)
    missing = client.get("/regulator/flags/2147483000", headers=HTML)
    assert hidden.status_code == missing.status_code == 404

    def main(page: httpx.Response) -> str:
        return page.text.split("<main", 1)[1].split("</main>", 1)[0]

    assert main(hidden) == main(missing)
    assert world.marker not in hidden.text
