"""Provider factory: valid, unique credit codes, a registered phone, sensible defaults."""

import itertools
from functools import cache
from typing import Any

from sqlmodel import Session

from haocha.core.settings import Settings
from haocha.providers.account_service import set_registered_phone
from haocha.providers.credit_code import check_character
from haocha.providers.models import Provider, ProviderCreate
from haocha.providers.service import create_provider

_serial = itertools.count(1)


def credit_code(district: str = "310101") -> str:
    body = f"91{district}{next(_serial):08d}X"[:17]
    return body + check_character(body)


def registered_phone(n: int) -> str:
    """The factory's made-up registered phone of its n-th provider."""
    return f"1366{n:07d}"


@cache
def _default_settings() -> Settings:
    # The development keys: the test suites leave the encryption keys at their default,
    # so the app decrypts these copies; tests that look a provider up by its phone hash
    # pass their own `settings`.
    return Settings(environment="test")


def make_provider(
    session: Session,
    *,
    settings: Settings | None = None,
    phone: str | None = None,
    **overrides: Any,
) -> Provider:
    """A provider with a registered phone (keyed hash and encrypted copy, as stored)."""
    n = next(_serial)
    district = overrides.pop("district_code", "310101")
    data = {
        "name": f"测试养老服务中心{n}",
        "sector_code": "elderly_care",
        "district_code": district,
        "address": "上海市黄浦区测试路1号",
        "credit_code": credit_code(district),
        "sells_prepaid": False,
    }
    data.update(overrides)
    provider = create_provider(session, ProviderCreate(**data))
    set_registered_phone(settings or _default_settings(), provider, phone or registered_phone(n))
    session.add(provider)
    session.flush()
    return provider
