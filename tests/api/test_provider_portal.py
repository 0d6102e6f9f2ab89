"""The provider portal through the real app: claiming a listing with the code texted to its
registered phone, staff logins (add, log in, remove, lockout), and every /provider route
against every kind of visitor.

The routes are read from the app itself: `test_every_portal_route_is_in_the_matrix` fails
when a /provider route is added without a row in ROUTES below. Per route:
- nobody signed in: HTML requests go to the portal's login form (303), JSON ones get 401;
- a signed-in account of ANOTHER provider: an id of this provider's (review, invitation,
  staff login) is a 404, exactly like a missing id; list pages show its own provider only;
- the provider's own owner: 200 with the object (GET), or the action done (POST: 303);
- a POST without its form token: 403, nothing changed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel import Session, col, select

from haocha.app import create_app
from haocha.core import crypto
from haocha.core.security import keyed_hash
from haocha.core.settings import Settings
from haocha.deps import PORTAL_COOKIE
from haocha.providers.accounts import ProviderRole, ProviderSession, ProviderUser
from haocha.providers.invitations import Invitation
from haocha.providers.models import Provider
from haocha.providers.portal_pages import CLAIM_PATH, LOGIN_PATH, LOGOUT_PATH
from haocha.reviews import appeals, replies
from haocha.reviews.deadlines import start_loop
from tests.api.conftest import read_code
from tests.api.console_http import HTML, csrf_token
from tests.factories.provider_accounts import (
    make_invitation,
    make_provider_user,
    new_phone,
    portal_token,
)
from tests.factories.providers import credit_code, make_provider
from tests.factories.reviews import make_review

JSON = {"Accept": "application/json"}


def use_portal_token(http: httpx.Client, token: str | None) -> None:
    """Present `token` as the portal cookie (None: no portal session). The cookie is Secure
    outside development, so httpx would not keep it over plain http by itself."""
    http.cookies.delete(PORTAL_COOKIE)
    if token is not None:
        http.cookies.set(PORTAL_COOKIE, token, domain="127.0.0.1", path="/provider")


def post_form(http: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    return http.post(path, data={"csrf_token": csrf_token(http), **data}, headers=HTML)


def portal_cookie(response: httpx.Response) -> tuple[str, str]:
    """(token, attributes in lower case) of the portal cookie the response sets."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{PORTAL_COOKIE}="):
            value, _, attributes = header.partition(";")
            return value.split("=", 1)[1], attributes.lower()
    raise AssertionError(f"no portal cookie in {response.headers}")


# -- claiming --------------------------------------------------------------------------


