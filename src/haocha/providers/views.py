"""Directory pages: search results, a sector's providers, and one provider's page."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from haocha.core.templating import render
from haocha.deps import SessionDep, SettingsDep
from haocha.providers import service
from haocha.providers.models import Provider, ProviderPublic
from haocha.providers.routes import ProviderId
from haocha.reviews.service import provider_reviews
from haocha.reviews.service import to_public as review_public
from haocha.scoring.service import stats_for, stats_for_many

router = APIRouter(include_in_schema=False)

# Pages count from 1 in the address bar (?page=2), which is what people share and bookmark.
PageNumber = Annotated[int, Query(ge=1, le=10_000)]
SearchTerm = Annotated[str, Query(max_length=50)]
DistrictFilter = Annotated[str, Query(max_length=6)]


def _with_scores(session: Session, providers: Sequence[Provider]) -> list[ProviderPublic]:
    ids = [p.id for p in providers if p.id is not None]
    stats = stats_for_many(session, ids)
    return [service.to_public(p, stats[p.id]) for p in providers if p.id is not None]


@router.get("/search")
def search_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    q: SearchTerm = "",
    district: DistrictFilter = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    term = q.strip()
    providers, total = service.search_providers(
        session,
        q=term or None,
        district=district or None,
        limit=settings.page_size,
        offset=(page - 1) * settings.page_size,
    )
    return render(
        request,
        "search.html",
        q=term,
        district=district,
        districts=service.list_districts(session),
        sectors=service.list_sectors(session),
        providers=_with_scores(session, providers),
        total=total,
        page=page,
        page_size=settings.page_size,
    )


@router.get("/sectors/{code}")
def sector_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    code: Annotated[str, Path(max_length=32)],
    district: DistrictFilter = "",
    page: PageNumber = 1,
) -> HTMLResponse:
    sector = service.get_sector(session, code)
    providers, total = service.search_providers(
        session,
        sector=sector.code,
        district=district or None,
        limit=settings.page_size,
        offset=(page - 1) * settings.page_size,
    )
    return render(
        request,
        "sector.html",
        sector=sector,
        district=district,
        districts=service.list_districts(session),
        sectors=service.list_sectors(session),
        providers=_with_scores(session, providers),
        total=total,
        page=page,
        page_size=settings.page_size,
    )


@router.get("/providers/{provider_id}")
def provider_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    provider_id: ProviderId,
    page: PageNumber = 1,
    posted: bool = False,
) -> HTMLResponse:
    provider = service.get_provider(session, provider_id)
    # Only published reviews: held and removed ones are out of the scores and off the page.
    reviews, total = provider_reviews(
        session,
        provider_id,
        limit=settings.page_size,
        offset=(page - 1) * settings.page_size,
    )
    return render(
        request,
        "provider.html",
        provider=service.to_public(provider, stats_for(session, provider_id)),
        sector=service.get_sector(session, provider.sector_code),
        district=service.get_district(session, provider.district_code),
        reviews=[review_public(r) for r in reviews],
        total=total,
        page=page,
        page_size=settings.page_size,
        posted=posted,
    )
