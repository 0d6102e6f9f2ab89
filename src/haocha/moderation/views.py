"""The regulators' console (/regulator): dashboard, queue and its CSV, audit log; flags,
cases and providers have their own modules, gathered into `router` here.

Who may use what (the services apply the scope: out of scope is a 404):
- every role (inspector, supervisor, admin) sees and works flags, cases and providers in
  its scope, publishes warnings and lifts them;
- a blacklist entry is published and lifted by a supervisor or an admin only;
- the audit log page is for admins, whose scope is everything: the log is not scoped."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field, field_validator

from haocha.accounts.models import RegulatorRole
from haocha.core import clock
from haocha.core.i18n import Locale, translate
from haocha.core.requests import request_locale
from haocha.deps import CurrentRegulator, RegulatorScope, SessionDep, require_role
from haocha.moderation import audit, console, dashboard, export, flags
from haocha.moderation.case_views import router as case_pages
from haocha.moderation.console_pages import CONSOLE, PAGE_SIZE, render_console, scope_options
from haocha.moderation.flag_chart import render_weekly_svg
from haocha.moderation.flag_views import router as flag_pages
from haocha.moderation.models import FlagKind
from haocha.moderation.provider_views import router as provider_pages

router = APIRouter(include_in_schema=False)

AUDIT_PAGE_SIZE = 50


def _blank_is_none(value: object) -> object:
    # A select's "all" option submits an empty value: no filter, not an invalid one.
    return None if value == "" else value


class PatchFilters(BaseModel):
    """One sector and/or one district inside the regulator's scope."""

    sector: str | None = Field(default=None, max_length=32)
    district: str | None = Field(default=None, max_length=6)

    _blank = field_validator("sector", "district", mode="before")(_blank_is_none)


class QueueFilters(PatchFilters):
    kind: FlagKind | None = None
    max_age: int | None = Field(default=None, ge=1, le=3650)  # days
    page: int = Field(default=1, ge=1, le=10_000)

    _blank_more = field_validator("kind", "max_age", mode="before")(_blank_is_none)

    def query(self) -> dict[str, str]:
        """The filters as they go back into links (pager, CSV), without the page."""
        return {k: str(v) for k, v in self.model_dump(mode="json", exclude={"page"}).items() if v}


def _weekly_chart(points: list[dashboard.WeekPoint], locale: Locale) -> Markup:
    return render_weekly_svg(
        [p.count for p in points],
        title=translate(locale, "console.dash.trend_title", weeks=len(points)),
        desc=translate(
            locale,
            "console.dash.trend_desc",
            first=points[0].start.isoformat(),
            last=points[-1].start.isoformat(),
        ),
        labels=[f"{p.start.month}/{p.start.day}" for p in points],
    )


@router.get(CONSOLE)
def dashboard_page(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    filters: Annotated[PatchFilters, Query()],
) -> HTMLResponse:
    data = dashboard.dashboard(session, scope, sector=filters.sector, district=filters.district)
    sectors, districts = scope_options(session, scope)
    return render_console(
        request,
        session,
        regulator,
        "regulator/dashboard.html",
        data=data,
        chart=_weekly_chart(data.weekly, request_locale(request)),
        filters=filters,
        sector_options=sectors,
        district_options=districts,
        today=clock.today_local(),
    )


@router.get(CONSOLE + "/queue")
def queue_page(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    filters: Annotated[QueueFilters, Query()],
) -> HTMLResponse:
    items, total = flags.queue(
        session,
        scope,
        kinds=[filters.kind] if filters.kind else None,
        sector=filters.sector,
        district=filters.district,
        max_age_days=filters.max_age,
        limit=PAGE_SIZE,
        offset=(filters.page - 1) * PAGE_SIZE,
    )
    sectors, districts = scope_options(session, scope)
    return render_console(
        request,
        session,
        regulator,
        "regulator/queue.html",
        items=items,
        providers=console.providers_by_id(session, [f.provider_id for f in items]),
        total=total,
        filters=filters,
        query=filters.query(),
        kinds=list(FlagKind),
        sector_options=sectors,
        district_options=districts,
        page=filters.page,
        page_size=PAGE_SIZE,
    )


@router.get(CONSOLE + "/queue.csv")
def queue_csv(
    session: SessionDep,
    regulator: CurrentRegulator,
    scope: RegulatorScope,
    filters: Annotated[QueueFilters, Query()],
) -> Response:
    text = export.queue_csv(
        session,
        regulator,
        scope,
        kinds=[filters.kind] if filters.kind else None,
        sector=filters.sector,
        district=filters.district,
        max_age_days=filters.max_age,
    )
    name = f"haocha-queue-{clock.today_local():%Y%m%d}.csv"
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(CONSOLE + "/audit", dependencies=[require_role(RegulatorRole.admin)])
def audit_page(
    request: Request,
    session: SessionDep,
    regulator: CurrentRegulator,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    entries, total = console.recent_audit(
        session, limit=AUDIT_PAGE_SIZE, offset=(page - 1) * AUDIT_PAGE_SIZE
    )
    return render_console(
        request,
        session,
        regulator,
        "regulator/audit.html",
        verification=audit.verify(session),
        entries=entries,
        total=total,
        page=page,
        page_size=AUDIT_PAGE_SIZE,
    )


for _pages in (flag_pages, case_pages, provider_pages):
    router.include_router(_pages)
