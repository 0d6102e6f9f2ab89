"""Scores kept up to date as reviews land or leave, rebuilt on demand, and ranked.

A counted review (published; not held, not removed) changes three things: its provider's
level counts, the sums of its day, and the provider's moments. The score is then computed
from the moments as of today. Nothing here scans a provider's other reviews."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.core.cache import KeyValueStore
from haocha.providers.models import Provider, ProviderPublic
from haocha.providers.service import to_public
from haocha.scoring import formula
from haocha.scoring.cache import cached, sector_changed
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


@dataclass(frozen=True)
class Ranked:
    rank: int
    provider: Provider
    stats: ProviderStats


def ranking(
    session: Session,
    sector_code: str,
    *,
    district_code: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Ranked], int]:
    """One page of a sector's (or sector × district's) ranking, best first.

    Served by the (sector, [district,] ranked, score) indexes: the cost of a page does
    not grow with the number of reviews, only with the page's depth."""
    where: list[ColumnElement[bool]] = [
        col(ProviderStats.sector_code) == sector_code,
        col(ProviderStats.ranked).is_(True),
    ]
    if district_code:
        where.append(col(ProviderStats.district_code) == district_code)
    total = session.exec(select(func.count()).select_from(ProviderStats).where(*where)).one()
    rows = session.exec(
        select(ProviderStats, Provider)
        .join(Provider, col(Provider.id) == ProviderStats.provider_id)
        .where(*where)
        .order_by(col(ProviderStats.score).desc(), col(ProviderStats.provider_id))
        .limit(limit)
        .offset(offset)
    ).all()
    return [Ranked(offset + i + 1, p, s) for i, (s, p) in enumerate(rows)], total


def rank_of(session: Session, stats: ProviderStats) -> int | None:
    """The provider's place in its sector's ranking, or None if it is not ranked."""
    if not stats.ranked or stats.score is None:
        return None
    ahead = session.exec(
        select(func.count())
        .select_from(ProviderStats)
        .where(
            ProviderStats.sector_code == stats.sector_code,
            col(ProviderStats.ranked).is_(True),
            (col(ProviderStats.score) > stats.score)
            | (
                (col(ProviderStats.score) == stats.score)
                & (col(ProviderStats.provider_id) < stats.provider_id)
            ),
        )
    ).one()
    return int(ahead) + 1


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


@dataclass(frozen=True)
class MonthPoint:
    month: str  # YYYY-MM
    count: int
    mean: float | None


def monthly_trend(session: Session, provider_id: int, *, months: int = 12) -> list[MonthPoint]:
    """Counted reviews and their mean level per calendar month, the last `months` months."""
    keys = _month_keys(clock.today_local(), months)
    start_day = date(int(keys[0][:4]), int(keys[0][5:]), 1).toordinal()
    rows = session.exec(
        select(ProviderDayStats).where(
            ProviderDayStats.provider_id == provider_id, ProviderDayStats.day >= start_day
        )
    ).all()
    sums = {k: [0, 0.0] for k in keys}
    for row in rows:
        key = date.fromordinal(row.day).strftime("%Y-%m")
        if key in sums:
            sums[key][0] += row.n + row.n_verified
            sums[key][1] += row.sx + row.sx_verified
    return [MonthPoint(k, int(n), (sx / n) if n else None) for k, (n, sx) in sums.items()]


def _month_keys(end: date, months: int) -> list[str]:
    keys = []
    year, month = end.year, end.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys[::-1]


