"""Accept-Language negotiation and the message catalogue."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haocha.core.i18n import negotiate, parse_accept_language, translate
from haocha.core.messages import CATALOGUE

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh"),
        ("", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en;q=0.5, zh-TW;q=0.8", "zh"),
        ("fr-FR, en;q=0.3", "en"),
        ("fr-FR", "zh"),
        ("en;q=0, zh;q=0.1", "zh"),
        ("en;q=abc, zh;q=0.2", "zh"),
        ("*", "zh"),
    ],
)
def test_negotiation(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_order_is_by_quality_then_position() -> None:
    parsed = parse_accept_language("de;q=0.5, en, fr;q=0.5, zh;q=0.9")
    assert [tag for tag, _ in parsed] == ["en", "zh", "de", "fr"]


@given(st.text(max_size=200))
def test_any_header_parses_without_error(header: str) -> None:
    for tag, q in parse_accept_language(header):
        assert 0 < q <= 1
        assert tag
    assert negotiate(header) in ("zh", "en")


def test_every_message_has_both_languages_and_same_placeholders() -> None:
    import string  # noqa: PLC0415

    fields = string.Formatter()
    for key, (zh, en) in CATALOGUE.items():
        assert zh.strip(), key
        assert en.strip(), key
        zh_names = {f for _, f, _, _ in fields.parse(zh) if f}
        en_names = {f for _, f, _, _ in fields.parse(en) if f}
        assert zh_names == en_names, key


def test_translate_formats_parameters() -> None:
    assert translate("en", "error.rate_limited", seconds=7).endswith("7 seconds.")
    assert "7 秒" in translate("zh", "error.rate_limited", seconds=7)
    assert translate("zh", "no.such.key") == "no.such.key"
