"""The providers CSV on PostgreSQL, written by the database itself (COPY … TO STDOUT).

Why a second path: formatting 100,000 rows in Python reached about 25,000 rows/s, half
the target (docs/benchmarks.md). COPY formats them in the server at several times that
and streams them to us as they are produced; Python only forwards the bytes. The values
are the same as `service.provider_rows` writes (the API tests compare both paths on
PostgreSQL, and SQLite uses the Python one), with two harmless differences of notation:
rates and scores carry trailing zeros (0.4000), and rows end in LF."""

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Date, String, case, cast, func, literal, null, select
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col

from haocha.core import clock
from haocha.opendata.schema import PROVIDERS
from haocha.opendata.service import OpenFilters, provider_where, sanction_flags
from haocha.providers.models import Provider
from haocha.reviews.loop import answer_rate_columns
from haocha.scoring.models import ProviderStats

CHUNK_BYTES = 64 * 1024


def _word(condition: Any) -> Any:
    return case((condition, "true"), else_="false")


def _rounded(value: Any) -> Any:
    return func.round(cast(value, postgresql.NUMERIC), 4)


def _share(part: Any, total: Any) -> Any:
    return func.round(cast(part, postgresql.NUMERIC) / func.nullif(total, 0), 4)


def _copy_statement(session_dialect: Any, k: int, filters: OpenFilters) -> Any:
    today = clock.today_local()
    flags = sanction_flags(today)
    rate = answer_rate_columns(today, per_row=False)
    assert rate.join is not None  # noqa: S101 - the grouped shape, for a whole export
    stats = ProviderStats
    counts = [func.coalesce(getattr(stats, f"count_{level}"), 0) for level in range(1, 6)]
    c1, c2, c3, c4, c5 = counts
    total = c1 + c2 + c3 + c4 + c5
    scored = (total >= k) & col(stats.score).is_not(None)

    def score(column: Any) -> Any:
        return case((scored, _rounded(column)), else_=null())

    # date '0001-01-01' + (ordinal - 1) is Python's date.fromordinal(ordinal).
    as_of = case(
        (scored, cast(literal("0001-01-01"), Date) + (col(stats.scored_on) - 1)), else_=null()
    )
    latest = func.greatest(
        col(Provider.updated_at),
        col(stats.last_review_at),
        flags.c.published_at,
        flags.c.lifted_at,
        rate.last_answered_at,
    )
    updated = func.to_char(func.timezone("UTC", latest), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    columns = [
        col(Provider.id),
        col(Provider.name),
        col(Provider.sector_code),
        col(Provider.district_code),
        col(Provider.address),
        col(Provider.credit_code),
        cast(col(Provider.status), String),
        _word(col(Provider.is_demo)),
        total,
        c5,
        c4,
        c3,
        c2,
        c1,
        _share(c4 + c5, total),
        _share(c1 + c2, total),
        score(stats.score),
        score(stats.score_low),
        score(stats.score_high),
        as_of,
        case((total >= k, _share(func.coalesce(rate.on_time, 0), rate.judged)), else_=null()),
        _word(flags.c.warning == 1),
        _word(flags.c.blacklist == 1),
        updated,
    ]
    names = PROVIDERS.field_names
    query = (
        select(*[c.label(name) for c, name in zip(columns, names, strict=True)])
        .select_from(Provider)
        .outerjoin(stats, col(stats.provider_id) == Provider.id)
        .outerjoin(flags, flags.c.provider_id == Provider.id)
        .outerjoin(rate.join, rate.join.c.provider_id == Provider.id)
        .where(*provider_where(flags, rate.last_answered_at, filters))
        .order_by(col(Provider.id))
    )
    compiled = query.compile(dialect=session_dialect)
    sql = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv, HEADER true)"
    return sql, compiled.params


def provider_csv(session: Session, *, k: int, filters: OpenFilters, bom: bool) -> Iterator[bytes]:
    """The providers CSV in chunks of about 64 kB, straight from COPY."""
    sql, params = _copy_statement(session.get_bind().dialect, k, filters)
    raw = session.connection().connection.driver_connection
    assert raw is not None  # noqa: S101 - a live connection of the session
    buffer = bytearray("\ufeff".encode() if bom else b"")
    with raw.cursor() as cursor, cursor.copy(sql, params) as copy:
        for data in copy:
            buffer += data
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
    yield bytes(buffer)
