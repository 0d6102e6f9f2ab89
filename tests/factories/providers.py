"""Provider factory: valid, unique credit codes and sensible defaults."""

import itertools
from typing import Any

from sqlmodel import Session

from haocha.providers.credit_code import check_character
from haocha.providers.models import Provider, ProviderCreate
from haocha.providers.service import create_provider

_serial = itertools.count(1)


def credit_code(district: str = "310101") -> str:
    body = f"91{district}{next(_serial):08d}X"[:17]
    return body + check_character(body)


def make_provider(session: Session, **overrides: Any) -> Provider:
    district = overrides.pop("district_code", "310101")
    data = {
        "name": f"测试养老服务中心{next(_serial)}",
        "sector_code": "elderly_care",
        "district_code": district,
        "address": "上海市黄浦区测试路1号",
        "credit_code": credit_code(district),
        "sells_prepaid": False,
    }
    data.update(overrides)
    return create_provider(session, ProviderCreate(**data))
