"""The residents' side of the bad-review loop: the inbox, its badge in the header, and the
one re-rating of an answered 差评."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from haocha.accounts.views import login_redirect
from haocha.core.templating import render
from haocha.deps import CsrfProtected, OptionalResident, SessionDep, SettingsDep
from haocha.providers.views import PageNumber
from haocha.reviews import inbox, loop

router = APIRouter(include_in_schema=False)

ReviewId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NotificationId = Annotated[int | None, Form(ge=1, le=2**31 - 1)]
NewLevel = Annotated[int, Form(ge=1, le=5)]


def inbox_badge(request: Request, session: SessionDep, resident: OptionalResident) -> None:
    """For every page: a signed-in resident's unread count, for the header's badge
    (base.html reads `request.state.inbox_unread`). Visitors without a session cookie
    cost nothing, so the public pages' speed is untouched."""
    if resident is not None and resident.id is not None:
        request.state.inbox_unread = inbox.unread_count(session, resident.id)


InboxBadge = Depends(inbox_badge)


@router.get("/me/inbox")
def inbox_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    resident: OptionalResident,
    page: PageNumber = 1,
) -> Response:
    if resident is None or resident.id is None:
        return login_redirect(request)
    items, total = inbox.inbox(
        session, resident.id, limit=settings.page_size, offset=(page - 1) * settings.page_size
    )
    return render(
        request,
        "inbox.html",
        items=items,
        total=total,
        unread=inbox.unread_count(session, resident.id),
        page=page,
        page_size=settings.page_size,
    )


@router.post("/me/inbox/read", dependencies=[CsrfProtected])
def mark_read(
    request: Request,
    session: SessionDep,
    resident: OptionalResident,
    notification_id: NotificationId = None,
) -> Response:
    """One message (with its id) or all of them (without) marked as read."""
    if resident is None or resident.id is None:
        return login_redirect(request)
    inbox.mark_read(session, resident_id=resident.id, notification_id=notification_id)
    return RedirectResponse("/me/inbox", status_code=303)


@router.post("/me/reviews/{review_id}/rerate", dependencies=[CsrfProtected])
def rerate(
    request: Request,
    session: SessionDep,
    resident: OptionalResident,
    review_id: ReviewId,
    level: NewLevel,
) -> Response:
    if resident is None:
        return login_redirect(request)
    review = loop.get_review(session, review_id)
    # Refusals (someone else's review, no answer yet, a second re-rating) are DomainErrors:
    # the app's handler shows them as a page with their 4xx status and a sentence.
    loop.rerate(session, resident=resident, review=review, level=level)
    return RedirectResponse(f"/me/reviews#review-{review_id}", status_code=303)
