"""schema.org descriptions of the directory's pages, for search engines and map apps.

Plain dicts here; the template writes them with the `json_script` filter, which makes the
JSON safe inside a <script> element. Names and addresses are given in Chinese whatever the
page language: they are what the business is called on the street."""

from collections.abc import Callable, Sequence
from typing import Any

from haocha.providers.models import District, ProviderPublic

SCHEMA = "https://schema.org"


def local_business(provider: ProviderPublic, district: District, *, url: str) -> dict[str, Any]:
    """A provider as a LocalBusiness, with its AggregateRating once it has counted reviews."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "LocalBusiness",
        "name": provider.name,
        "url": url,
        "identifier": provider.credit_code,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": provider.address,
            "addressLocality": district.name_zh,
            "addressRegion": district.city_zh,
            "addressCountry": "CN",
        },
    }
    # Without counted reviews the score is the sector's prior, not a rating of this
    # business, so no rating is claimed for it.
    if provider.review_count and provider.score is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            # Rounded as the page shows it, so the page and its description agree.
            "ratingValue": round(provider.score, 1),
            "bestRating": 5,
            "worstRating": 1,
            "ratingCount": provider.review_count,
        }
    return data


def ranking_list(
    ranked: Sequence[tuple[int, ProviderPublic]], *, name: str, url_of: Callable[[int], str]
) -> dict[str, Any]:
    """One page of a ranking as an ItemList: position is the rank, not the row number."""
    return {
        "@context": SCHEMA,
        "@type": "ItemList",
        "name": name,
        "itemListOrder": "https://schema.org/ItemListOrderDescending",
        "itemListElement": [
            {"@type": "ListItem", "position": rank, "url": url_of(p.id), "name": p.name}
            for rank, p in ranked
        ],
    }
