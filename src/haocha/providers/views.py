"""Directory pages: search results, a sector's ranking, and one provider's page."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from haocha.core.requests import request_locale
from haocha.core.templating import render, render_fragment
from haocha.deps import SessionDep, SettingsDep, StoreDep
from haocha.moderation.sanctions import active_sanctions
from haocha.providers import service
from haocha.providers.models import ProviderPublic
from haocha.providers.routes import ProviderId
from haocha.providers.structured_data import local_business, ranking_list
from haocha.reviews.loop import loop_summary
from haocha.reviews.replies import replies_for
from haocha.reviews.service import provider_reviews
from haocha.reviews.service import to_public as review_public
from haocha.scoring.cache import cached
from haocha.scoring.formula import DEFAULT_PARAMS
from haocha.scoring.rankings import rank_of, ranking_page, unranked
from haocha.scoring.service import MIN_RANKED_REVIEWS, stats_for, with_scores
from haocha.scoring.trend_chart import localized_trend_svg
from haocha.scoring.trends import MonthPoint, monthly_trend, sector_summary

router = APIRouter(include_in_schema=False)

# Pages count from 1 in the address bar (?page=2), which is what people share and bookmark.
PageNumber = Annotated[int, Query(ge=1, le=10_000)]
SearchTerm = Annotated[str, Query(max_length=50)]
DistrictFilter = Annotated[str, Query(max_length=6)]
# The sector page lists the ranked providers; ?view=unranked lists those with too few
# counted reviews to rank, so they can still be found from their sector.
SectorView = Annotated[Literal["ranked", "unranked"], Query()]
TREND_MONTHS = 12
# The explainer on the pages quotes the prior's weight ("5 reviews' worth of the sector").
PRIOR_WEIGHT = round(DEFAULT_PARAMS.prior_weight)


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
        providers=with_scores(session, providers),
        total=total,
        page=page,
        page_size=settings.page_size,
    )


@router.get("/sectors/{code}")
def sector_page(
    request: Request,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    code: Annotated[str, Path(max_length=32)],
    district: DistrictFilter = "",
    view: SectorView = "ranked",
    page: PageNumber = 1,
) -> HTMLResponse:
    sector = service.get_sector(session, code)
    if district:
        service.get_district(session, district)  # an unknown code is a 404, not an empty list
    offset = (page - 1) * settings.page_size
    common: dict[str, Any] = {
        "sector": sector,
        "district": district,
        "districts": service.list_districts(session),
        "page": page,
        "page_size": settings.page_size,
        "min_ranked": MIN_RANKED_REVIEWS,
        "prior_weight": PRIOR_WEIGHT,
    }
    if view == "unranked":
        rows, total = unranked(
            session,
            sector.code,
            district_code=district or None,
            limit=settings.page_size,
            offset=offset,
        )
        providers = [service.to_public(p, s) for p, s in rows]
        return render(request, "sector_unranked.html", providers=providers, total=total, **common)

    locale = request_locale(request)
    base = str(request.base_url)

    def listing() -> str:
        data = ranking_page(
            session,
            store,
            sector.code,
            district_code=district or None,
            limit=settings.page_size,
            offset=offset,
        )
        ranked = [
            (item["rank"], ProviderPublic.model_validate(item["provider"]))
            for item in data["items"]
        ]
        summary = sector_summary(
            session, store, sector.code, district_code=district or None, months=TREND_MONTHS
        )
        trend = [MonthPoint(p["month"], p["count"], p["mean"]) for p in summary["trend"]]
        return str(
            render_fragment(
                request,
                "_sector_listing.html",
                summary=summary,
                trend=trend,
                trend_chart=localized_trend_svg(trend, locale),
                ranked=ranked,
                total=data["total"],
                as_of=data["as_of"],
                unranked_total=data["unranked_total"],
                # Plain string building: url_for walks every route, twenty times per page.
                structured_data=ranking_list(
                    ranked, name=sector.name_zh, url_of=lambda pid: f"{base}providers/{pid}"
                ),
                **common,
            )
        )

    # The listing is the same for every visitor and changes only when a score in the sector
    # does, so its HTML is kept under the sector's cache version: a page view then costs
    # two cache reads and the small page around it.
    html = cached(store, sector.code, ("sector-html", district, page, locale, base), listing)
    return render(
        request,
        "sector.html",
        listing_html=Markup(html),  # noqa: S704 - rendered by an autoescaping template
        **common,
    )


@router.get("/providers/{provider_id}")
def provider_page(
    request: Request,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    provider_id: ProviderId,
    page: PageNumber = 1,
    posted: bool = False,
) -> HTMLResponse:
    provider = service.get_provider(session, provider_id)
    stats = stats_for(session, provider_id)
    public = service.to_public(provider, stats, rank=rank_of(session, stats))
    # "No. 12 of 306": the sector page's first page is cached, and carries the total.
    ranked_total = (
        ranking_page(session, store, provider.sector_code, limit=settings.page_size)["total"]
        if public.rank
        else 0
    )
    district = service.get_district(session, provider.district_code)
    trend = monthly_trend(session, provider_id, months=TREND_MONTHS)
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
        provider=public,
        sector=service.get_sector(session, provider.sector_code),
        district=district,
        ranked_total=ranked_total,
        min_ranked=MIN_RANKED_REVIEWS,
        prior_weight=PRIOR_WEIGHT,
        trend=trend,
        trend_chart=localized_trend_svg(trend, request_locale(request)),
        structured_data=local_business(
            public, district, url=str(request.url_for("provider_page", provider_id=provider_id))
        ),
        reviews=[review_public(r) for r in reviews],
        total=total,
        page=page,
        page_size=settings.page_size,
        posted=posted,
        # Warnings and blacklist entries in force, blacklist first: shown above the score.
        sanctions=active_sanctions(session, provider_id),
        replies_by_review=replies_for(session, [r.id for r in reviews if r.id is not None]),
        loop_summary=loop_summary(session, provider_id),
        answer_days=settings.bad_review_answer_working_days,
    )
