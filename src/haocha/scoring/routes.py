"""Rankings API."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from haocha.core.pagination import PageDep
from haocha.deps import SessionDep
from haocha.providers.models import ProviderPublic
from haocha.providers.service import get_district, get_sector, to_public
from haocha.scoring.service import MIN_RANKED_REVIEWS, ranking

router = APIRouter(prefix="/api/v1", tags=["rankings"])


class RankedProvider(BaseModel):
    rank: int
    provider: ProviderPublic


class RankingPublic(BaseModel):
    items: list[RankedProvider]
    total: int
    sector: str
    district: str | None
    min_reviews: int
    as_of: date | None


@router.get("/rankings/{sector}")
def sector_ranking(
    session: SessionDep,
    sector: Annotated[str, Path(max_length=32)],
    page: PageDep,
    district: Annotated[str | None, Query(max_length=6)] = None,
) -> RankingPublic:
    get_sector(session, sector)
    if district:
        get_district(session, district)
    rows, total = ranking(
        session, sector, district_code=district or None, limit=page.limit, offset=page.offset
    )
    scored_on = next((r.stats.scored_on for r in rows if r.stats.scored_on), None)
    return RankingPublic(
        items=[
            RankedProvider(rank=r.rank, provider=to_public(r.provider, r.stats, rank=r.rank))
            for r in rows
        ],
        total=total,
        sector=sector,
        district=district or None,
        min_reviews=MIN_RANKED_REVIEWS,
        as_of=date.fromordinal(scored_on) if scored_on else None,
    )
