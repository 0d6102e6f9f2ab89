"""Posting reviews: the one-review rule, idempotency, limits, and where reviews show up."""

from datetime import timedelta
from pathlib import Path

import httpx
from sqlmodel import Session, func, select

from haocha.core import clock
from haocha.providers.models import ProviderStatus
from haocha.reviews.models import Review
from tests.api.conftest import login
from tests.factories.providers import make_provider


def _body(provider_id: int | None, **extra: object) -> dict[str, object]:
    return {
        "provider_id": provider_id,
        "level": 2,
        "text": "上门保洁迟到一小时，地也没拖干净。",
        **extra,
    }


def _count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Review)).one()


def test_full_review_round_trip(client: httpx.Client, outbox: Path, db: Session) -> None:
    provider = make_provider(db, sector_code="housekeeping")
    headers = login(client, outbox)
    body = _body(
        provider.id,
        dimensions={"attitude": 2, "quality": 1},
        prepaid=True,
        prepaid_amount="1999.50",
        service_date=clock.today_local().isoformat(),
    )
    created = client.post("/api/v1/reviews", json=body, headers=headers)
    assert created.status_code == 201, created.text
    review = created.json()
    assert review["level"] == 2
    assert review["dimensions"] == {"attitude": 2, "quality": 1}
    assert review["prepaid_amount"] == "1999.50"

    page = client.get(f"/api/v1/providers/{provider.id}/reviews")
    assert [r["id"] for r in page.json()["items"]] == [review["id"]]
    shown = client.get(f"/api/v1/providers/{provider.id}").json()
    assert shown["review_count"] == 1
    assert shown["level_counts"]["2"] == 1
    assert shown["bad_rate"] == 1.0
    html = client.get(f"/providers/{provider.id}", headers={"Accept": "text/html"})
    assert "地也没拖干净" in html.text


def test_idempotency_key_stores_one_review_and_replays_the_answer(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    provider = make_provider(db)
    headers = {**login(client, outbox), "Idempotency-Key": "retry-7f3a"}
    first = client.post("/api/v1/reviews", json=_body(provider.id), headers=headers)
    second = client.post("/api/v1/reviews", json=_body(provider.id), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert _count(db) == 1


def test_reused_key_with_other_body_is_refused(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    provider = make_provider(db)
    headers = {**login(client, outbox), "Idempotency-Key": "k1"}
    client.post("/api/v1/reviews", json=_body(provider.id), headers=headers)
    other = client.post("/api/v1/reviews", json=_body(provider.id, level=5), headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert _count(db) == 1


def test_second_review_within_30_days_is_refused_then_allowed(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    provider = make_provider(db)
    headers = login(client, outbox)
    assert (
        client.post("/api/v1/reviews", json=_body(provider.id), headers=headers).status_code == 201
    )
    again = client.post("/api/v1/reviews", json=_body(provider.id, level=4), headers=headers)
    assert again.status_code == 409
    assert "30 天内已评价" in again.json()["detail"]
    clock.advance(timedelta(days=30, minutes=1))
    later = client.post("/api/v1/reviews", json=_body(provider.id, level=4), headers=headers)
    assert later.status_code == 201
    assert _count(db) == 2


def test_other_residents_and_providers_are_independent(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    a, b = make_provider(db), make_provider(db)
    alice = login(client, outbox, "13800000001")
    bob = login(client, outbox, "13800000002")
    for headers in (alice, bob):
        for provider in (a, b):
            response = client.post("/api/v1/reviews", json=_body(provider.id), headers=headers)
            assert response.status_code == 201
    assert _count(db) == 4


def test_reviews_are_rate_limited_per_resident(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    headers = login(client, outbox)
    providers = [make_provider(db) for _ in range(11)]
    statuses = [
        client.post("/api/v1/reviews", json=_body(p.id), headers=headers).status_code
        for p in providers
    ]
    assert statuses == [201] * 10 + [429]


def test_closed_provider_cannot_be_reviewed(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    provider = make_provider(db)
    provider.status = ProviderStatus.closed
    db.flush()
    response = client.post(
        "/api/v1/reviews", json=_body(provider.id), headers=login(client, outbox)
    )
    assert response.status_code == 409
    assert "停业" in response.json()["detail"]


def test_english_when_the_client_prefers_it(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    headers = {**login(client, outbox), "Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}
    response = client.post("/api/v1/reviews", json={"provider_id": 1, "level": 9}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "Level must be between 1 and 5"


def test_my_reviews_lists_only_mine(client: httpx.Client, outbox: Path, db: Session) -> None:
    provider = make_provider(db)
    alice = login(client, outbox, "13800000011")
    bob = login(client, outbox, "13800000012")
    client.post("/api/v1/reviews", json=_body(provider.id), headers=alice)
    assert client.get("/api/v1/me/reviews", headers=alice).json()["total"] == 1
    assert client.get("/api/v1/me/reviews", headers=bob).json()["total"] == 0
