"""The open-data API under /open/v1: each resource as paged JSON, CSV and NDJSON, plus the
data package and the DCAT catalogue. Public, read-only, no login."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, Response
from sqlmodel import Session

from haocha.core.errors import NotFound
from haocha.deps import SessionDep, SettingsDep
from haocha.opendata import catalog, pg_export, service, snapshots
from haocha.opendata.formats import as_dict, csv_chunks, ndjson_chunks
from haocha.opendata.http import not_modified, respond_not_modified, stream, validators
from haocha.opendata.schema import LICENSE, RESOURCES

router = APIRouter(prefix="/open/v1", tags=["open data"])

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson; charset=utf-8",
    "json": "application/json",
}


def open_filters(
    sector: Annotated[str | None, Query(max_length=32)] = None,
    district: Annotated[str | None, Query(max_length=6)] = None,
    month_from: Annotated[str | None, Query(pattern=MONTH)] = None,
    month_to: Annotated[str | None, Query(pattern=MONTH)] = None,
    updated_since: Annotated[datetime | None, Query()] = None,
) -> service.OpenFilters:
    if updated_since is not None:
        # Naive means UTC (documented); an offset is normalised, because SQLite compares
        # the stored UTC wall times as text.
        if updated_since.tzinfo is None:
            updated_since = updated_since.replace(tzinfo=UTC)
        updated_since = updated_since.astimezone(UTC)
    return service.OpenFilters(
        sector=sector or None,
        district=district or None,
        month_from=month_from,
        month_to=month_to,
        updated_since=updated_since,
    )


FiltersDep = Annotated[service.OpenFilters, Depends(open_filters)]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _json(value: Any, request: Request, headers: dict[str, str]) -> Response:
    body = json.dumps(value, ensure_ascii=False).encode()
    return stream(request, iter([body]), MEDIA["json"], headers)


@router.get("/datapackage.json")
def datapackage(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The Frictionless Data Package: a Table Schema per resource, paths to the live CSVs."""
    version = service.data_version(session)
    headers = validators(request, version)
    if not_modified(request, headers, version.last_modified):
        return respond_not_modified(headers)
    return _json(
        catalog.datapackage(_base(request), k=settings.open_data_min_reviews), request, headers
    )


@router.get("/catalog.json")
def dcat_catalog(request: Request) -> Response:
    """The DCAT catalogue in JSON-LD: a dcat:Dataset per resource, a dcat:Distribution per
    format."""
    headers = {"Cache-Control": "public, max-age=3600", "Vary": "Accept-Encoding"}
    return _json(catalog.dcat_catalog(_base(request)), request, headers)


@router.get("/snapshots.json")
def snapshot_index(request: Request, settings: SettingsDep) -> dict[str, Any]:
    """The dated snapshots, newest first, each with the URL of every resource's CSV."""
    base = _base(request)
    days = snapshots.snapshot_days(settings.open_data_snapshot_dir)
    return {
        "items": [
            {
                "date": day,
                "resources": {
                    name: f"{base}/open/v1/snapshots/{day}/{name}.csv" for name in RESOURCES
                },
            }
            for day in days
        ]
    }


@router.get("/snapshots/{day}/{filename}")
def snapshot_csv(
    settings: SettingsDep,
    day: Annotated[str, Path(pattern=r"^\d{4}-\d{2}-\d{2}$")],
    filename: Annotated[str, Path(max_length=40)],
) -> FileResponse:
    path = snapshots.snapshot_file(settings.open_data_snapshot_dir, day, filename)
    # A snapshot never changes once written: caches may keep it for good.
    return FileResponse(
        path,
        media_type=MEDIA["csv"],
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


def _rows(
    session: Session,
    resource: str,
    *,
    k: int,
    filters: service.OpenFilters,
    after: list[Any] | None = None,
    limit: int | None = None,
) -> Iterator[tuple[Any, ...]]:
    if resource == "providers":
        after_id = int(after[0]) if after else None
        return service.provider_rows(session, k=k, filters=filters, after_id=after_id, limit=limit)
    if resource == "sanctions":
        after_id = int(after[0]) if after else None
        return service.sanction_rows(session, filters=filters, after_id=after_id, limit=limit)
    return service.cell_rows(session, k=k, filters=filters, after=after, limit=limit)


def _streamed(
    session: Session, resource: str, *, k: int, filters: service.OpenFilters
) -> Iterator[tuple[Any, ...]]:
    """All matching rows, read by a session of the stream's own. The request's session
    commits and ends before the response starts (SessionDep), so it cannot feed a body
    that is still being sent; this one opens on the same engine (in tests, the same
    connection) and closes with the last row, or when the client goes away."""
    bind = session.get_bind()
    with Session(bind=bind, join_transaction_mode="create_savepoint") as own:
        yield from _rows(own, resource, k=k, filters=filters)


def _copied(
    session: Session, *, k: int, filters: service.OpenFilters, bom: bool
) -> Iterator[bytes]:
    """The providers CSV by PostgreSQL's COPY, in a session of the stream's own."""
    with Session(bind=session.get_bind(), join_transaction_mode="create_savepoint") as own:
        yield from pg_export.provider_csv(own, k=k, filters=filters, bom=bom)


@router.get("/{filename}")
def resource_file(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    filters: FiltersDep,
    filename: Annotated[str, Path(max_length=40)],
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    bom: bool = False,
) -> Response:
    """`{resource}.json` (a page; follow `next_cursor`), `.csv` or `.ndjson` (everything
    that matches the filters, streamed). Resources: providers, sector-district-month,
    sanctions."""
    name, _, fmt = filename.rpartition(".")
    resource = RESOURCES.get(name)
    if resource is None or fmt not in MEDIA:
        raise NotFound()
    k = settings.open_data_min_reviews
    version = service.data_version(session)
    headers = validators(request, version)
    if not_modified(request, headers, version.last_modified):
        return respond_not_modified(headers)
    names = resource.field_names
    if fmt == "csv":
        headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        if name == "providers" and session.get_bind().dialect.name == "postgresql":
            chunks = _copied(session, k=k, filters=filters, bom=bom)
        else:
            chunks = csv_chunks(names, _streamed(session, name, k=k, filters=filters), bom=bom)
        return stream(request, chunks, MEDIA["csv"], headers)
    if fmt == "ndjson":
        rows = _streamed(session, name, k=k, filters=filters)
        return stream(request, ndjson_chunks(names, rows), MEDIA["ndjson"], headers)
    key = resource.primary_key
    after = service.decode_cursor(name, cursor, resource.key_kinds) if cursor else None
    page = list(_rows(session, name, k=k, filters=filters, after=after, limit=limit + 1))
    items = [as_dict(names, row) for row in page[:limit]]
    next_cursor = (
        service.encode_cursor(name, [items[-1][f] for f in key]) if len(page) > limit else None
    )
    body = {
        "resource": name,
        "license": LICENSE["path"],
        "k": k,
        "items": items,
        "next_cursor": next_cursor,
    }
    return _json(body, request, headers)
