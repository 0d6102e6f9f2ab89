"""Directory queries and provider creation."""

import threading
import time
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from haocha.core.errors import NotFound
from haocha.providers.models import District, Provider, ProviderCreate, ProviderPublic, Sector
from haocha.scoring.models import ProviderStats

T = TypeVar("T", Sector, District)


class ProviderNotFound(NotFound):
    message_key = "error.provider_not_found"


class SectorNotFound(NotFound):
    message_key = "error.sector_not_found"


class DistrictNotFound(NotFound):
    message_key = "error.district_not_found"


# Sectors and districts change only with a migration, yet every page needs them: keep a
# detached copy per database for a few minutes instead of querying on each request.
REFERENCE_TTL_SECONDS = 300.0
_reference: dict[tuple[str, str], tuple[float, list[Any]]] = {}
_reference_lock = threading.Lock()


def _reference_rows(session: Session, model: type[T], order: Any) -> list[T]:
    engine = session.get_bind().engine
    key = (f"{engine.url}#{id(engine)}", model.__name__)
    now = time.monotonic()
    with _reference_lock:
        hit = _reference.get(key)
        if hit is not None and hit[0] > now:
            return list(hit[1])
    rows = [model.model_validate(r) for r in session.exec(select(model).order_by(order)).all()]
    if rows:  # an empty table is a database still being set up: ask again next time
        with _reference_lock:
            _reference[key] = (now + REFERENCE_TTL_SECONDS, rows)
    return list(rows)


def list_sectors(session: Session) -> Sequence[Sector]:
    return _reference_rows(session, Sector, col(Sector.sort_order))


def list_districts(session: Session) -> Sequence[District]:
    return _reference_rows(session, District, col(District.code))


def get_sector(session: Session, code: str) -> Sector:
    for sector in list_sectors(session):
        if sector.code == code:
            return sector
    raise SectorNotFound()


def get_district(session: Session, code: str) -> District:
    for district in list_districts(session):
        if district.code == code:
            return district
    raise DistrictNotFound()


def get_provider(session: Session, provider_id: int) -> Provider:
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise ProviderNotFound()
    return provider


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_providers(
    session: Session,
    *,
    q: str | None = None,
    sector: str | None = None,
    district: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[Sequence[Provider], int]:
    """Providers matching a Chinese substring of name or address, newest reviews first.

    A plain LIKE is enough at the scale of one city's directory (tens of thousands of rows)
    and behaves the same on SQLite and PostgreSQL; Chinese needs no word splitting for a
    substring match."""
    if sector is not None:
        get_sector(session, sector)
    if district is not None:
        get_district(session, district)
    query = select(Provider)
    if q:
        pattern = f"%{_escape_like(q)}%"
        query = query.where(
            or_(
                col(Provider.name).like(pattern, escape="\\"),
                col(Provider.address).like(pattern, escape="\\"),
            )
        )
    if sector:
        query = query.where(Provider.sector_code == sector)
    if district:
        query = query.where(Provider.district_code == district)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    items = session.exec(query.order_by(col(Provider.id)).limit(limit).offset(offset)).all()
    return items, total


def create_provider(session: Session, data: ProviderCreate) -> Provider:
    get_sector(session, data.sector_code)
    get_district(session, data.district_code)
    provider = Provider.model_validate(data)
    session.add(provider)
    session.flush()
    assert provider.id is not None  # noqa: S101 - flushed
    # Every provider has its (empty) scores row from the start, so it is listed as "not
    # yet ranked" on its sector page before its first review.
    session.add(
        ProviderStats(
            provider_id=provider.id,
            sector_code=provider.sector_code,
            district_code=provider.district_code,
        )
    )
    session.flush()
    return provider


def to_public(
    provider: Provider, stats: ProviderStats, *, rank: int | None = None
) -> ProviderPublic:
    return ProviderPublic(
        **provider.model_dump(exclude={"created_at", "updated_at"}),
        review_count=stats.total,
        level_counts=stats.level_counts,
        good_rate=stats.good_rate,
        bad_rate=stats.bad_rate,
        score=None if stats.score is None else round(stats.score, 2),
        score_low=None if stats.score_low is None else round(stats.score_low, 2),
        score_high=None if stats.score_high is None else round(stats.score_high, 2),
        ranked=stats.ranked,
        rank=rank,
    )
