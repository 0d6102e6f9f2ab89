"""Rows of the open resources, read straight from the aggregate tables.

Each function yields plain tuples in its resource's field order (`schema.py`). Providers
and sanctions are read with `yield_per`, a server-side cursor on PostgreSQL, so a full
export holds one batch in memory however many providers there are. The sector × district
× month table is small by nature (sectors × districts × months) and is built whole,
because suppression has to see every month of a sector × district at once.

Nothing here selects a review's text, resident, phone hash or address hash: the privacy
of the feed is in which columns these queries name."""

import base64
import binascii
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlmodel import Session, col

from haocha.core import clock
from haocha.core.errors import DomainError
from haocha.moderation.models import Sanction, SanctionKind
from haocha.moderation.sanctions import in_force
from haocha.opendata.suppression import Cell, suppress
from haocha.providers.models import Provider
from haocha.reviews.loop import answer_rate_columns
from haocha.reviews.models import Review, ReviewStatus
from haocha.scoring.models import ProviderStats, SectorPrior

Row = tuple[Any, ...]
BATCH = 2000


class CursorInvalid(DomainError):
    status_code = 400
    message_key = "error.open_cursor"


@dataclass(frozen=True)
class OpenFilters:
    sector: str | None = None
    district: str | None = None
    month_from: str | None = None  # YYYY-MM, inclusive
    month_to: str | None = None
    updated_since: datetime | None = None


# -- cursors -------------------------------------------------------------------------
# Opaque to clients, but only the last key of the page: paging by a key that never
# changes (an id; a cell's sector, district and month) cannot skip or repeat a row when a
# review lands between two pages, as an offset or a score order would.


