"""Review API."""

from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from haocha.core.errors import DomainError
from haocha.core.pagination import PageDep
from haocha.deps import ClientHashDep, CurrentResident, SessionDep, SettingsDep, StoreDep
from haocha.reviews import service
from haocha.reviews.models import ReviewCreate, ReviewPublic, ReviewsPublic

router = APIRouter(prefix="/api/v1", tags=["reviews"])


class InvalidIdempotencyKey(DomainError):
    status_code = 422
    message_key = "error.idempotency_key"


def _checked_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not 1 <= len(key) <= 100 or not key.isascii() or not key.isprintable() or " " in key:
        raise InvalidIdempotencyKey()
    return key


@router.post("/reviews", status_code=201, response_model=ReviewPublic)
def create_review(
    body: ReviewCreate,
    resident: CurrentResident,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    client_hash: ClientHashDep,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Any:
    status, payload = service.submit_review(
        session,
        settings=settings,
        store=store,
        resident=resident,
        data=body,
        client_hash=client_hash,
        idempotency_key=_checked_key(idempotency_key),
    )
    return JSONResponse(payload, status_code=status)


@router.get("/me/reviews")
def my_reviews(resident: CurrentResident, session: SessionDep, page: PageDep) -> ReviewsPublic:
    rows, total = service.resident_reviews(
        session, resident.id or 0, limit=page.limit, offset=page.offset
    )
    return ReviewsPublic(items=[service.to_public(r) for r, _ in rows], total=total)
