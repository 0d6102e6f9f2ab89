"""Incremental review statistics per provider."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from haocha.scoring.models import ProviderStats


def count_review(
    session: Session, provider_id: int, level: int, *, delta: int, at: datetime | None = None
) -> None:
    """Add (delta=1) or withdraw (delta=-1) one review of `level` from the provider's counts.

    An UPDATE of `count = count + delta` rather than read-modify-write, so two reviews
    landing at once for one provider cannot lose a count."""
    column = f"count_{level}"
    values: dict[str, object] = {column: getattr(ProviderStats, column) + delta}
    if at is not None and delta > 0:
        # Reviews are stamped by the one clock as they land, so the latest write is newest.
        values["last_review_at"] = at
    result = session.execute(
        update(ProviderStats).where(col(ProviderStats.provider_id) == provider_id).values(values)
    )
    if result.rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            stats = ProviderStats(provider_id=provider_id, last_review_at=at)
            setattr(stats, column, max(delta, 0))
            session.add(stats)
    except IntegrityError:
        # Another request created the row between our UPDATE and INSERT; count again.
        count_review(session, provider_id, level, delta=delta, at=at)


def stats_for(session: Session, provider_id: int) -> ProviderStats:
    return session.get(ProviderStats, provider_id) or ProviderStats(provider_id=provider_id)


def stats_for_many(session: Session, provider_ids: list[int]) -> dict[int, ProviderStats]:
    if not provider_ids:
        return {}
    rows = session.exec(
        select(ProviderStats).where(col(ProviderStats.provider_id).in_(provider_ids))
    ).all()
    found = {s.provider_id: s for s in rows}
    return {pid: found.get(pid) or ProviderStats(provider_id=pid) for pid in provider_ids}
