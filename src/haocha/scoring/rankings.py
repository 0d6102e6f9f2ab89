"""Rankings per sector and per sector × district, read from the stored scores.

A ranking page is one range of the (sector, [district,] ranked, score) index, and the
page as data is cached under the sector's version (scoring/cache.py)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from haocha.core.cache import KeyValueStore
from haocha.providers.models import Provider
from haocha.providers.service import to_public
from haocha.scoring.cache import cached
from haocha.scoring.models import ProviderStats


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
