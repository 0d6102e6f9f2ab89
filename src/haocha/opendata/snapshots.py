"""Dated snapshots of the open CSV files, so an analysis can cite and re-read the data of
a given day after the live files have moved on.

A snapshot is what the live feed served when the job ran (China-time date), written once
and never rewritten: files go to a temporary folder first and the folder is renamed into
place, so a reader never sees half a snapshot. Run daily, shortly after midnight China
time, after the scores' daily rescoring:

    python -m haocha.opendata.snapshots        # e.g. from cron: 30 0 * * *
"""

import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlmodel import Session

from haocha.core import clock
from haocha.core.errors import NotFound
from haocha.opendata import service
from haocha.opendata.formats import csv_chunks
from haocha.opendata.schema import RESOURCES

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SnapshotNotFound(NotFound):
    pass


def _rows(session: Session, resource: str, k: int) -> Iterator[service.Row]:
    if resource == "providers":
        return service.provider_rows(session, k=k)
    if resource == "sanctions":
        return service.sanction_rows(session)
    return service.cell_rows(session, k=k)


def write_snapshot(session: Session, directory: Path, *, k: int, day: date | None = None) -> Path:
    """Write every resource's CSV for `day` (default: today in China); an existing
    snapshot of that day is kept as it is, since a cited snapshot must not change."""
    day = day or clock.today_local()
    target = directory / day.isoformat()
    if target.exists():
        return target
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{day.isoformat()}-", dir=directory))
    try:
        for name, resource in RESOURCES.items():
            with (staging / f"{name}.csv").open("wb") as out:
                for chunk in csv_chunks(resource.field_names, _rows(session, name, k), bom=False):
                    out.write(chunk)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def snapshot_days(directory: Path) -> list[str]:
    """The dates with a complete snapshot, newest first."""
    if not directory.is_dir():
        return []
    return sorted(
        (p.name for p in directory.iterdir() if p.is_dir() and DAY.match(p.name)), reverse=True
    )


def snapshot_file(directory: Path, day: str, filename: str) -> Path:
    """The stored file, or SnapshotNotFound; the names are checked against the known
    days and resources, so no request can reach outside the snapshot folder."""
    name, _, fmt = filename.rpartition(".")
    if fmt != "csv" or name not in RESOURCES or day not in snapshot_days(directory):
        raise SnapshotNotFound()
    path = directory / day / filename
    if not path.is_file():
        raise SnapshotNotFound()
    return path


def main() -> None:
    from haocha.core.db import session_scope  # noqa: PLC0415 - only the job needs a database
    from haocha.core.settings import get_settings  # noqa: PLC0415

    settings = get_settings()
    for session in session_scope():
        path = write_snapshot(
            session, settings.open_data_snapshot_dir, k=settings.open_data_min_reviews
        )
        print(path)


if __name__ == "__main__":
    main()
