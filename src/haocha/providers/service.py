"""Directory queries and provider creation."""

from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from haocha.core.errors import NotFound
from haocha.providers.models import District, Provider, ProviderCreate, ProviderPublic, Sector
from haocha.scoring.models import ProviderStats


class ProviderNotFound(NotFound):
    message_key = "error.provider_not_found"


class SectorNotFound(NotFound):
    message_key = "error.sector_not_found"


class DistrictNotFound(NotFound):
    message_key = "error.district_not_found"


def list_sectors(session: Session) -> Sequence[Sector]:
    return session.exec(select(Sector).order_by(col(Sector.sort_order))).all()


def list_districts(session: Session) -> Sequence[District]:
    return session.exec(select(District).order_by(col(District.code))).all()


def get_sector(session: Session, code: str) -> Sector:
    sector = session.get(Sector, code)
    if sector is None:
        raise SectorNotFound()
    return sector


def get_district(session: Session, code: str) -> District:
    district = session.get(District, code)
    if district is None:
        raise DistrictNotFound()
    return district


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
