"""HTTP details of the feed that are not about data: conditional GET and gzip.

Kept out of the routes so each handler stays parse → service → respond."""

import hashlib
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from haocha.opendata.service import DataVersion

CACHE_CONTROL = "public, max-age=300"


def validators(request: Request, version: DataVersion) -> dict[str, str]:
    """ETag and Last-Modified of this representation: the data version plus the path and
    query (a filtered page is another representation). Weak, because a gzip-encoded and an
    identity response carry the same tag."""
    variant = hashlib.sha256(str(request.url.path + "?" + request.url.query).encode())
    tag = f'W/"{version.tag[:20]}-{variant.hexdigest()[:12]}"'
    return {
        "ETag": tag,
        "Last-Modified": format_datetime(version.last_modified, usegmt=True),
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
    }


def _strip_weak(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Request, headers: dict[str, str], last_modified: datetime) -> bool:
    """RFC 9110 §13.1: If-None-Match (weak comparison) decides when present; only
    without it does If-Modified-Since count."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        ours = _strip_weak(headers["ETag"])
        return any(_strip_weak(t) == ours for t in if_none_match.split(","))
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def respond_not_modified(headers: dict[str, str]) -> Response:
    return Response(status_code=304, headers=headers)


def accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # Level 5: most of level 9's size at a fraction of its time on a full export.
    compressor = zlib.compressobj(5, zlib.DEFLATED, 31)  # 31: gzip container
    for chunk in chunks:
        data = compressor.compress(chunk)
        if data:
            yield data
    yield compressor.flush()


def stream(
    request: Request, chunks: Iterable[bytes], media_type: str, headers: dict[str, str]
) -> StreamingResponse:
    """Stream `chunks`, gzip-compressed on the way when the client accepts it."""
    if accepts_gzip(request):
        return StreamingResponse(
            _gzipped(chunks), media_type=media_type, headers={**headers, "Content-Encoding": "gzip"}
        )
    return StreamingResponse(chunks, media_type=media_type, headers=headers)
