"""Reviews over time: a provider's monthly trend, and a sector's counts, mean and trend."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.core.cache import KeyValueStore
from haocha.scoring.cache import cached
from haocha.scoring.models import ProviderDayStats, ProviderStats


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
