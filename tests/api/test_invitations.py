"""QR invitations through the real app: the poster's scan address issues a one-time, signed,
expiring invitation; a review made with it is verified; forged, expired, replayed and
wrong-provider tokens are refused with a clear 4xx and nothing stored; of two concurrent
uses exactly one succeeds. And the poster itself: a PNG and a PDF whose QR code is the
provider's scan address."""

import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import segno
from PIL import Image
from sqlalchemy import Engine, delete, inspect
from sqlmodel import Session, SQLModel, col, func, select

from haocha.accounts.models import Resident
from haocha.accounts.service import issue_token
from haocha.core import clock
from haocha.core.cache import store_for
from haocha.core.settings import Settings
from haocha.deps import SESSION_COOKIE
from haocha.providers import invitations, poster
from haocha.providers.invitations import Invitation, InvitationUsed
from haocha.providers.models import Provider
from haocha.reviews import service
from haocha.reviews.models import Review, ReviewCreate
from tests.api.conftest import login
from tests.api.console_http import HTML, csrf_token
from tests.api.test_provider_portal import use_portal_token
from tests.factories.accounts import make_resident
from tests.factories.provider_accounts import make_invitation, make_provider_user, portal_token
from tests.factories.providers import make_provider

BAD_TEXT = "前台态度很差，预约的时间到了还让我等了四十分钟。"


def _reviews(db: Session, provider: Provider) -> int:
    db.expire_all()
    return int(
        db.exec(
            select(func.count()).select_from(Review).where(Review.provider_id == provider.id)
        ).one()
    )


def _body(provider: Provider, token: str | None, level: int = 2) -> dict[str, object]:
    body: dict[str, object] = {"provider_id": provider.id, "level": level, "text": BAD_TEXT}
    if token is not None:
        body["invitation"] = token
    return body


def _scan(client: httpx.Client, settings: Settings, provider: Provider) -> str:
    """Open the poster's scan address; return the invitation token it hands out."""
    assert provider.id is not None
    response = client.get(invitations.scan_path(settings, provider.id), headers=HTML)
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == f"/providers/{provider.id}/review"
    return parse_qs(location.query)["invitation"][0]


