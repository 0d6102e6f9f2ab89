"""The provider portal (/provider): the overview, the reviews list and one review; the other
portal pages have their own modules, gathered into `router` here.

Who may use what: every page needs a portal login (`CurrentProviderUser`) and shows that
account's own provider only; a review, invitation or staff id of another provider is a 404,
exactly like one that does not exist. Managing staff is the owner's."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from haocha.core.errors import DomainError
from haocha.deps import CsrfProtected, CurrentProviderUser, SessionDep, SettingsDep, SmsDep
from haocha.providers import portal
from haocha.providers.accounts import ProviderUser
from haocha.providers.invitation_views import router as invitation_pages
from haocha.providers.portal_login_views import router as login_pages
from haocha.providers.portal_pages import PORTAL, ObjectId, done, render_portal
from haocha.providers.staff_views import router as staff_pages
from haocha.reviews import appeals, loop, replies
from haocha.reviews.service import to_public
from haocha.scoring.service import stats_for

router = APIRouter(include_in_schema=False)
for pages in (login_pages, staff_pages, invitation_pages):
    router.include_router(pages)

PageNumber = Annotated[int, Query(ge=1, le=10_000)]
BadOnly = Annotated[bool, Query(alias="bad")]


OPEN_LISTED = 20  # unanswered 差评 on the overview; the reviews page has them all
ReplyField = Annotated[str, Form(max_length=4000)]
ReasonsField = Annotated[str, Form(max_length=4000)]
GroundsField = Annotated[str, Form(max_length=20)]


@router.get(PORTAL)
def dashboard(request: Request, session: SessionDep, user: CurrentProviderUser) -> HTMLResponse:
    open_reviews = portal.open_bad_reviews(session, user.provider_id, limit=OPEN_LISTED)
    return render_portal(
        request,
        session,
        user,
        "provider/dashboard.html",
        stats=stats_for(session, user.provider_id),
        summary=loop.loop_summary(session, user.provider_id),
        open_reviews=[(to_public(r), loop.loop_state(r), r.answer_due) for r in open_reviews],
    )


@router.get(PORTAL + "/reviews")
def reviews_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentProviderUser,
    page: PageNumber = 1,
    bad_only: BadOnly = False,
) -> HTMLResponse:
    items, total = portal.own_reviews(
        session,
        user.provider_id,
        bad_only=bad_only,
        limit=settings.page_size,
        offset=(page - 1) * settings.page_size,
    )
    return render_portal(
        request,
        session,
        user,
        "provider/reviews.html",
        items=[(to_public(r), loop.loop_state(r), r.answer_due) for r in items],
        total=total,
        page=page,
        page_size=settings.page_size,
        bad_only=bad_only,
    )


def review_path(review_id: int) -> str:
    return f"{PORTAL}/reviews/{review_id}"


def _review_page(
    request: Request,
    session: Session,
    user: ProviderUser,
    review_id: int,
    *,
    error: DomainError | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    review = portal.own_review(session, user.provider_id, review_id)
    reply = replies.reply_for(session, review_id)
    return render_portal(
        request,
        session,
        user,
        "provider/review.html",
        error=error,
        review=to_public(review),
        state=loop.loop_state(review),
        due=review.answer_due,
        original_level=review.original_level,
        reply=reply,
        history=replies.reply_history(session, review_id) if reply else [],
        appeal=appeals.appeal_for(session, review_id),
        form=form or {},
    )


@router.get(PORTAL + "/reviews/{review_id}")
def review_page(
    request: Request, session: SessionDep, user: CurrentProviderUser, review_id: ObjectId
) -> HTMLResponse:
    return _review_page(request, session, user, review_id)


def _refusable(exc: DomainError) -> bool:
    """A refusal the provider can correct on the same page (text missing or too long, an
    appeal already open); not-found goes to the error page like on any GET."""
    return exc.status_code in (409, 422)


@router.post(PORTAL + "/reviews/{review_id}/reply", dependencies=[CsrfProtected])
def reply(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    sms: SmsDep,
    user: CurrentProviderUser,
    review_id: ObjectId,
    text: ReplyField = "",
) -> Response:
    review = portal.own_review(session, user.provider_id, review_id)
    try:
        replies.post_reply(
            session, settings=settings, sms=sms, review=review, author_id=user.id or 0, text=text
        )
    except DomainError as exc:
        # Refused before anything is written: the page again, with what was typed.
        if not _refusable(exc):
            raise
        return _review_page(request, session, user, review_id, error=exc, form={"reply": text})
    return done(review_path(review_id), "replied")


@router.post(PORTAL + "/reviews/{review_id}/appeal", dependencies=[CsrfProtected])
def appeal(
    request: Request,
    session: SessionDep,
    user: CurrentProviderUser,
    review_id: ObjectId,
    grounds: GroundsField = "",
    reasons: ReasonsField = "",
) -> Response:
    review = portal.own_review(session, user.provider_id, review_id)
    try:
        appeals.file_appeal(
            session, review=review, author_id=user.id or 0, grounds=grounds, reasons=reasons
        )
    except DomainError as exc:
        if not _refusable(exc):
            raise
        form = {"grounds": grounds, "reasons": reasons}
        return _review_page(request, session, user, review_id, error=exc, form=form)
    return done(review_path(review_id), "appealed")
