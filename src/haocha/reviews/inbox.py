"""The residents' in-page inbox: what the bad-review loop has to tell them (an answer to
their 差评, the outcome of a provider's appeal against their review)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, update
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.core.errors import NotFound
from haocha.reviews.models import Notification, NotificationKind


class NotificationNotFound(NotFound):
    message_key = "error.notification_not_found"


def notify(
    session: Session,
    *,
    resident_id: int,
    kind: NotificationKind,
    review_id: int | None,
    message_key: str,
    params: dict[str, Any] | None = None,
) -> Notification:
    """Put one entry in a resident's inbox. The words are stored as a catalogue key and its
    parameters, not as text, so the entry follows the resident's language."""
    notification = Notification(
        resident_id=resident_id,
        kind=kind,
        review_id=review_id,
        message_key=message_key,
        params=dict(params or {}),
    )
    session.add(notification)
    session.flush()
    return notification


def inbox(
    session: Session, resident_id: int, *, limit: int, offset: int
) -> tuple[Sequence[Notification], int]:
    """A resident's notifications, newest first, read and unread."""
    where = Notification.resident_id == resident_id
    total = session.exec(select(func.count()).select_from(Notification).where(where)).one()
    items = session.exec(
        select(Notification)
        .where(where)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return items, int(total)


def unread_count(session: Session, resident_id: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(Notification)
            .where(Notification.resident_id == resident_id, col(Notification.read_at).is_(None))
        ).one()
    )


def mark_read(session: Session, *, resident_id: int, notification_id: int | None = None) -> int:
    """Mark one notification (or all, with no id) as read; return how many changed.

    Another resident's notification reads as missing, never as forbidden: its id must not
    tell anyone that it exists."""
    where: list[ColumnElement[bool]] = [
        col(Notification.resident_id) == resident_id,
        col(Notification.read_at).is_(None),
    ]
    if notification_id is not None:
        owned = session.exec(
            select(Notification.id).where(
                Notification.id == notification_id, Notification.resident_id == resident_id
            )
        ).first()
        if owned is None:
            raise NotificationNotFound()
        where.append(col(Notification.id) == notification_id)
    result = session.execute(
        update(Notification)
        .where(*where)
        .values(read_at=clock.now())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]