def test_claiming_with_the_code_sent_to_the_registered_phone(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    phone = new_phone()
    provider = make_provider(db, settings=settings, phone=phone, name="静安认领测试养老院")
    db.commit()
    assert client.get(CLAIM_PATH, headers=HTML).status_code == 200

    sent = post_form(client, CLAIM_PATH, {"credit_code": provider.credit_code.lower()})
    assert sent.status_code == 200
    # The claimant sees the number masked, never whole.
    assert f"{phone[:3]}****{phone[-4:]}" in sent.text
    assert phone not in sent.text
    code = read_code(outbox, phone)
    wrong = "000000" if code != "000000" else "111111"

    refused = post_form(
        client, CLAIM_PATH + "/verify", {"credit_code": provider.credit_code, "code": wrong}
    )
    assert refused.status_code == 400
    assert "验证码不正确" in refused.text
    db.expire_all()
    assert provider.claimed_at is None

    claimed = post_form(
        client, CLAIM_PATH + "/verify", {"credit_code": provider.credit_code, "code": code}
    )
    assert claimed.status_code == 303
    assert claimed.headers["location"] == "/provider?done=claimed"
    token, attributes = portal_cookie(claimed)
    for attribute in ("httponly", "samesite=strict", "path=/provider", "secure"):
        assert attribute in attributes
    db.expire_all()
    assert provider.claimed_at is not None
    owner = db.exec(select(ProviderUser).where(ProviderUser.provider_id == provider.id)).one()
    assert owner.role == ProviderRole.owner
    assert owner.phone_hash == keyed_hash("test-hash-key", "phone", phone)
    assert crypto.decrypt(settings, owner.phone_encrypted) == phone
    assert phone not in owner.phone_encrypted
    assert phone not in (provider.phone_encrypted or "")

    use_portal_token(client, token)
    home = client.get("/provider?done=claimed", headers=HTML)
    assert home.status_code == 200
    assert "静安认领测试养老院" in home.text
    assert "认领成功" in home.text


def test_a_claimed_listing_cannot_be_claimed_again(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    provider = make_provider(db, settings=settings)
    make_provider_user(db, settings, provider)
    db.commit()
    again = post_form(client, CLAIM_PATH, {"credit_code": provider.credit_code})
    assert again.status_code == 409
    assert "该机构已被认领，不能重复认领" in again.text
    assert outbox.read_text() == ""  # no text message went to the registered phone
    english = client.post(
        CLAIM_PATH,
        data={"csrf_token": csrf_token(client), "credit_code": provider.credit_code},
        headers={**HTML, "Accept-Language": "en"},
    )
    assert english.status_code == 409
    assert "already been claimed" in english.text


def test_a_claim_code_is_refused_once_someone_else_claimed_in_between(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    phone = new_phone()
    provider = make_provider(db, settings=settings, phone=phone)
    db.commit()
    post_form(client, CLAIM_PATH, {"credit_code": provider.credit_code})
    code = read_code(outbox, phone)
    make_provider_user(db, settings, provider)
    db.commit()
    late = post_form(
        client, CLAIM_PATH + "/verify", {"credit_code": provider.credit_code, "code": code}
    )
    assert late.status_code == 409
    owners = db.exec(select(ProviderUser).where(ProviderUser.provider_id == provider.id)).all()
    assert len(owners) == 1


@pytest.mark.parametrize(
    ("credit_code", "status", "words"),
    [
        ("91310101MA1FP4XN0A", 422, "校验位"),  # fails the GB 32100 check
        ("12345", 422, "校验位"),
    ],
)
def test_claims_with_a_wrong_credit_code_are_refused(
    client: httpx.Client, credit_code: str, status: int, words: str
) -> None:
    response = post_form(client, CLAIM_PATH, {"credit_code": credit_code})
    assert response.status_code == status
    assert words in response.text


def test_claims_of_unknown_or_phoneless_listings_are_refused(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    unknown = credit_code()  # valid by GB 32100, and no listing has it
    phoneless = make_provider(db, settings=settings)
    phoneless.phone_hash = phoneless.phone_encrypted = None
    db.commit()
    assert post_form(client, CLAIM_PATH, {"credit_code": unknown}).status_code == 404
    response = post_form(client, CLAIM_PATH, {"credit_code": phoneless.credit_code})
    assert response.status_code == 409
    assert "尚未登记联系电话" in response.text
    assert outbox.read_text() == ""


# -- staff -----------------------------------------------------------------------------


def _log_in_by_phone(
    http: httpx.Client, outbox: Path, phone: str, *, code: str | None = None
) -> httpx.Response:
    sent = post_form(http, LOGIN_PATH, {"phone": phone, "next": "/provider/reviews"})
    assert sent.status_code == 200
    return post_form(
        http,
        LOGIN_PATH + "/verify",
        {"phone": phone, "code": code or read_code(outbox, phone), "next": "/provider/reviews"},
    )


def test_the_owner_adds_a_staff_login_and_removes_it(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    provider = make_provider(db, settings=settings)
    owner = make_provider_user(db, settings, provider)
    owner_token = portal_token(db, owner)
    staff_phone = new_phone()

    use_portal_token(client, owner_token)
    added = post_form(client, "/provider/staff", {"phone": staff_phone})
    assert added.status_code == 303
    page = client.get("/provider/staff", headers=HTML)
    masked = f"{staff_phone[:3]}****{staff_phone[-4:]}"
    assert masked in page.text
    assert staff_phone not in page.text
    staff = db.exec(
        select(ProviderUser).where(
            ProviderUser.provider_id == provider.id, ProviderUser.role == ProviderRole.staff
        )
    ).one()
    assert crypto.decrypt(settings, staff.phone_encrypted) == staff_phone
    # The same number twice is refused with the reason.
    twice = post_form(client, "/provider/staff", {"phone": staff_phone})
    assert twice.status_code == 409
    assert "已绑定" in twice.text

    use_portal_token(client, None)
    login = _log_in_by_phone(client, outbox, staff_phone)
    assert login.status_code == 303
    assert login.headers["location"] == "/provider/reviews"
    staff_token, _ = portal_token_from(login)
    use_portal_token(client, staff_token)
    assert client.get("/provider", headers=HTML).status_code == 200
    # Managing staff is the owner's.
    assert client.get("/provider/staff", headers=HTML).status_code == 403
    assert post_form(client, "/provider/staff", {"phone": new_phone()}).status_code == 403

    use_portal_token(client, owner_token)
    removed = post_form(client, f"/provider/staff/{staff.id}/remove", {})
    assert removed.status_code == 303
    db.expire_all()
    assert staff.removed_at is not None
    assert not db.exec(select(ProviderSession).where(ProviderSession.user_id == staff.id)).all()
    use_portal_token(client, staff_token)
    gone = client.get("/provider", headers=HTML)
    assert gone.status_code == 303
    assert gone.headers["location"].startswith(LOGIN_PATH)
    # A removed login gets no code (and the page does not say so).
    outbox.write_text("")
    assert post_form(client, LOGIN_PATH, {"phone": staff_phone}).status_code == 200
    assert outbox.read_text() == ""


def portal_token_from(response: httpx.Response) -> tuple[str, str]:
    return portal_cookie(response)


def test_a_phone_without_a_provider_login_gets_the_same_page_and_no_text(
    client: httpx.Client, outbox: Path
) -> None:
    response = post_form(client, LOGIN_PATH, {"phone": new_phone()})
    assert response.status_code == 200
    assert "如果" in response.text  # "if this number has a login, a code is on its way"
    assert outbox.read_text() == ""


def test_wrong_codes_lock_the_phone_out(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    provider = make_provider(db, settings=settings)
    phone = new_phone()
    make_provider_user(db, settings, provider, phone=phone)
    db.commit()
    post_form(client, LOGIN_PATH, {"phone": phone})
    code = read_code(outbox, phone)
    wrong = "000000" if code != "000000" else "111111"
    statuses = [
        post_form(client, LOGIN_PATH + "/verify", {"phone": phone, "code": wrong}).status_code
        for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 423]
    locked = post_form(client, LOGIN_PATH + "/verify", {"phone": phone, "code": code})
    assert locked.status_code == 423
    assert "分钟后再试" in locked.text
    assert PORTAL_COOKIE not in locked.headers.get("set-cookie", "")


def test_logging_out_ends_the_session(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    owner = make_provider_user(db, settings, make_provider(db, settings=settings))
    token = portal_token(db, owner)
    use_portal_token(client, token)
    assert post_form(client, LOGOUT_PATH, {}).status_code == 303
    db.expire_all()
    assert not db.exec(select(ProviderSession).where(ProviderSession.user_id == owner.id)).all()
    assert client.get("/provider", headers=HTML).status_code == 303


# -- every route × every visitor --------------------------------------------------------


@dataclass
class World:
    """A provider with a review, an invitation and a staff login, its owner, and the owner
    of another provider."""

    provider: Provider
    marker: str  # the review's text: on a page, it means this provider's data is shown
    review_id: int
    invitation_id: int
    staff_id: int
    owner_token: str
    other_token: str


def build_world(db: Session, settings: Settings) -> World:
    provider = make_provider(db, settings=settings, name="矩阵机构养老服务中心")
    marker = f"矩阵评价文字{provider.id}"
    # A 差评 as submission stores it (with its deadline), so the overview lists it too.
    review = make_review(db, provider, level=1, text=marker)
    start_loop(review, working_days=settings.bad_review_answer_working_days)
    owner = make_provider_user(db, settings, provider)
    staff = make_provider_user(db, settings, provider, role=ProviderRole.staff)
    invitation, _ = make_invitation(db, settings, provider)
    other = make_provider_user(db, settings, make_provider(db, settings=settings))
    db.commit()
    assert review.id
    assert invitation.id
    assert staff.id
    return World(
        provider=provider,
        marker=marker,
        review_id=review.id,
        invitation_id=invitation.id,
        staff_id=staff.id,
        owner_token=portal_token(db, owner),
        other_token=portal_token(db, other),
    )


def _invitations(db: Session, world: World) -> int:
    return len(db.exec(select(Invitation).where(Invitation.provider_id == world.provider.id)).all())


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as the app declares it
    url: Callable[[World], str]
    owned: bool = True  # names one of the provider's objects: another provider gets 404
    shows: Callable[[World], str] = lambda w: w.marker  # GET, own owner: on the page
    form: Callable[[World], dict[str, str]] = lambda w: {}
    changed: Callable[[Session, World], bool] | None = None  # POST: did it take effect
    status: int = 200  # GET, own owner

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ROUTES: tuple[Route, ...] = (
    Route("GET", "/provider", lambda w: "/provider", owned=False),
    Route("GET", "/provider/reviews", lambda w: "/provider/reviews", owned=False),
    Route("GET", "/provider/reviews/{review_id}", lambda w: f"/provider/reviews/{w.review_id}"),
    Route(
        "POST",
        "/provider/reviews/{review_id}/reply",
        lambda w: f"/provider/reviews/{w.review_id}/reply",
        form=lambda w: {"text": "已约谈当班前台，并调整了预约排班。"},
        changed=lambda db, w: replies.reply_for(db, w.review_id) is not None,
    ),
    Route(
        "POST",
        "/provider/reviews/{review_id}/appeal",
        lambda w: f"/provider/reviews/{w.review_id}/appeal",
        form=lambda w: {"grounds": "fake", "reasons": "当天没有这位客人的预约记录。"},
        changed=lambda db, w: appeals.appeal_for(db, w.review_id) is not None,
    ),
    Route(
        "GET",
        "/provider/staff",
        lambda w: "/provider/staff",
        owned=False,
        shows=lambda w: "停用",
    ),
    Route(
        "POST",
        "/provider/staff",
        lambda w: "/provider/staff",
        owned=False,
        form=lambda w: {"phone": "13600001111"},
        changed=lambda db, w: bool(
            db.exec(
                select(ProviderUser).where(
                    ProviderUser.provider_id == w.provider.id,
                    col(ProviderUser.phone_hash)
                    == keyed_hash("test-hash-key", "phone", "13600001111"),
                )
            ).first()
        ),
    ),
    Route(
        "POST",
        "/provider/staff/{user_id}/remove",
        lambda w: f"/provider/staff/{w.staff_id}/remove",
        changed=lambda db, w: db.get(ProviderUser, w.staff_id).removed_at is not None,  # type: ignore[union-attr]
    ),
    Route(
        "GET",
        "/provider/poster",
        lambda w: "/provider/poster",
        owned=False,
        shows=lambda w: "/scan/",
    ),
    Route(
        "GET",
        "/provider/poster.png",
        lambda w: "/provider/poster.png",
        owned=False,
        shows=lambda w: "",
    ),
    Route(
        "GET",
        "/provider/poster.pdf",
        lambda w: "/provider/poster.pdf",
        owned=False,
        shows=lambda w: "",
    ),
    Route(
        "POST",
        "/provider/invitations",
        lambda w: "/provider/invitations",
        owned=False,
        changed=lambda db, w: _invitations(db, w) == 2,
    ),
    Route(
        "GET",
        "/provider/invitations/{invitation_id}",
        lambda w: f"/provider/invitations/{w.invitation_id}",
        shows=lambda w: "<svg",
    ),
)
PUBLIC = {f"{m} {p}" for m in ("GET", "POST") for p in (LOGIN_PATH, CLAIM_PATH)} | {
    f"POST {LOGIN_PATH}/verify",
    f"POST {CLAIM_PATH}/verify",
    f"POST {LOGOUT_PATH}",
}


def portal_routes(settings: Settings) -> set[str]:
    found = set()
    for route in iter_route_contexts(create_app(settings).routes):
        path = route.path or ""
        if not isinstance(route.original_route, APIRoute):
            continue
        if path != "/provider" and not path.startswith("/provider/"):
            continue
        found |= {f"{method} {path}" for method in route.methods or ()}
    return found - PUBLIC


def test_every_portal_route_is_in_the_matrix(settings: Settings) -> None:
    assert portal_routes(settings) == {r.id for r in ROUTES}


def _send(http: httpx.Client, route: Route, world: World, *, token: bool = True) -> httpx.Response:
    url = route.url(world)
    if route.method == "GET":
        return http.get(url, headers=HTML)
    form = {**route.form(world)}
    if token:
        form["csrf_token"] = csrf_token(http)
    return http.post(url, data=form, headers=HTML)


def _unchanged(db: Session, route: Route, world: World) -> None:
    if route.changed is not None:
        db.expire_all()
        assert not route.changed(db, world), route.id


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_only_the_providers_own_accounts_get_through(
    client: httpx.Client, db: Session, settings: Settings, route: Route
) -> None:
    world = build_world(db, settings)

    # 1. Nobody signed in: to the login form (HTML) or 401 (JSON).
    use_portal_token(client, None)
    response = _send(client, route, world)
    assert response.status_code == 303, (route.id, response.status_code)
    assert response.headers["location"].startswith(LOGIN_PATH + "?next=")
    if route.method == "GET":
        json = client.get(route.url(world), headers=JSON)
        assert json.status_code == 401, route.id
        assert json.json()["detail"] == "请先登录机构后台。"
    _unchanged(db, route, world)

    # 2. Another provider's owner: this provider's object is not found; lists are its own.
    # (An action that names no object, adding staff or an invitation, acts on the sender's
    # own provider: the third step and the staff test show it lands there.)
    if route.owned or route.method == "GET":
        use_portal_token(client, world.other_token)
        response = _send(client, route, world)
        assert response.status_code == (404 if route.owned else 200), (route.id, response)
        assert world.marker not in response.text, route.id
        _unchanged(db, route, world)

    # 3. The provider's own owner.
    use_portal_token(client, world.owner_token)
    response = _send(client, route, world)
    if route.method == "GET":
        assert response.status_code == route.status, (route.id, response.status_code)
        assert route.shows(world) in response.text, route.id
        return
    assert response.status_code == 303, (route.id, response.text)
    assert "?done=" in response.headers["location"]
    db.expire_all()
    assert route.changed is not None
    assert route.changed(db, world), route.id


POSTS = [r for r in ROUTES if r.method == "POST"]


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.id)
def test_a_post_without_its_form_token_changes_nothing(
    client: httpx.Client, db: Session, settings: Settings, route: Route
) -> None:
    world = build_world(db, settings)
    use_portal_token(client, world.owner_token)
    csrf_token(client)  # the browser has its id cookie: only the token is missing or wrong
    for token in (None, "0" * 40):
        form = route.form(world) if token is None else {"csrf_token": token, **route.form(world)}
        response = client.post(route.url(world), data=form, headers=HTML)
        assert response.status_code == 403, (route.id, token)
        _unchanged(db, route, world)
    assert _send(client, route, world).status_code == 303


def test_another_providers_review_reads_exactly_like_a_missing_one(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    world = build_world(db, settings)
    use_portal_token(client, world.other_token)
    hidden = client.get(f"/provider/reviews/{world.review_id}", headers=HTML)
    missing = client.get("/provider/reviews/2147483000", headers=HTML)
    assert hidden.status_code == missing.status_code == 404

    def main(page: httpx.Response) -> str:
        return page.text.split("<main", 1)[1].split("</main>", 1)[0]

    assert main(hidden) == main(missing)
