"""The review form and "my reviews"."""

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from haocha.accounts.views import login_redirect
from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.core.i18n import translate
from haocha.core.templating import render
from haocha.core.validation_messages import describe
from haocha.deps import (
    ClientHashDep,
    CsrfProtected,
    LocaleDep,
    OptionalResident,
    SessionDep,
    SettingsDep,
    StoreDep,
)
from haocha.ml.form_check import Mismatch, level_needs_confirmation
from haocha.providers import invitations
from haocha.providers.models import Provider
from haocha.providers.routes import ProviderId
from haocha.providers.service import get_provider
from haocha.providers.views import PageNumber
from haocha.reviews import service
from haocha.reviews.followup import follow_ups
from haocha.reviews.models import DIMENSIONS, MAX_TEXT, ReviewCreate

router = APIRouter(include_in_schema=False)

# Where on the form a domain error belongs, so its message sits next to the field.
_FIELD_OF_ERROR: dict[type[DomainError], str] = {
    service.ServiceDateInFuture: "service_date",
    service.ServiceDateTooOld: "service_date",
    service.PrepaidAmountWithoutPrepaid: "prepaid_amount",
}


class ReviewForm(BaseModel):
    """The form as posted: every field a string, so whatever the resident typed can be put
    back in front of them when ReviewCreate turns it down."""

    level: str = ""
    attitude: str = ""
    quality: str = ""
    price: str = ""
    environment: str = ""
    text: str = ""
    prepaid: str = ""
    prepaid_amount: str = ""
    service_date: str = ""
    # The QR invitation's token, carried from the scan to the submit (a verified review).
    invitation: str = ""
    # "1" once the resident has confirmed a level the text seems to contradict.
    level_confirmed: str = ""
    # A random id per form load, sent as the idempotency key: a double tap or a resubmit
    # after a lost response stores one review and lands on the same page.
    submission_id: str = ""

    def to_create(self, provider_id: int) -> ReviewCreate:
        """Raises ValidationError. Empty inputs mean "not given", not an empty value."""
        raw: dict[str, Any] = {
            "provider_id": provider_id,
            "text": self.text,
            "prepaid": self.prepaid == "1",
            "dimensions": {d: getattr(self, d) for d in DIMENSIONS if getattr(self, d)},
        }
        for name in ("level", "prepaid_amount", "service_date", "invitation"):
            value = getattr(self, name).strip()
            if value:
                raw[name] = value
        return ReviewCreate.model_validate(raw)

    def idempotency_key(self) -> str | None:
        key = self.submission_id
        return key if 16 <= len(key) <= 64 and key.isascii() and key.isprintable() else None


def _form_page(
    request: Request,
    provider: Provider,
    form: ReviewForm,
    errors: list[dict[str, str]] | None = None,
    status_code: int = 200,
    mismatch: Mismatch | None = None,
) -> HTMLResponse:
    errors = errors or []
    return render(
        request,
        "review_form.html",
        status_code=status_code,
        provider=provider,
        form=form,
        mismatch=mismatch,
        errors=errors,
        field_errors={e["field"]: e["message"] for e in errors if e["field"]},
        dimensions=DIMENSIONS,
        max_text=MAX_TEXT,
        today=clock.today_local().isoformat(),
    )


@router.get("/providers/{provider_id}/review")
def review_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    resident: OptionalResident,
    provider_id: ProviderId,
    invitation: Annotated[str, Query(max_length=300)] = "",
) -> Response:
    if invitation:
        # Checked before the login, so a resident holding a spent or expired code is told
        # at once (a 4xx page saying which), not after logging in.
        invitations.resolve(session, settings=settings, token=invitation, provider_id=provider_id)
    if resident is None:
        return login_redirect(request)
    provider = get_provider(session, provider_id)
    form = ReviewForm(submission_id=secrets.token_urlsafe(24), invitation=invitation)
    return _form_page(request, provider, form)


@router.post("/providers/{provider_id}/review", dependencies=[CsrfProtected])
def submit_review(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
    locale: LocaleDep,
    resident: OptionalResident,
    provider_id: ProviderId,
    form: Annotated[ReviewForm, Form()],
) -> Response:
    if resident is None:
        return login_redirect(request)
    provider = get_provider(session, provider_id)
    try:
        data = form.to_create(provider_id)
    except ValidationError as exc:
        errors = [describe(dict(e), locale) for e in exc.errors()]
        return _form_page(request, provider, form, errors, status_code=422)
    if form.level_confirmed != "1":
        mismatch = level_needs_confirmation(settings, data.level, data.text)
        if mismatch is not None:
            # Nothing is stored: the form comes back filled in, asking once.
            return _form_page(request, provider, form, mismatch=mismatch)
    try:
        service.submit_review(
            session,
            settings=settings,
            store=store,
            resident=resident,
            data=data,
            client_hash=client_hash,
            idempotency_key=form.idempotency_key(),
        )
    except service.IdempotencyMismatch:
        # This form was already sent with other content (back button, edit, send again):
        # the first review stands, and the resident is told in words they can act on.
        message = translate(locale, "page.review.already_sent")
        return _form_page(request, provider, form, [{"field": "", "message": message}], 409)
    except DomainError as exc:
        # The service raises these before it writes anything, so the commit that follows
        # this response stores nothing.
        error = {
            "field": _FIELD_OF_ERROR.get(type(exc), ""),
            "message": translate(locale, exc.message_key, **exc.params),
        }
        return _form_page(request, provider, form, [error], exc.status_code)
    return RedirectResponse(f"/providers/{provider_id}?posted=1", status_code=303)


@router.get("/me/reviews")
def my_reviews(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    resident: OptionalResident,
    page: PageNumber = 1,
) -> Response:
    if resident is None:
        return login_redirect(request)
    rows, total = service.resident_reviews(
        session,
        resident.id or 0,
        limit=settings.page_size,
        offset=(page - 1) * settings.page_size,
    )
    return render(
        request,
        "my_reviews.html",
        items=[(service.to_public(review), provider) for review, provider in rows],
        follow=follow_ups(session, [review for review, _ in rows]),
        total=total,
        page=page,
        page_size=settings.page_size,
    )
