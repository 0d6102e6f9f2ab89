"""Phone numbers never appear in plain text; Redis going away degrades, never loses a review."""

import logging
from pathlib import Path

import httpx
import pytest
import redis
from sqlalchemy import inspect, text
from sqlmodel import Session, func, select

from haocha.core.security import keyed_hash
from haocha.core.settings import Settings
from haocha.reviews.models import Review
from tests.api.conftest import build_app, login, running_server, session_for_requests
from tests.conftest import BACKEND, REDIS_URL
from tests.factories.providers import make_provider

PHONE = "13566667777"


def _dump_database(db: Session) -> str:
    """Every value of every row of every table, as text."""
    out = []
    for table in inspect(db.connection()).get_table_names():
        for row in db.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608 - names from the schema
            out.append(" ".join(str(v) for v in row))
    return "\n".join(out)


def test_phone_is_nowhere_in_plain_text(
    client: httpx.Client,
    outbox: Path,
    db: Session,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = make_provider(db)
    headers = login(client, outbox, "+86 135 6666 7777")
    client.post("/api/v1/reviews", json={"provider_id": provider.id, "level": 5}, headers=headers)
    client.post("/api/v1/auth/code", json={"phone": PHONE})  # rate-limited: logged path too
    db.expire_all()
    dump = _dump_database(db)
    # The dump did reach the resident: its keyed hash is there, the number is not.
    assert keyed_hash(settings.hash_key.get_secret_value(), "phone", PHONE) in dump
    for form in (PHONE, "135 6666 7777", "6666777"):
        assert form not in dump
        assert form not in caplog.text
    if settings.redis_url:
        r = redis.Redis.from_url(settings.redis_url)
        for key in r.scan_iter(match=f"{settings.redis_prefix}*"):
            assert PHONE.encode() not in key
            value = r.get(key) or b""
            assert PHONE.encode() not in value


@pytest.mark.skipif(BACKEND == "sqlite", reason="the SQLite pass runs without Redis")
def test_redis_down_degrades_but_accepts_reviews(
    outbox: Path, db: Session, settings: Settings
) -> None:
    broken = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    provider = make_provider(db)
    with running_server(build_app(broken)) as url, session_for_requests(db):
        http = httpx.Client(base_url=url, timeout=10)
        health = http.get("/healthz").json()
        assert health["status"] == "degraded"
        assert health["redis"].startswith("degraded")
        headers = login(http, outbox, "13500001111")
        created = http.post(
            "/api/v1/reviews", json={"provider_id": provider.id, "level": 4}, headers=headers
        )
        assert created.status_code == 201
        # Limits still hold, counted in process while Redis is away.
        again = http.post("/api/v1/auth/code", json={"phone": "13500001111"})
        assert again.status_code == 429
        http.close()
    assert db.exec(select(func.count()).select_from(Review)).one() == 1


def test_healthz_reports_database_and_cache(client: httpx.Client, settings: Settings) -> None:
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["redis"] == ("ok" if settings.redis_url else "memory")
    assert body["status"] == "ok"
    if BACKEND != "sqlite":
        assert settings.redis_url == REDIS_URL


def test_openapi_document_lists_the_api(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/sectors",
        "/api/v1/providers",
        "/api/v1/providers/{provider_id}",
        "/api/v1/reviews",
        "/api/v1/auth/code",
        "/api/v1/auth/token",
        "/api/v1/rankings/{sector}",
    ):
        assert path in paths
    assert not any(p.startswith("/providers/") for p in paths)  # pages stay out of the API doc
