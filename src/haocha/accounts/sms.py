"""Pluggable SMS senders: an HTTP gateway in production, a file outbox in demo and tests."""

import json
import logging
import threading
from pathlib import Path
from typing import Protocol

import httpx

from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.core.settings import Settings

log = logging.getLogger(__name__)


class SmsFailed(DomainError):
    status_code = 503
    message_key = "error.sms_failed"


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class FileSender:
    """Appends one JSON line per message: the stand-in for the phone network in demo and
    tests, where reading the outbox is how a person (or a test) gets the code."""

    _lock = threading.Lock()

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    def send(self, phone: str, text: str) -> None:
        line = json.dumps(
            {"phone": phone, "text": text, "sent_at": clock.now().isoformat()},
            ensure_ascii=False,
        )
        with self._lock:
            self.outbox.parent.mkdir(parents=True, exist_ok=True)
            with self.outbox.open("a", encoding="utf-8") as f:
                f.write(line + "\n")


class HttpGatewaySender:
    """Posts to an SMS gateway. Failures surface as SmsFailed so the resident is told to
    retry, instead of waiting for a code that never comes."""

    def __init__(self, url: str, token: str | None, client: httpx.Client | None = None) -> None:
        self.url = url
        self.token = token
        self.client = client or httpx.Client(timeout=httpx.Timeout(5.0))

    def send(self, phone: str, text: str) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self.client.post(
                self.url, json={"phone": phone, "text": text}, headers=headers
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            # Never log the number: only which kind of failure it was.
            log.warning("sms gateway failed: %s", type(exc).__name__)
            raise SmsFailed() from exc


def make_sender(settings: Settings) -> SmsSender:
    if settings.sms_backend == "http":
        if not settings.sms_gateway_url:
            raise ValueError("HAOCHA_SMS_GATEWAY_URL is required with the http SMS backend")
        token = settings.sms_gateway_token
        return HttpGatewaySender(
            settings.sms_gateway_url, token.get_secret_value() if token else None
        )
    return FileSender(settings.sms_outbox)
