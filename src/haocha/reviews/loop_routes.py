"""The residents' side of the bad-review loop as JSON: the inbox and the one re-rating."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from haocha.core import clock
from haocha.core.i18n import translate
from haocha.core.pagination import PageDep
from haocha.deps import CurrentResident, LocaleDep, SessionDep
from haocha.reviews import inbox, loop
from haocha.reviews.models import NotificationKind, ReviewPublic
from haocha.reviews.service import to_public

router = APIRouter(prefix="/api/v1", tags=["reviews"])

ReviewId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class NotificationPublic(BaseModel):
    id: int
    kind: NotificationKind
    review_id: int | None
    message: str  # in the request's language
    created_at: datetime
    read_at: datetime | None


class InboxPublic(BaseModel):
    items: list[NotificationPublic]
    total: int
    unread: int


class MarkRead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notification_id: int | None = PydanticField(default=None, ge=1, le=2**31 - 1)


class Rerate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: int = PydanticField(ge=1, le=5)


@router.get("/me/inbox")
def my_inbox(
    resident: CurrentResident, session: SessionDep, locale: LocaleDep, page: PageDep
) -> InboxPublic:
    resident_id = resident.id or 0
    items, total = inbox.inbox(session, resident_id, limit=page.limit, offset=page.offset)
    return InboxPublic(
        items=[
            NotificationPublic(
                id=n.id or 0,
                kind=n.kind,
                review_id=n.review_id,
                message=translate(locale, n.message_key, **n.params),
                created_at=clock.as_utc(n.created_at),
                read_at=clock.as_utc(n.read_at) if n.read_at else None,
            )
            for n in items
        ],
        total=total,
        unread=inbox.unread_count(session, resident_id),
    )


@router.post("/me/inbox/read")
def mark_read(body: MarkRead, resident: CurrentResident, session: SessionDep) -> dict[str, int]:
    changed = inbox.mark_read(
        session, resident_id=resident.id or 0, notification_id=body.notification_id
    )
    return {"marked": changed}


@router.post("/me/reviews/{review_id}/rerate")
def rerate(
    review_id: ReviewId, body: Rerate, resident: CurrentResident, session: SessionDep
) -> ReviewPublic:
    review = loop.get_review(session, review_id)
    return to_public(loop.rerate(session, resident=resident, review=review, level=body.level))
