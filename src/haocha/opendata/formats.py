"""CSV and NDJSON encoders over row iterators, a batch of rows per chunk.

A chunk per row would cost a thread hop per row in the streaming response (a sync
iterator is advanced in the thread pool); a few hundred rows per chunk keep the export
fast while memory stays at one chunk."""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

CHUNK_ROWS = 500
BOM = "\ufeff"


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""  # the Table Schemas' missing value
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value


def csv_chunks(names: list[str], rows: Iterable[tuple[Any, ...]], *, bom: bool) -> Iterator[bytes]:
    """UTF-8 CSV: RFC 4180 quoting, LF line ends as PostgreSQL's COPY writes them. `bom`
    prefixes a byte-order mark, which Excel needs to read UTF-8; it is off by default
    because other CSV readers take it for part of the first column's name."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if bom:
        buffer.write(BOM)
    writer.writerow(names)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(v) for v in row])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def as_dict(names: list[str], row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(names, row, strict=True))


def ndjson_chunks(names: list[str], rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    lines: list[str] = []
    for row in rows:
        lines.append(json.dumps(as_dict(names, row), ensure_ascii=False))
        if len(lines) == CHUNK_ROWS:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()
