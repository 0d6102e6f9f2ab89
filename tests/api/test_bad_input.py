"""Every malformed request gets a 4xx with a sentence a person understands; never a 5xx,
and nothing is stored."""

from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, func, select

from haocha.reviews.models import Review
from tests.api.conftest import login
from tests.factories.providers import make_provider

LONG = "好" * 1001


def _bad_review_bodies(pid: int) -> list[tuple[str, object]]:
    good = {"provider_id": pid, "level": 4, "text": "不错"}
    return [
        ("level too high", {**good, "level": 6}),
        ("level zero", {**good, "level": 0}),
        ("level text", {**good, "level": "非常满意"}),
        ("level fraction", {**good, "level": 4.5}),
        ("level missing", {"provider_id": pid, "text": "不错"}),
        ("provider missing", {"level": 4}),
        ("provider not a number", {**good, "provider_id": "abc"}),
        ("provider unknown", {**good, "provider_id": 99_999_999}),
        ("provider negative", {**good, "provider_id": -3}),
        ("text too long", {**good, "text": LONG}),
        ("text not a string", {**good, "text": ["a", "b"]}),
        ("dimension out of range", {**good, "dimensions": {"attitude": 9}}),
        ("dimension unknown", {**good, "dimensions": {"taste": 3}}),
        ("dimensions not an object", {**good, "dimensions": [1, 2]}),
        ("prepaid not a bool", {**good, "prepaid": "maybe"}),
        ("amount negative", {**good, "prepaid": True, "prepaid_amount": -5}),
        ("amount absurd", {**good, "prepaid": True, "prepaid_amount": 10**9}),
        ("amount three decimals", {**good, "prepaid": True, "prepaid_amount": "12.345"}),
        ("amount without prepaid", {**good, "prepaid_amount": 100}),
        ("date malformed", {**good, "service_date": "2024-13-45"}),
        ("date in the future", {**good, "service_date": "2999-01-01"}),
        ("date too old", {**good, "service_date": "2001-01-01"}),
        ("unknown field", {**good, "stars": 5}),
        ("body is a list", [good]),
        ("body is a number", 42),
    ]


def test_malformed_reviews_get_clear_4xx(client: httpx.Client, outbox: Path, db: Session) -> None:
    provider = make_provider(db)
    assert provider.id is not None
    headers = login(client, outbox)
    cases = _bad_review_bodies(provider.id)
    assert len(cases) >= 20
    for name, body in cases:
        response = client.post("/api/v1/reviews", json=body, headers=headers)
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
        detail = response.json()["detail"]
        assert isinstance(detail, str), name
        assert detail, name
        # A sentence in Chinese, not pydantic's English internals.
        assert any("\u4e00" <= ch <= "\u9fff" for ch in detail), (name, detail)
        assert "Input should" not in detail, (name, detail)
    assert db.exec(select(func.count()).select_from(Review)).one() == 0


RAW_CASES = [
    ("not json", b"{level: 5", "application/json"),
    ("truncated json", b'{"provider_id": 1, "level": ', "application/json"),
    ("empty body", b"", "application/json"),
    ("form instead of json", b"provider_id=1&level=5", "application/x-www-form-urlencoded"),
    ("invalid utf-8", b'{"text": "\xff\xfe"}', "application/json"),
]


@pytest.mark.parametrize(("name", "raw", "content_type"), RAW_CASES)
def test_unparseable_bodies(
    client: httpx.Client, outbox: Path, name: str, raw: bytes, content_type: str
) -> None:
    headers = {**login(client, outbox), "Content-Type": content_type}
    response = client.post("/api/v1/reviews", content=raw, headers=headers)
    assert 400 <= response.status_code < 500, (name, response.text)
    assert response.json()["detail"]


def test_oversized_body_is_413(client: httpx.Client, outbox: Path) -> None:
    headers = login(client, outbox)
    response = client.post(
        "/api/v1/reviews",
        content=b"x" * 70_000,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/providers/abc",
        "/api/v1/providers/0",
        "/api/v1/providers/99999999999999999999",
        "/api/v1/providers?limit=0",
        "/api/v1/providers?limit=1000",
        "/api/v1/providers?offset=-1",
        "/api/v1/providers?sector=spaceflight",
        "/api/v1/providers?district=999999",
        "/api/v1/nowhere",
    ],
)
def test_bad_queries_get_clear_4xx(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("key", ["", "x" * 101, "含中文", "has space"])
def test_bad_idempotency_keys(client: httpx.Client, outbox: Path, db: Session, key: str) -> None:
    provider = make_provider(db)
    headers = [(k.encode(), v.encode()) for k, v in login(client, outbox).items()]
    headers.append((b"Idempotency-Key", key.encode()))
    body = {"provider_id": provider.id, "level": 5}
    response = client.post("/api/v1/reviews", json=body, headers=headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]


def test_review_without_login_is_401(client: httpx.Client, db: Session) -> None:
    provider = make_provider(db)
    response = client.post("/api/v1/reviews", json={"provider_id": provider.id, "level": 5})
    assert response.status_code == 401