def encode_cursor(resource: str, key: Sequence[Any]) -> str:
    raw = json.dumps([resource, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(resource: str, cursor: str, kinds: Sequence[type]) -> list[Any]:
    """The key in `cursor`, checked against the resource and the key's types (`kinds`):
    a cursor is client input like any other."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise CursorInvalid() from exc
    if not isinstance(value, list) or len(value) != len(kinds) + 1 or value[0] != resource:
        raise CursorInvalid()
    key = value[1:]
    if not all(type(part) is kind for part, kind in zip(key, kinds, strict=True)):
        raise CursorInvalid()
    return key


# -- formatting of values --------------------------------------------------------------


def _timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return clock.as_utc(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rate(part: int, total: int) -> float | None:
    return round(part / total, 4) if total else None


def _latest(*values: datetime | None) -> datetime | None:
    present = [clock.as_utc(v).astimezone(UTC) for v in values if v is not None]
    return max(present) if present else None


# -- providers -------------------------------------------------------------------------


def sanction_flags(today: date) -> Any:
    """Per provider: whether a warning / a blacklist entry is in force, and when its
    sanctions last changed (published or lifted)."""
    force = and_(*in_force(today))

    def flag(kind: SanctionKind) -> Any:
        return func.max(case((and_(col(Sanction.kind) == kind, force), 1), else_=0))

    return (
        select(
            col(Sanction.provider_id).label("provider_id"),
            flag(SanctionKind.warning).label("warning"),
            flag(SanctionKind.blacklist).label("blacklist"),
            func.max(col(Sanction.created_at)).label("published_at"),
            func.max(col(Sanction.lifted_at)).label("lifted_at"),
        )
        .group_by(col(Sanction.provider_id))
        .subquery("sanction_flags")
    )


def provider_where(
    flags: Any, last_answered_at: Any, filters: OpenFilters, *, after_id: int | None = None
) -> list[ColumnElement[bool]]:
    """The filters of the providers resource, over provider ⟕ stats ⟕ sanction flags, with
    the time of the provider's last answer to a 差评 (reviews/loop.answer_rate_columns)."""
    where: list[ColumnElement[bool]] = []
    if filters.sector:
        where.append(col(Provider.sector_code) == filters.sector)
    if filters.district:
        where.append(col(Provider.district_code) == filters.district)
    if filters.updated_since is not None:
        since = filters.updated_since
        where.append(
            or_(
                col(Provider.updated_at) >= since,
                col(ProviderStats.last_review_at) >= since,
                flags.c.published_at >= since,
                flags.c.lifted_at >= since,
                last_answered_at >= since,
            )
        )
    if after_id is not None:
        where.append(col(Provider.id) > after_id)
    return where


def provider_rows(
    session: Session,
    *,
    k: int,
    filters: OpenFilters = OpenFilters(),
    after_id: int | None = None,
    limit: int | None = None,
) -> Iterator[Row]:
    """Providers by id with their aggregate scores. Below `k` counted reviews the score and
    its interval are withheld: the prior would show a precise-looking number for what is
    one or two residents' opinion."""
    today = clock.today_local()
    flags = sanction_flags(today)
    # A page looks up its own providers' 差评; a whole export aggregates them all at once.
    rate = answer_rate_columns(today, per_row=limit is not None)
    stats = ProviderStats
    where = provider_where(flags, rate.last_answered_at, filters, after_id=after_id)
    query = (
        select(
            col(Provider.id),
            col(Provider.name),
            col(Provider.sector_code),
            col(Provider.district_code),
            col(Provider.address),
            col(Provider.credit_code),
            col(Provider.status),
            col(Provider.is_demo),
            col(stats.count_1),
            col(stats.count_2),
            col(stats.count_3),
            col(stats.count_4),
            col(stats.count_5),
            col(stats.score),
            col(stats.score_low),
            col(stats.score_high),
            col(stats.scored_on),
            col(stats.last_review_at),
            col(Provider.updated_at),
            flags.c.warning,
            flags.c.blacklist,
            flags.c.published_at,
            flags.c.lifted_at,
            rate.on_time,
            rate.judged,
            rate.last_answered_at,
        )
        .outerjoin(stats, col(stats.provider_id) == Provider.id)
        .outerjoin(flags, flags.c.provider_id == Provider.id)
    )
    if rate.join is not None:
        query = query.outerjoin(rate.join, rate.join.c.provider_id == Provider.id)
    query = query.where(*where).order_by(col(Provider.id))
    if limit is not None:
        query = query.limit(limit)
    result = session.execute(query.execution_options(yield_per=BATCH))
    for r in result:
        c1, c2, c3, c4, c5 = (r[8] or 0, r[9] or 0, r[10] or 0, r[11] or 0, r[12] or 0)
        total = c1 + c2 + c3 + c4 + c5
        scored = total >= k and r[13] is not None
        yield (
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6].value if hasattr(r[6], "value") else r[6],
            bool(r[7]),
            total,
            c5,
            c4,
            c3,
            c2,
            c1,
            _rate(c4 + c5, total),
            _rate(c1 + c2, total),
            round(r[13], 4) if scored else None,
            round(r[14], 4) if scored else None,
            round(r[15], 4) if scored else None,
            date.fromordinal(r[16]).isoformat() if scored and r[16] else None,
            # Withheld below k counted reviews, as the score: one or two 差评 would make a
            # rate of 0 or 1 that says little about the provider.
            _rate(int(r[23] or 0), int(r[24] or 0)) if total >= k else None,
            bool(r[19]),
            bool(r[20]),
            _timestamp(_latest(r[18], r[17], r[21], r[22], r[25])),
        )


# -- sanctions -------------------------------------------------------------------------


def _month_bounds(filters: OpenFilters) -> tuple[date | None, date | None]:
    start = date.fromisoformat(filters.month_from + "-01") if filters.month_from else None
    end = None
    if filters.month_to:
        year, month = int(filters.month_to[:4]), int(filters.month_to[5:])
        end = date(year + month // 12, month % 12 + 1, 1)  # first day after the month
    return start, end


def sanction_rows(
    session: Session,
    *,
    filters: OpenFilters = OpenFilters(),
    after_id: int | None = None,
    limit: int | None = None,
) -> Iterator[Row]:
    """Warnings and blacklist entries by id, lifted and ended ones included. No regulator
    identity (who published or lifted), case number or internal lift reason is selected."""
    where: list[ColumnElement[bool]] = []
    if filters.sector:
        where.append(col(Sanction.sector_code) == filters.sector)
    if filters.district:
        where.append(col(Sanction.district_code) == filters.district)
    start, end = _month_bounds(filters)
    if start is not None:
        where.append(col(Sanction.starts_on) >= start)
    if end is not None:
        where.append(col(Sanction.starts_on) < end)
    if filters.updated_since is not None:
        since = filters.updated_since
        where.append(or_(col(Sanction.created_at) >= since, col(Sanction.lifted_at) >= since))
    if after_id is not None:
        where.append(col(Sanction.id) > after_id)
    query = (
        select(
            col(Sanction.id),
            col(Sanction.kind),
            col(Sanction.provider_id),
            col(Sanction.sector_code),
            col(Sanction.district_code),
            col(Sanction.text),
            col(Sanction.legal_basis),
            col(Sanction.starts_on),
            col(Sanction.ends_on),
            col(Sanction.lifted_at),
            col(Sanction.created_at),
        )
        .where(*where)
        .order_by(col(Sanction.id))
    )
    if limit is not None:
        query = query.limit(limit)
    today = clock.today_local()
    for r in session.execute(query.execution_options(yield_per=BATCH)):
        lifted = clock.as_utc(r[9]).astimezone(clock.CHINA_TZ).date() if r[9] else None
        yield (
            r[0],
            r[1].value if hasattr(r[1], "value") else r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7].isoformat(),
            r[8].isoformat() if r[8] else None,
            lifted.isoformat() if lifted else None,
            r[7] <= today and (r[8] is None or r[8] >= today) and r[9] is None,
            _timestamp(_latest(r[10], r[9])),
        )


# -- sector × district × month ---------------------------------------------------------


def _month_of(session: Session) -> Any:
    """The China-time month of a review's timestamp, as YYYY-MM, in this database's SQL."""
    if session.get_bind().dialect.name == "postgresql":
        local = func.timezone("Asia/Shanghai", col(Review.created_at))
        return func.to_char(local, "YYYY-MM")
    # SQLite keeps the UTC wall time as text; China has no daylight saving time.
    return func.strftime("%Y-%m", col(Review.created_at), "+8 hours")


def cells(session: Session, *, k: int) -> list[Cell]:
    """Every non-empty sector × district × month cell of counted reviews, suppressed."""
    month = _month_of(session).label("month")

    def at(level: int) -> Any:
        return func.sum(case((col(Review.level) == level, 1), else_=0))

    prepaid = func.sum(
        case((and_(col(Review.prepaid).is_(True), col(Review.level) <= 2), 1), else_=0)
    )
    query = (
        select(
            col(Provider.sector_code),
            col(Provider.district_code),
            month,
            at(1),
            at(2),
            at(3),
            at(4),
            at(5),
            func.sum(col(Review.level)),
            prepaid,
        )
        .join(Provider, col(Provider.id) == Review.provider_id)
        # Counted reviews only, as in the scores: held and removed ones are left out.
        .where(col(Review.status) == ReviewStatus.published)
        .group_by(col(Provider.sector_code), col(Provider.district_code), month)
    )
    found = []
    for r in session.execute(query):
        counts = (int(r[3]), int(r[4]), int(r[5]), int(r[6]), int(r[7]))
        found.append(Cell(r[0], r[1], r[2], sum(counts), counts, int(r[8]), int(r[9])))
    return suppress(found, k)


def cell_rows(
    session: Session,
    *,
    k: int,
    filters: OpenFilters = OpenFilters(),
    after: Sequence[str] | None = None,
    limit: int | None = None,
) -> Iterator[Row]:
    """The suppressed table, filtered after suppression (a filter must never change which
    cells are hidden, or two filtered downloads could be subtracted from each other)."""
    emitted = 0
    for cell in cells(session, k=k):
        key = (cell.sector, cell.district, cell.month)
        if after is not None and key <= tuple(after):
            continue
        if filters.sector and cell.sector != filters.sector:
            continue
        if filters.district and cell.district != filters.district:
            continue
        if filters.month_from and cell.month < filters.month_from:
            continue
        if filters.month_to and cell.month > filters.month_to:
            continue
        if limit is not None and emitted >= limit:
            return
        emitted += 1
        yield _cell_row(cell)


def _cell_row(cell: Cell) -> Row:
    if cell.suppressed:
        return (cell.sector, cell.district, cell.month, True, *([None] * 9))
    c1, c2, c3, c4, c5 = cell.counts
    return (
        cell.sector,
        cell.district,
        cell.month,
        False,
        cell.n,
        c5,
        c4,
        c3,
        c2,
        c1,
        round(cell.level_sum / cell.n, 4),
        _rate(c4 + c5, cell.n),
        cell.prepaid_complaints,
    )


# -- validators for conditional GET -----------------------------------------------------


@dataclass(frozen=True)
class DataVersion:
    tag: str
    last_modified: datetime


def data_version(session: Session) -> DataVersion:
    """A digest of what every open resource is computed from, by a handful of aggregates,
    so a conditional GET costs one scan of the provider and provider_stats tables instead
    of an export (about 50 ms against 800 ms at 100,000 providers, docs/benchmarks.md).

    A review landing or leaving the counts changes the stats' sum and last review time; a
    new review changes max(review.id); a provider's answer to a 差评 max(answered_at); a
    provider edit its updated_at; a sanction its created/lifted time; the daily rescoring
    scored_on and the sector priors; and the date is in it because sanctions come into and
    go out of force by the day (and a 差评's deadline passes by the day, too)."""
    stats = ProviderStats
    counted = (
        col(stats.count_1)
        + col(stats.count_2)
        + col(stats.count_3)
        + col(stats.count_4)
        + col(stats.count_5)
    )
    parts: list[Any] = [clock.today_local().isoformat()]
    times: list[datetime | None] = []
    provider = session.execute(
        select(func.count(), func.max(col(Provider.updated_at)), func.max(col(Provider.id)))
    ).one()
    stat = session.execute(
        select(func.sum(counted), func.max(col(stats.last_review_at)), func.max(stats.scored_on))
    ).one()
    review = session.execute(
        select(func.max(col(Review.id)), func.max(col(Review.answered_at)))
    ).one()
    sanction = session.execute(
        select(
            func.count(),
            func.max(col(Sanction.created_at)),
            func.max(col(Sanction.lifted_at)),
        ).select_from(Sanction)
    ).one()
    prior = session.execute(select(func.max(col(SectorPrior.computed_at)))).one()
    for row in (provider, stat, review, sanction, prior):
        parts.extend(str(v) for v in row)
        times.extend(v for v in row if isinstance(v, datetime))
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    latest = _latest(*times) or datetime(2026, 1, 1, tzinfo=UTC)
    return DataVersion(digest, latest.replace(microsecond=0))
