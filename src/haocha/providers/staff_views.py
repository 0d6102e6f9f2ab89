"""The owner's staff page: who may log in to the portal, adding a login by phone number,
removing one. Staff members are told this page is the owner's (403)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from haocha.accounts.service import InvalidPhone
from haocha.core.errors import DomainError
from haocha.core.settings import Settings
from haocha.deps import CsrfProtected, CurrentProviderUser, SessionDep, SettingsDep
from haocha.providers import account_service
from haocha.providers.accounts import ProviderUser
from haocha.providers.portal_pages import PORTAL, ObjectId, done, render_portal

router = APIRouter(include_in_schema=False)

STAFF_PAGE = PORTAL + "/staff"
PhoneField = Annotated[str, Form(max_length=32)]


def _staff_page(
    request: Request,
    session: Session,
    settings: Settings,
    owner: ProviderUser,
    *,
    error: DomainError | None = None,
    phone: str = "",
) -> HTMLResponse:
    if not owner.is_owner:
        raise account_service.OwnerOnly()
    people = [
        (member, account_service.masked_phone(settings, member))
        for member in account_service.list_staff(session, owner.provider_id)
    ]
    return render_portal(
        request, session, owner, "provider/staff.html", error=error, people=people, phone=phone
    )


@router.get(STAFF_PAGE)
def staff_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentProviderUser
) -> HTMLResponse:
    return _staff_page(request, session, settings, user)


@router.post(STAFF_PAGE, dependencies=[CsrfProtected])
def add_staff(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentProviderUser,
    phone: PhoneField = "",
) -> Response:
    try:
        account_service.add_staff(session, settings=settings, owner=user, raw_phone=phone)
    except (InvalidPhone, account_service.PhoneInUse, account_service.TooManyStaff) as exc:
        # Refused before anything is written: the page again, with the message.
        return _staff_page(request, session, settings, user, error=exc, phone=phone)
    return done(STAFF_PAGE, "staff_added")


@router.post(STAFF_PAGE + "/{user_id}/remove", dependencies=[CsrfProtected])
def remove_staff(session: SessionDep, user: CurrentProviderUser, user_id: ObjectId) -> Response:
    account_service.remove_staff(session, owner=user, user_id=user_id)
    return done(STAFF_PAGE, "staff_removed")