def test_a_scan_leads_to_a_verified_review(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    provider = make_provider(db, settings=settings)
    db.commit()
    token = _scan(client, settings, provider)
    headers = login(client, outbox)
    created = client.post("/api/v1/reviews", json=_body(provider, token), headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["verified"] is True
    db.expire_all()
    review = db.get(Review, created.json()["id"])
    assert review is not None
    assert review.verified
    assert review.source == "invitation"
    invitation = db.exec(select(Invitation).where(Invitation.review_id == review.id)).one()
    assert invitation.used_at is not None
    assert invitation.provider_id == provider.id


def test_the_review_form_carries_the_invitation(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    provider = make_provider(db, settings=settings)
    resident = make_resident(db)
    db.commit()
    token = _scan(client, settings, provider)
    form_path = f"/providers/{provider.id}/review?invitation={token}"
    # Not logged in yet: to the login page, coming back with the invitation.
    to_login = client.get(form_path, headers=HTML)
    assert to_login.status_code == 303
    assert "invitation" in parse_qs(urlsplit(to_login.headers["location"]).query)["next"][0]

    client.cookies.set(SESSION_COOKIE, issue_token(settings, resident), domain="127.0.0.1")
    form = client.get(form_path, headers=HTML)
    assert form.status_code == 200
    assert f'name="invitation" value="{token}"' in form.text
    assert "已核实" in form.text
    posted = client.post(
        f"/providers/{provider.id}/review",
        data={
            "csrf_token": csrf_token(client),
            "level": "1",
            "text": BAD_TEXT,
            "invitation": token,
            "submission_id": "form-with-invitation-0001",
        },
        headers=HTML,
    )
    assert posted.status_code == 303, posted.text
    db.expire_all()
    review = db.exec(select(Review).where(Review.provider_id == provider.id)).one()
    assert review.verified
    # The spent invitation's form now says so, in a 4xx.
    again = client.get(form_path, headers=HTML)
    assert again.status_code == 409
    assert "该邀请码已使用过" in again.text


@dataclass(frozen=True)
class Refusal:
    name: str
    status: int
    zh: str
    en: str


FORGED = Refusal("forged", 400, "邀请码无效", "not valid")
EXPIRED = Refusal("expired", 410, "邀请码已过期", "has expired")
REPLAYED = Refusal("replayed", 409, "该邀请码已使用过", "already been used")
WRONG_PROVIDER = Refusal("wrong provider", 422, "属于另一家机构", "belongs to another provider")


def _bad_token(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path, refusal: Refusal
) -> tuple[Provider, str]:
    """A provider and a token that must be refused there for `refusal`'s reason."""
    provider = make_provider(db, settings=settings)
    db.commit()
    if refusal is FORGED:
        token = _scan(client, settings, provider)
        # A changed payload keeps its old signature: itsdangerous must refuse it.
        payload, rest = token.split(".", 1)
        return provider, ("e" if payload[0] != "e" else "f") + payload[1:] + "." + rest
    if refusal is EXPIRED:
        token = _scan(client, settings, provider)
        clock.advance(timedelta(seconds=settings.invitation_ttl_seconds + 1))
        return provider, token
    if refusal is REPLAYED:
        token = _scan(client, settings, provider)
        first = client.post(
            "/api/v1/reviews",
            json=_body(provider, token, level=5),
            headers=login(client, outbox, "13700000001"),
        )
        assert first.status_code == 201
        return provider, token
    other = make_provider(db, settings=settings)
    db.commit()
    return provider, _scan(client, settings, other)


@pytest.mark.parametrize("refusal", [FORGED, EXPIRED, REPLAYED, WRONG_PROVIDER], ids=str)
def test_bad_tokens_are_refused_and_nothing_is_stored(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path, refusal: Refusal
) -> None:
    provider, token = _bad_token(client, db, settings, outbox, refusal)
    before = _reviews(db, provider)
    headers = login(client, outbox, "13700000002")
    for language, words in (("zh-CN", refusal.zh), ("en", refusal.en)):
        api = client.post(
            "/api/v1/reviews",
            json=_body(provider, token),
            headers={**headers, "Accept-Language": language},
        )
        assert api.status_code == refusal.status, (refusal.name, api.text)
        assert words in api.json()["detail"]
        page = client.get(
            f"/providers/{provider.id}/review?invitation={token}",
            headers={**HTML, "Accept-Language": language},
        )
        assert page.status_code == refusal.status, refusal.name
        assert words in page.text
    assert _reviews(db, provider) == before


def test_a_poster_link_with_a_wrong_signature_is_not_found(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    provider = make_provider(db, settings=settings)
    other = make_provider(db, settings=settings)
    db.commit()
    assert other.id is not None
    # Another provider's signature on this provider's id.
    wrong = f"/scan/{provider.id}/{invitations.poster_signature(settings, other.id)}"
    response = client.get(wrong, headers=HTML)
    assert response.status_code == 404
    assert "二维码链接无效" in response.text
    assert not db.exec(select(Invitation).where(Invitation.provider_id == provider.id)).all()


def test_an_invitation_is_a_new_service_event_within_30_days(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    provider = make_provider(db, settings=settings)
    db.commit()
    headers = login(client, outbox, "13700000003")
    plain = client.post("/api/v1/reviews", json=_body(provider, None), headers=headers)
    assert plain.status_code == 201
    again = client.post("/api/v1/reviews", json=_body(provider, None), headers=headers)
    assert again.status_code == 409  # the one-review rule without an invitation
    verified = client.post(
        "/api/v1/reviews",
        json=_body(provider, _scan(client, settings, provider), level=4),
        headers=headers,
    )
    assert verified.status_code == 201, verified.text
    assert verified.json()["verified"] is True
    assert _reviews(db, provider) == 2
    # And still no unverified one: the rule stands for reviews without an invitation.
    assert (
        client.post("/api/v1/reviews", json=_body(provider, None), headers=headers).status_code
        == 409
    )


def test_staff_issue_a_single_invitation_shown_as_a_qr_code(
    client: httpx.Client, db: Session, settings: Settings, outbox: Path
) -> None:
    provider = make_provider(db, settings=settings)
    owner = make_provider_user(db, settings, provider)
    use_portal_token(client, portal_token(db, owner))
    issued = client.post(
        "/provider/invitations", data={"csrf_token": csrf_token(client)}, headers=HTML
    )
    assert issued.status_code == 303
    page = client.get(issued.headers["location"], headers=HTML)
    assert page.status_code == 200
    assert "<svg" in page.text
    invitation = db.exec(select(Invitation).where(Invitation.provider_id == provider.id)).one()
    assert invitation.issued_by == owner.id
    link = page.text.split('class="code">', 1)[1].split("<", 1)[0]
    token = parse_qs(urlsplit(link).query)["invitation"][0]
    created = client.post(
        "/api/v1/reviews",
        json=_body(provider, token, level=5),
        headers=login(client, outbox, "13700000004"),
    )
    assert created.status_code == 201
    assert created.json()["verified"] is True
    assert "已于" in client.get(issued.headers["location"], headers=HTML).text


# -- the poster ------------------------------------------------------------------------


def test_the_poster_is_a_png_and_a_pdf_carrying_the_scan_address(
    client: httpx.Client, db: Session, settings: Settings, server_url: str
) -> None:
    provider = make_provider(db, settings=settings, name="徐汇乐龄海报测试服务中心")
    owner = make_provider_user(db, settings, provider)
    use_portal_token(client, portal_token(db, owner))
    assert provider.id is not None
    scan_url = server_url + invitations.scan_path(settings, provider.id)

    png = client.get("/provider/poster.png")
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG"
    assert image.size == (poster.WIDTH, poster.HEIGHT)
    # Read the code back: the colour at the centre of every module is the matrix segno
    # makes for the scan address, module for module.
    placement = poster.render(provider.name, "养老服务", scan_url).qr
    expected = segno.make_qr(scan_url, error="m").matrix
    grey = image.convert("L")
    half = placement.module // 2
    read = [
        [
            _dark(
                grey,
                placement.left + column * placement.module + half,
                placement.top + row * placement.module + half,
            )
            for column in range(placement.modules)
        ]
        for row in range(placement.modules)
    ]
    assert read == [[bool(cell) for cell in row] for row in expected]

    pdf = client.get("/provider/poster.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]

    # The printed address works: scanning it gives an invitation for this provider.
    scanned = client.get(urlsplit(scan_url).path, headers=HTML)
    assert scanned.status_code == 303
    assert f"/providers/{provider.id}/review?invitation=" in scanned.headers["location"]


def _dark(grey: Image.Image, x: int, y: int) -> bool:
    value = grey.getpixel((x, y))
    assert isinstance(value, int)
    return value < 128


# -- two uses at once ------------------------------------------------------------------


@pytest.fixture
def committed(engine: Engine, settings: Settings) -> Iterator[tuple[int, list[int], str]]:
    """A provider, two residents and an invitation, committed (two connections must see
    them), and everything they led to deleted afterwards."""
    with Session(engine) as session:
        provider = make_provider(session, settings=settings)
        residents = [make_resident(session), make_resident(session)]
        _, token = make_invitation(session, settings, provider)
        session.commit()
        ids = (provider.id or 0, [r.id or 0 for r in residents])
    yield ids[0], ids[1], token
    with Session(engine) as session:
        reviews = session.exec(select(Review.id).where(Review.provider_id == ids[0])).all()
        existing = set(inspect(session.connection()).get_table_names())
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in existing:  # a model whose migration is not written yet
                continue
            columns = table.c
            if "review_id" in columns and reviews:
                session.execute(delete(table).where(columns.review_id.in_(reviews)))
            if "provider_id" in columns:
                session.execute(delete(table).where(columns.provider_id == ids[0]))
        session.execute(delete(Resident).where(col(Resident.id).in_(ids[1])))
        session.execute(delete(Provider).where(col(Provider.id) == ids[0]))
        session.commit()


def _submit(
    session: Session, settings: Settings, resident_id: int, provider_id: int, token: str
) -> int:
    resident = session.get(Resident, resident_id)
    assert resident is not None
    status, _ = service.submit_review(
        session,
        settings=settings,
        store=store_for(settings.redis_url, settings.redis_prefix),
        resident=resident,
        data=ReviewCreate(provider_id=provider_id, level=2, text="排队太久", invitation=token),
        client_hash=f"address-{resident_id}",
    )
    return status


def test_two_concurrent_uses_store_one_review(
    engine: Engine, settings: Settings, committed: tuple[int, list[int], str]
) -> None:
    """The second use starts while the first is stored but not yet committed, so it reads
    the invitation as unused; only the conditional UPDATE can stop it."""
    provider_id, (first_id, second_id), token = committed
    outcome: list[str] = []

    def second_use() -> None:
        with Session(engine) as session:
            try:
                outcome.append(str(_submit(session, settings, second_id, provider_id, token)))
                session.commit()
            except InvitationUsed:
                session.rollback()
                outcome.append("used")

    with Session(engine) as first:
        assert _submit(first, settings, first_id, provider_id, token) == 201
        second = threading.Thread(target=second_use)
        second.start()
        # The second use now waits: on PostgreSQL for the invitation row that the first
        # one's UPDATE locked, on SQLite for the write lock.
        second.join(timeout=1.0)
        assert second.is_alive()
        first.commit()
    second.join(timeout=30)
    assert outcome == ["used"]
    with Session(engine) as session:
        stored = session.exec(select(Review).where(Review.provider_id == provider_id)).all()
        assert len(stored) == 1
        assert stored[0].verified
