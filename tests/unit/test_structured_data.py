"""schema.org JSON-LD: the provider's description, and JSON that cannot end its script."""

import json

import pytest

from haocha.core.templating import json_script
from haocha.providers.models import District, ProviderPublic, ProviderStatus
from haocha.providers.structured_data import local_business, ranking_list

pytestmark = pytest.mark.unit

JINGAN = District(
    code="310106", name_zh="静安区", name_en="Jing'an", city_zh="上海市", city_en="Shanghai"
)


def provider(**overrides: object) -> ProviderPublic:
    data: dict[str, object] = {
        "id": 7,
        "name": "静安乐龄居家养老服务中心",
        "sector_code": "elderly_care",
        "district_code": "310106",
        "address": "上海市静安区康定路 1288 号",
        "credit_code": "91310106MA1FL0000X",
        "status": ProviderStatus.active,
        "sells_prepaid": False,
        "is_demo": False,
    }
    data.update(overrides)
    return ProviderPublic.model_validate(data)


def test_local_business_with_a_rating_rounded_as_shown() -> None:
    data = local_business(
        provider(review_count=12, score=4.26, score_low=3.9, score_high=4.6),
        JINGAN,
        url="https://example.org/providers/7",
    )
    assert data["@type"] == "LocalBusiness"
    assert data["identifier"] == "91310106MA1FL0000X"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "上海市静安区康定路 1288 号",
        "addressLocality": "静安区",
        "addressRegion": "上海市",
        "addressCountry": "CN",
    }
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.3,
        "bestRating": 5,
        "worstRating": 1,
        "ratingCount": 12,
    }


def test_no_rating_without_counted_reviews() -> None:
    # The stored score of a provider whose reviews were all removed is the sector's prior.
    data = local_business(provider(review_count=0, score=3.8), JINGAN, url="https://x/7")
    assert "aggregateRating" not in data


def test_ranking_list_uses_the_ranks_as_positions() -> None:
    data = ranking_list(
        [(21, provider(id=3, name="甲")), (22, provider(id=9, name="乙"))],
        name="养老",
        url_of=lambda pid: f"https://example.org/providers/{pid}",
    )
    assert data["@type"] == "ItemList"
    assert [(i["position"], i["name"], i["url"]) for i in data["itemListElement"]] == [
        (21, "甲", "https://example.org/providers/3"),
        (22, "乙", "https://example.org/providers/9"),
    ]


def test_json_script_cannot_close_its_script_element() -> None:
    value = {"name": "</script><script>alert(1)</script>", "note": "A & B <!--"}
    text = str(json_script(value))
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text) == value  # the escapes read back as the same characters
    assert "乐龄" in str(json_script("乐龄"))  # Chinese stays readable in the page source
