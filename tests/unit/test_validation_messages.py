"""pydantic errors become sentences people can act on."""

import pytest
from pydantic import ValidationError

from haocha.core.validation_messages import describe
from haocha.reviews.models import ReviewCreate

pytestmark = pytest.mark.unit


def _errors(body: dict[str, object]) -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as info:
        ReviewCreate.model_validate(body)
    return [dict(e) for e in info.value.errors()]


@pytest.mark.parametrize(
    ("body", "zh", "en"),
    [
        (
            {"provider_id": 1, "level": 7},
            "评价等级必须在 1 到 5 之间",
            "Level must be between 1 and 5",
        ),
        ({"provider_id": 1}, "评价等级为必填项", "Level is required"),
        (
            {"provider_id": 1, "level": 3, "text": "长" * 1001},
            "评价内容不能超过 1000 个字",
            "Text must be at most 1000 characters",
        ),
        (
            {"provider_id": 1, "level": 3, "service_date": "昨天"},
            "服务日期必须是 YYYY-MM-DD 格式的日期",
            "Service date must be a date as YYYY-MM-DD",
        ),
        (
            {"provider_id": 1, "level": 3, "dimensions": {"price": 0}},
            "分项评分 / price必须在 1 到 5 之间",
            "Dimension scores / price must be between 1 and 5",
        ),
    ],
)
def test_sentences(body: dict[str, object], zh: str, en: str) -> None:
    error = _errors(body)[0]
    assert describe(error, "zh")["message"] == zh
    assert describe(error, "en")["message"] == en
