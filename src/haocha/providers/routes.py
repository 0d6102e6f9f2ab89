"""Directory API: sectors, districts, providers."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from haocha.core.pagination import PageDep
from haocha.deps import SessionDep
from haocha.providers import service
from haocha.providers.models import (
    DistrictPublic,
    DistrictsPublic,
    ProviderPublic,
    ProvidersPublic,
    SectorPublic,
    SectorsPublic,
)
from haocha.reviews.models import ReviewsPublic
from haocha.reviews.service import provider_reviews
from haocha.reviews.service import to_public as review_public
from haocha.scoring.rankings import rank_of
from haocha.scoring.service import stats_for, with_scores

router = APIRouter(prefix="/api/v1", tags=["directory"])

ProviderId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/sectors")
def list_sectors(session: SessionDep) -> SectorsPublic:
    items = [SectorPublic.model_validate(s) for s in service.list_sectors(session)]
    return SectorsPublic(items=items, total=len(items))


@router.get("/districts")
def list_districts(session: SessionDep) -> DistrictsPublic:
    items = [DistrictPublic.model_validate(d) for d in service.list_districts(session)]
    return DistrictsPublic(items=items, total=len(items))


@router.get("/providers")
def search_providers(
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=50)] = None,
    sector: Annotated[str | None, Query(max_length=32)] = None,
    district: Annotated[str | None, Query(max_length=6)] = None,
) -> ProvidersPublic:
    providers, total = service.search_providers(
        session,
        q=(q or "").strip() or None,
        sector=sector or None,
        district=district or None,
        limit=page.limit,
        offset=page.offset,
    )
    return ProvidersPublic(items=with_scores(session, providers), total=total)


@router.get("/providers/{provider_id}")
def get_provider(session: SessionDep, provider_id: ProviderId) -> ProviderPublic:
    provider = service.get_provider(session, provider_id)
    stats = stats_for(session, provider_id)
    return service.to_public(provider, stats, rank=rank_of(session, stats))


@router.get("/providers/{provider_id}/reviews")
def list_provider_reviews(
    session: SessionDep, provider_id: ProviderId, page: PageDep
) -> ReviewsPublic:
    service.get_provider(session, provider_id)
    reviews, total = provider_reviews(session, provider_id, limit=page.limit, offset=page.offset)
    return ReviewsPublic(items=[review_public(r) for r in reviews], total=total)