def ranking_page(
    session: Session,
    store: KeyValueStore,
    sector_code: str,
    *,
    district_code: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """A ranking page as plain data, from the cache while no score in the sector changed."""

    def compute() -> dict[str, Any]:
        rows, total = ranking(
            session, sector_code, district_code=district_code, limit=limit, offset=offset
        )
        scored_on = next((r.stats.scored_on for r in rows if r.stats.scored_on), None)
        return {
            "items": [
                {
                    "rank": r.rank,
                    "provider": to_public(r.provider, r.stats, rank=r.rank).model_dump(mode="json"),
                }
                for r in rows
            ],
            "total": total,
            "unranked_total": _unranked_count(session, sector_code, district_code),
            "as_of": date.fromordinal(scored_on).isoformat() if scored_on else None,
        }

    result: dict[str, Any] = cached(
        store, sector_code, (district_code or "", limit, offset), compute
    )
    return result


def _unranked_where(sector_code: str, district_code: str | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        col(ProviderStats.sector_code) == sector_code,
        col(ProviderStats.ranked).is_(False),
    ]
    if district_code:
        where.append(col(ProviderStats.district_code) == district_code)
    return where


def _unranked_count(session: Session, sector_code: str, district_code: str | None) -> int:
    where = _unranked_where(sector_code, district_code)
    return int(session.exec(select(func.count()).select_from(ProviderStats).where(*where)).one())


def unranked(
    session: Session,
    sector_code: str,
    *,
    district_code: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[tuple[Provider, ProviderStats]], int]:
    """A sector's providers with too few counted reviews to rank, most reviewed first."""
    where = _unranked_where(sector_code, district_code)
    total = _unranked_count(session, sector_code, district_code)
    counted = (
        col(ProviderStats.count_1)
        + col(ProviderStats.count_2)
        + col(ProviderStats.count_3)
        + col(ProviderStats.count_4)
        + col(ProviderStats.count_5)
    )
    rows = session.exec(
        select(Provider, ProviderStats)
        .join(ProviderStats, col(ProviderStats.provider_id) == Provider.id)
        .where(*where)
        .order_by(counted.desc(), col(Provider.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return [(p, s) for p, s in rows], total


def sector_summary(
    session: Session,
    store: KeyValueStore,
    sector_code: str,
    *,
    district_code: str | None = None,
    months: int = 12,
) -> dict[str, Any]:
    """A sector's (or sector × district's) counted reviews as a whole: level counts, mean
    level with a 95% interval, and the monthly trend. Cached with the sector's rankings."""

    def compute() -> dict[str, Any]:
        where: list[ColumnElement[bool]] = [col(ProviderStats.sector_code) == sector_code]
        if district_code:
            where.append(col(ProviderStats.district_code) == district_code)
        # SQLAlchemy's select: sqlmodel's overloads stop at four columns.
        levels = session.execute(
            sa_select(
                *(
                    func.coalesce(func.sum(getattr(ProviderStats, f"count_{lv}")), 0)
                    for lv in range(1, 6)
                )
            ).where(*where)
        ).one()
        counts = {str(level): int(levels[level - 1]) for level in range(5, 0, -1)}
        total = sum(counts.values())
        keys = _month_keys(clock.today_local(), months)
        start_day = date(int(keys[0][:4]), int(keys[0][5:]), 1).toordinal()
        days = session.exec(
            select(
                ProviderDayStats.day,
                func.sum(ProviderDayStats.n + ProviderDayStats.n_verified),
                func.sum(ProviderDayStats.sx + ProviderDayStats.sx_verified),
            )
            .join(ProviderStats, col(ProviderStats.provider_id) == ProviderDayStats.provider_id)
            .where(*where, col(ProviderDayStats.day) >= start_day)
            .group_by(col(ProviderDayStats.day))
        ).all()
        by_month = {k: [0, 0.0] for k in keys}
        for day, n, sx in days:
            key = date.fromordinal(day).strftime("%Y-%m")
            if key in by_month:
                by_month[key][0] += int(n or 0)
                by_month[key][1] += float(sx or 0)
        summary: dict[str, Any] = {
            "level_counts": counts,
            "total": total,
            "trend": [
                {"month": k, "count": int(n), "mean": (sx / n) if n else None}
                for k, (n, sx) in by_month.items()
            ],
        }
        if total:
            mean = sum(int(lv) * c for lv, c in counts.items()) / total
            var = sum(c * (int(lv) - mean) ** 2 for lv, c in counts.items()) / total
            half = 1.96 * (var / total) ** 0.5
            summary.update(
                mean=mean,
                low=max(1.0, mean - half),
                high=min(5.0, mean + half),
                good_rate=(counts["4"] + counts["5"]) / total,
                bad_rate=(counts["1"] + counts["2"]) / total,
            )
        return summary

    result: dict[str, Any] = cached(
        store, sector_code, ("summary", district_code or "", months), compute
    )
    return result
