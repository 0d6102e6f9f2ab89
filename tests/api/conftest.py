"""A real HTTP server for the API suite: uvicorn in a thread, spoken to with httpx."""

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlmodel import Session

from haocha.accounts.phone import normalise_phone
from haocha.app import create_app
from haocha.core.cache import attach_store, store_for
from haocha.core.settings import Settings
from haocha.deps import get_session


class _CurrentSession:
    """The test's rolled-back session, handed to every request the test makes."""

    session: Session | None = None


def build_app(settings: Settings) -> FastAPI:
    app = create_app(settings)

    def test_session() -> Iterator[Session]:
        session = _CurrentSession.session
        assert session is not None, "API test without the `client` fixture"
        # The same commit/rollback as the real dependency; here they end savepoints.
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise

    app.dependency_overrides[get_session] = test_session
    return app


@contextlib.contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on a free loopback port; yield its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def server_url(settings: Settings) -> Iterator[str]:
    with running_server(build_app(settings)) as url:
        yield url


@contextlib.contextmanager
def session_for_requests(db: Session) -> Iterator[None]:
    _CurrentSession.session = db
    try:
        yield
    finally:
        _CurrentSession.session = None


@pytest.fixture
def client(server_url: str, db: Session, settings: Settings) -> Iterator[httpx.Client]:
    store = store_for(settings.redis_url, settings.redis_prefix)
    store.clear()
    attach_store(db, store)
    with session_for_requests(db), httpx.Client(base_url=server_url, timeout=10) as http:
        yield http


def read_code(outbox: Path, phone: str) -> str:
    """The code in the newest text message to `phone`, as a resident reads it."""
    for line in reversed(outbox.read_text(encoding="utf-8").splitlines()):
        message = json.loads(line)
        if message["phone"] == phone:
            digits = [w for w in message["text"].replace("，", " ").split() if w.isdigit()]
            return str(digits[0])
    raise AssertionError(f"no message to {phone}")


def login(client: httpx.Client, outbox: Path, phone: str = "13812345678") -> dict[str, str]:
    assert client.post("/api/v1/auth/code", json={"phone": phone}).status_code == 202
    code = read_code(outbox, normalise_phone(phone) or phone)
    response = client.post("/api/v1/auth/token", json={"phone": phone, "code": code})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
