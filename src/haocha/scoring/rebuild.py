"""Recompute every score from the reviews themselves (`haocha scoring rebuild`).

The result must equal what the incremental updates produced; a test holds the two
against each other. Sector priors are refreshed here (and only here), since moving a
prior moves every score in its sector."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert
from sqlmodel import Session, col, select

from haocha.core import clock
from haocha.providers.models import Provider
from haocha.reviews.models import Review, ReviewStatus
from haocha.scoring import formula
from haocha.scoring.cache import sector_changed
from haocha.scoring.models import ProviderDayStats, ProviderStats, SectorPrior
from haocha.scoring.service import MIN_RANKED_REVIEWS, review_day, today

# A sector with fewer counted reviews than this borrows the all-sector prior: its own
# mean would be too noisy to shrink towards.
MIN_PRIOR_REVIEWS = 30
CHUNK = 5000


@dataclass(frozen=True)
class RebuildSummary:
    providers: int
    reviews: int
    days: int
    as_of: int


def refresh_priors(session: Session) -> dict[str, SectorPrior]:
    rows = session.exec(
        select(
            Provider.sector_code,
            func.count(),
            func.sum(Review.level),
            func.sum(Review.level * Review.level),
        )
        .join(Provider, col(Provider.id) == Review.provider_id)
        .where(Review.status == ReviewStatus.published)
        .group_by(Provider.sector_code)
    ).all()
    per_sector = {sector: (int(n), float(sx or 0), float(sx2 or 0)) for sector, n, sx, sx2 in rows}
    total_n = sum(v[0] for v in per_sector.values())
    total_sx = sum(v[1] for v in per_sector.values())
    total_sx2 = sum(v[2] for v in per_sector.values())
    default = SectorPrior(sector_code="")
    overall_mean, overall_var = _mean_var(total_n, total_sx, total_sx2, default)
    priors = {}
    for prior in session.exec(select(SectorPrior)).all():
        n, sx, sx2 = per_sector.get(prior.sector_code, (0, 0.0, 0.0))
        if n >= MIN_PRIOR_REVIEWS:
            prior.mean, prior.var = _mean_var(n, sx, sx2, default)
        else:
            prior.mean, prior.var = overall_mean, overall_var
        prior.n = n
        prior.computed_at = clock.now()
        priors[prior.sector_code] = prior
    session.flush()
    return priors


def _mean_var(n: int, sx: float, sx2: float, default: SectorPrior) -> tuple[float, float]:
    if n == 0:
        return default.mean, default.var
    mean = sx / n
    return mean, max(sx2 / n - mean * mean, 0.05)


def rebuild(
    session: Session,
    *,
    as_of: int | None = None,
    with_priors: bool = False,
    params: formula.ScoringParams = formula.DEFAULT_PARAMS,
) -> RebuildSummary:
    if with_priors:
        refresh_priors(session)
    day_sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0, 0.0, 0.0])
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * 6)
    last: dict[int, datetime] = {}
    reviews = 0
    stream = session.exec(
        select(Review.provider_id, Review.level, Review.verified, Review.created_at)
        .where(Review.status == ReviewStatus.published)
        .execution_options(yield_per=CHUNK)
    )
    for provider_id, level, verified, created_at in stream:
        reviews += 1
        sums = day_sums[(provider_id, review_day(created_at))]
        base = 3 if verified else 0
        sums[base] += 1
        sums[base + 1] += level
        sums[base + 2] += level * level
        counts[provider_id][level] += 1
        created = clock.as_utc(created_at)
        if provider_id not in last or created > last[provider_id]:
            last[provider_id] = created

    session.execute(delete(ProviderDayStats))
    moments: dict[int, formula.Moments] = defaultdict(formula.Moments)
    day_rows: list[dict[str, Any]] = []
    for (provider_id, day), (n, sx, sx2, nv, sxv, sx2v) in sorted(day_sums.items()):
        day_total = formula.DaySums(int(n), sx, sx2, int(nv), sxv, sx2v)
        moments[provider_id] = moments[provider_id] + formula.day_moments(day, day_total, params)
        day_rows.append(
            {
                "provider_id": provider_id,
                "day": day,
                "n": int(n),
                "sx": sx,
                "sx2": sx2,
                "n_verified": int(nv),
                "sx_verified": sxv,
                "sx2_verified": sx2v,
            }
        )
    _insert_chunks(session, ProviderDayStats, day_rows)

    day = as_of if as_of is not None else today()
    priors = {p.sector_code: p for p in session.exec(select(SectorPrior)).all()}
    session.execute(delete(ProviderStats))
    stats_rows: list[dict[str, Any]] = []
    for pid, sector, district in session.exec(
        select(Provider.id, Provider.sector_code, Provider.district_code)
    ):
        if pid is None:
            continue
        m = moments.get(pid, formula.Moments())
        prior = priors.get(sector) or SectorPrior(sector_code=sector)
        result = formula.score(m, day, prior.mean, prior.var, params)
        c = counts.get(pid, [0] * 6)
        stats_rows.append(
            {
                "provider_id": pid,
                "sector_code": sector,
                "district_code": district,
                **{f"count_{lv}": c[lv] for lv in range(1, 6)},
                "w": m.w,
                "wx": m.wx,
                "wx2": m.wx2,
                "w2": m.w2,
                "score": round(result.value, 6),
                "score_low": round(result.low, 6),
                "score_high": round(result.high, 6),
                "scored_on": day,
                "ranked": sum(c) >= MIN_RANKED_REVIEWS,
                "last_review_at": last.get(pid),
            }
        )
    _insert_chunks(session, ProviderStats, stats_rows)
    session.flush()
    for sector in {row["sector_code"] for row in stats_rows}:
        sector_changed(session, sector)
    session.expire_all()
    return RebuildSummary(len(stats_rows), reviews, len(day_rows), day)


def _insert_chunks(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start : start + CHUNK])
