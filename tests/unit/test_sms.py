"""SMS senders: the file outbox and the HTTP gateway (against a mock transport)."""

import json
from pathlib import Path

import httpx
import pytest

from haocha.accounts.sms import FileSender, HttpGatewaySender, SmsFailed, make_sender
from haocha.core.settings import Settings


def test_file_sender_appends_one_json_line_per_message(tmp_path: Path) -> None:
    outbox = tmp_path / "nested" / "outbox.jsonl"
    sender = FileSender(outbox)
    sender.send("13800000000", "验证码 123456")
    sender.send("13900000000", "验证码 654321")
    lines = [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]
    assert [m["phone"] for m in lines] == ["13800000000", "13900000000"]
    assert lines[0]["text"] == "验证码 123456"


def test_gateway_posts_phone_and_text_with_the_token() -> None:
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    client = httpx.Client(transport=httpx.MockTransport(gateway))
    HttpGatewaySender("https://sms.example/send", "tok", client).send("13800000000", "hi")
    assert seen[0].headers["authorization"] == "Bearer tok"
    assert json.loads(seen[0].content) == {"phone": "13800000000", "text": "hi"}


@pytest.mark.parametrize(
    "respond",
    [
        lambda r: httpx.Response(500),
        lambda r: httpx.Response(429),
        lambda r: (_ for _ in ()).throw(httpx.ConnectTimeout("slow", request=r)),
    ],
)
def test_gateway_failures_become_sms_failed(
    respond: object, caplog: pytest.LogCaptureFixture
) -> None:
    client = httpx.Client(transport=httpx.MockTransport(respond))  # type: ignore[arg-type]
    with pytest.raises(SmsFailed):
        HttpGatewaySender("https://sms.example/send", None, client).send("13800000000", "x")
    assert "13800000000" not in caplog.text  # the number never reaches the log


def test_http_backend_needs_a_url() -> None:
    with pytest.raises(ValueError, match="GATEWAY_URL"):
        make_sender(Settings(sms_backend="http", sms_gateway_url=None))


def test_production_refuses_default_secrets_and_file_backend() -> None:
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(environment="production", sms_backend="http")
