"""The review-ring job: read a window of recent reviews, find coordinated groups
(`rings.detect_rings`) and put each group in the regulators' queue, one flag per provider it
targets. Run every few minutes; a group found again strengthens its open flag instead of
adding one, and a group a regulator has already dismissed comes back only if it grew."""

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.ml.rings import RingGroup, RingParams, RingRecord, detect_rings
from haocha.moderation.flags import raise_flag
from haocha.moderation.models import Flag, FlagKind, FlagStatus
from haocha.providers.models import Provider
from haocha.reviews.models import UNFLAGGED_SOURCES, Review, ReviewStatus

log = logging.getLogger(__name__)

WINDOW = timedelta(days=30)
MAX_RECORDS = 200_000  # the newest first; a city's month of reviews fits with room


def recent_records(session: Session, window: timedelta = WINDOW) -> list[RingRecord]:
    since = clock.now() - window
    # Eight columns, not whole rows: the window can hold a city's month of reviews. (Core
    # select over a tuple: the typed overloads stop at fewer columns.)
    columns: tuple[Any, ...] = (
        Review.id,
        Review.resident_id,
        Review.provider_id,
        Review.created_at,
        Review.client_hash,
        Review.text,
        Review.level,
        Review.verified,
    )
    rows = session.execute(
        sa_select(*columns)
        .where(
            col(Review.created_at) >= since,
            col(Review.status) != ReviewStatus.removed,
            col(Review.source).not_in(UNFLAGGED_SOURCES),
        )
        .order_by(col(Review.created_at).desc())
        .limit(MAX_RECORDS)
    ).all()
    return [
        RingRecord(
            review_id=int(rid or 0),
            resident=str(resident),
            provider=str(provider),
            created_at=clock.as_utc(created),
            client_hash=client_hash,
            text=text,
            level=level,
            verified=verified,
        )
        for rid, resident, provider, created, client_hash, text, level, verified in rows
    ]


def _already_dismissed(session: Session, provider_id: int, review_ids: list[int]) -> bool:
    decided = session.exec(
        select(Flag).where(
            Flag.kind == FlagKind.review_ring,
            Flag.provider_id == provider_id,
            Flag.review_id == review_ids[0],
            Flag.status == FlagStatus.dismissed,
        )
    ).all()
    wanted = set(review_ids)
    return any(wanted <= {int(i) for i in f.evidence.get("review_ids", [])} for f in decided)


def flag_group(session: Session, group: RingGroup) -> int:
    """One flag per provider the group targets, on its earliest review there; returns how
    many flags were raised or strengthened."""
    by_provider: dict[int, list[int]] = defaultdict(list)
    reviews = session.exec(select(Review).where(col(Review.id).in_(group.review_ids))).all()
    for review in sorted(reviews, key=lambda r: (r.created_at, r.id or 0)):
        by_provider[review.provider_id].append(review.id or 0)
    touched = 0
    for provider_id, review_ids in by_provider.items():
        provider = session.get(Provider, provider_id)
        first = session.get(Review, review_ids[0])
        if provider is None or first is None:
            continue
        if _already_dismissed(session, provider_id, review_ids):
            continue
        raise_flag(
            session,
            kind=FlagKind.review_ring,
            provider=provider,
            review=first,
            risk=round(100 * group.score, 1),
            reasons=[{"zh": r.zh, "en": r.en} for r in group.reasons],
            evidence={
                "ring_kind": group.kind,
                "review_ids": review_ids,
                "accounts": len(group.residents),
                "providers": len(group.providers),
            },
            source="ml",
        )
        touched += 1
    return touched


def scan_rings(session: Session, params: RingParams | None = None) -> int:
    records = recent_records(session)
    groups = detect_rings(records, params)
    flagged = sum(flag_group(session, g) for g in groups)
    if groups:
        log.info("ring scan: %d groups in %d reviews, %d flags", len(groups), len(records), flagged)
    return flagged
