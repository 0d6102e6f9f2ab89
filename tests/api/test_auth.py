"""Login with one-time SMS codes."""

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from haocha.accounts.models import LoginCode, Resident
from haocha.core import clock
from tests.api.conftest import login, read_code

PHONE = "13912340001"


def test_code_then_token_logs_in(client: httpx.Client, outbox: Path) -> None:
    headers = login(client, outbox, PHONE)
    mine = client.get("/api/v1/me/reviews", headers=headers)
    assert mine.status_code == 200
    assert mine.json() == {"items": [], "total": 0}


def test_same_phone_written_differently_is_one_resident(
    client: httpx.Client, outbox: Path, db: Session
) -> None:
    login(client, outbox, "13912340002")
    clock.advance(timedelta(seconds=61))  # past the one-code-a-minute limit
    login(client, outbox, "+86 139-1234-0002")
    assert len(db.exec(select(Resident)).all()) == 1


def test_code_is_single_use(client: httpx.Client, outbox: Path) -> None:
    client.post("/api/v1/auth/code", json={"phone": PHONE})
    code = read_code(outbox, PHONE)
    first = client.post("/api/v1/auth/token", json={"phone": PHONE, "code": code})
    again = client.post("/api/v1/auth/token", json={"phone": PHONE, "code": code})
    assert first.status_code == 200
    assert again.status_code == 400
    assert "验证码" in again.json()["detail"]


def test_code_expires(client: httpx.Client, outbox: Path) -> None:
    client.post("/api/v1/auth/code", json={"phone": PHONE})
    code = read_code(outbox, PHONE)
    clock.advance(timedelta(minutes=6))
    response = client.post("/api/v1/auth/token", json={"phone": PHONE, "code": code})
    assert response.status_code == 400


def test_newer_code_retires_older(client: httpx.Client, outbox: Path, db: Session) -> None:
    client.post("/api/v1/auth/code", json={"phone": PHONE})
    old = read_code(outbox, PHONE)
    clock.advance(timedelta(seconds=61))  # past the one-a-minute limit
    client.post("/api/v1/auth/code", json={"phone": PHONE})
    new = read_code(outbox, PHONE)
    if old != new:
        stale = client.post("/api/v1/auth/token", json={"phone": PHONE, "code": old})
        assert stale.status_code == 400
    assert client.post("/api/v1/auth/token", json={"phone": PHONE, "code": new}).status_code == 200
    assert len(db.exec(select(LoginCode)).all()) == 2


def test_wrong_guesses_lock_the_code(client: httpx.Client, outbox: Path) -> None:
    client.post("/api/v1/auth/code", json={"phone": PHONE})
    code = read_code(outbox, PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert (
            client.post("/api/v1/auth/token", json={"phone": PHONE, "code": wrong}).status_code
            == 400
        )
    # The sixth try fails even with the right code: guessing a million codes is off.
    assert client.post("/api/v1/auth/token", json={"phone": PHONE, "code": code}).status_code == 400


def test_codes_are_rate_limited_per_phone(client: httpx.Client, outbox: Path) -> None:
    assert client.post("/api/v1/auth/code", json={"phone": PHONE}).status_code == 202
    second = client.post("/api/v1/auth/code", json={"phone": PHONE})
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) >= 1
    assert "频繁" in second.json()["detail"]


def test_codes_are_rate_limited_per_address(client: httpx.Client, outbox: Path) -> None:
    statuses = [
        client.post("/api/v1/auth/code", json={"phone": f"137{n:08d}"}).status_code
        for n in range(31)
    ]
    assert statuses[:30] == [202] * 30
    assert statuses[30] == 429


@pytest.mark.parametrize("phone", ["12345", "23812345678", "1381234567a", "", "138123456789"])
def test_invalid_phone_is_refused_in_words(client: httpx.Client, phone: str) -> None:
    response = client.post("/api/v1/auth/code", json={"phone": phone})
    assert response.status_code == 422
    assert "手机号" in response.json()["detail"]


def test_bad_token_is_401(client: httpx.Client) -> None:
    response = client.get("/api/v1/me/reviews", headers={"Authorization": "Bearer forged.token"})
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录。"
