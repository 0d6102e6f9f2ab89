"""Scores kept up to date as reviews land, change or leave; and reading them.

A counted review (published; not held, not removed) changes three things: its provider's
level counts, the sums of its day, and the provider's moments. The score is then computed
from the moments as of today. Nothing here scans a provider's other reviews."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.providers.models import Provider, ProviderPublic
from haocha.providers.service import to_public
from haocha.scoring import formula
from haocha.scoring.cache import sector_changed
from haocha.scoring.models import ProviderDayStats, ProviderStats, SectorPrior

# Below this many counted reviews a provider is shown with its score but not ranked: the
# prior keeps such scores near the sector mean, and a rank would still suggest precision.
MIN_RANKED_REVIEWS = 5


def review_day(created_at: datetime) -> int:
    """The China-time calendar day of a review, as an ordinal."""
    return clock.as_utc(created_at).astimezone(clock.CHINA_TZ).date().toordinal()


def today() -> int:
    return clock.today_local().toordinal()


def _day_sums(row: ProviderDayStats) -> formula.DaySums:
    return formula.DaySums(
        row.n, row.sx, row.sx2, row.n_verified, row.sx_verified, row.sx2_verified
    )


def _stats_row(session: Session, provider_id: int) -> ProviderStats:
    """The provider's row, locked for this transaction, created on first use."""
    stats = session.exec(
        select(ProviderStats).where(ProviderStats.provider_id == provider_id).with_for_update()
    ).first()
    if stats is not None:
        return stats
    provider = session.get(Provider, provider_id)
    assert provider is not None  # noqa: S101 - reviews reference existing providers
    try:
        with session.begin_nested():
            stats = ProviderStats(
                provider_id=provider_id,
                sector_code=provider.sector_code,
                district_code=provider.district_code,
            )
            session.add(stats)
    except IntegrityError:
        # Created by a concurrent first review of this provider: lock theirs instead.
        return _stats_row(session, provider_id)
    return stats


def _day_row(session: Session, provider_id: int, day: int) -> ProviderDayStats:
    row = session.get(ProviderDayStats, (provider_id, day))
    if row is None:
        row = ProviderDayStats(provider_id=provider_id, day=day)
        session.add(row)
    return row


def count_review(
    session: Session,
    *,
    provider_id: int,
    level: int,
    verified: bool,
    created_at: datetime,
    delta: int,
    params: formula.ScoringParams = formula.DEFAULT_PARAMS,
    min_ranked: int = MIN_RANKED_REVIEWS,
) -> ProviderStats:
    """Add (delta=1) or withdraw (delta=-1) one counted review, and rescore its provider.

    The provider's stats row is locked first, so two reviews of one provider landing at
    once update the sums one after the other instead of losing one."""
    stats = _stats_row(session, provider_id)
    day = review_day(created_at)
    row = _day_row(session, provider_id, day)
    before = formula.day_moments(day, _day_sums(row), params)
    if verified:
        row.n_verified += delta
        row.sx_verified += delta * level
        row.sx2_verified += delta * level * level
    else:
        row.n += delta
        row.sx += delta * level
        row.sx2 += delta * level * level
    after = formula.day_moments(day, _day_sums(row), params)
    change = after - before
    stats.w += change.w
    stats.wx += change.wx
    stats.wx2 += change.wx2
    stats.w2 += change.w2
    setattr(stats, f"count_{level}", getattr(stats, f"count_{level}") + delta)
    created = clock.as_utc(created_at)
    if delta > 0 and (stats.last_review_at is None or created > clock.as_utc(stats.last_review_at)):
        stats.last_review_at = created
    if row.n == 0 and row.n_verified == 0:
        session.delete(row)
    _rescore(session, stats, today(), params, min_ranked)
    session.flush()
    sector_changed(session, stats.sector_code)
    return stats


def _prior(session: Session, sector_code: str) -> SectorPrior:
    return session.get(SectorPrior, sector_code) or SectorPrior(sector_code=sector_code)


def _rescore(
    session: Session,
    stats: ProviderStats,
    as_of: int,
    params: formula.ScoringParams,
    min_ranked: int,
) -> None:
    prior = _prior(session, stats.sector_code)
    moments = formula.Moments(stats.w, stats.wx, stats.wx2, stats.w2)
    result = formula.score(moments, as_of, prior.mean, prior.var, params)
    stats.score = round(result.value, 6)
    stats.score_low = round(result.low, 6)
    stats.score_high = round(result.high, 6)
    stats.scored_on = as_of
    stats.ranked = stats.total >= min_ranked


def rescore_all(
    session: Session,
    *,
    as_of: int | None = None,
    params: formula.ScoringParams = formula.DEFAULT_PARAMS,
    min_ranked: int = MIN_RANKED_REVIEWS,
) -> int:
    """Recompute every stored score from its stored moments as of `as_of` (the daily job:
    as days pass, old reviews weigh less against the sector prior)."""
    day = as_of if as_of is not None else today()
    rows = session.exec(select(ProviderStats)).all()
    for stats in rows:
        _rescore(session, stats, day, params, min_ranked)
    session.flush()
    for sector in {s.sector_code for s in rows}:
        sector_changed(session, sector)
    return len(rows)


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


def with_scores(session: Session, providers: Sequence[Provider]) -> list[ProviderPublic]:
    """Providers as the public sees them, with their scores (one query for all)."""
    stats = stats_for_many(session, [p.id for p in providers if p.id is not None])
    return [to_public(p, stats[p.id]) for p in providers if p.id is not None]
