"""Rankings API."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from haocha.core.pagination import PageDep
from haocha.deps import SessionDep, StoreDep
from haocha.providers.models import ProviderPublic
from haocha.providers.service import get_district, get_sector
from haocha.scoring.rankings import ranking_page
from haocha.scoring.service import MIN_RANKED_REVIEWS

router = APIRouter(prefix="/api/v1", tags=["rankings"])


class RankedProvider(BaseModel):
    rank: int
    provider: ProviderPublic


class RankingPublic(BaseModel):
    items: list[RankedProvider]
    total: int
    unranked_total: int
    sector: str
    district: str | None
    min_reviews: int
    as_of: date | None


@router.get("/rankings/{sector}")
def sector_ranking(
    session: SessionDep,
    store: StoreDep,
    sector: Annotated[str, Path(max_length=32)],
    page: PageDep,
    district: Annotated[str | None, Query(max_length=6)] = None,
) -> RankingPublic:
    """Providers of a sector (optionally one district) by score, best first; only those
    with at least `min_reviews` counted reviews are ranked."""
    get_sector(session, sector)
    if district:
        get_district(session, district)
    data = ranking_page(
        session,
        store,
        sector,
        district_code=district or None,
        limit=page.limit,
        offset=page.offset,
    )
    return RankingPublic(
        **data, sector=sector, district=district or None, min_reviews=MIN_RANKED_REVIEWS
    )
