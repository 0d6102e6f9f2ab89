"""The shipped demo extract: one gzip-compressed JSON-lines file, built from ../shared/data.

Layout, one JSON object a line:
  1. a header (`"record": "header"`): format version, seed, reference date, the source
     corpora with origin, licence and citation, the mapping rules and the counts;
  2. providers (`"record": "provider"`), numbered by `"i"` from 0 in file order;
  3. reviews (`"record": "review"`), naming their provider by that number and their author
     by a resident number (0 … residents-1): residents are indices, nothing more.
The file is byte-for-byte reproducible: fixed seed, stable order, gzip mtime 0.
"""

import gzip
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict, cast

from haocha.core.settings import PROJECT_ROOT
from haocha.demo import sector_mapping
from haocha.demo.generate import DemoData, generate
from haocha.demo.levels import NEGATIVE_SPLIT, POSITIVE_SPLIT
from haocha.demo.plan import REFERENCE_DATE, SEED, WINDOW_END, WINDOW_START
from haocha.demo.sources import SOURCES, read_all

FORMAT = "haocha-demo-extract"
VERSION = 1
DEFAULT_EXTRACT = Path(__file__).resolve().parent / "data" / "extract.jsonl.gz"
DEFAULT_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
GENERATED_NOTE = (
    "Provider names, addresses and unified social credit codes are generated demo data and "
    "belong to no real business. Review texts and ratings are real, from the corpora listed "
    "under sources; their assignment to providers, authors and dates is generated."
)


class ProviderRecord(TypedDict):
    record: Literal["provider"]
    i: int
    name: str
    sector: str
    district: str
    address: str
    credit_code: str
    sells_prepaid: bool
    status: str
    opened: str  # ISO 8601 UTC, "Z"


class ReviewRecord(TypedDict):
    record: Literal["review"]
    provider: int
    resident: int
    level: int
    text: str
    source: str
    row: int
    created_at: str  # ISO 8601 UTC, "Z"
    service_date: str  # ISO date, China local
    dims: NotRequired[dict[str, int]]
    prepaid_cents: NotRequired[int]
    fill: NotRequired[str]  # set when the text tops up a sector short of close texts


@dataclass(frozen=True)
class Extract:
    header: dict[str, Any]
    providers: list[ProviderRecord]
    reviews: list[ReviewRecord]


@dataclass(frozen=True)
class ExtractSummary:
    path: Path
    size_bytes: int
    sha256: str
    providers: int
    reviews: int
    residents: int
    sectors: dict[str, dict[str, int]]


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _header(data: DemoData) -> dict[str, Any]:
    used = Counter(r.source for r in data.reviews)
    return {
        "record": "header",
        "format": FORMAT,
        "version": VERSION,
        "seed": SEED,
        "reference_date": REFERENCE_DATE.isoformat(),
        "window": {"from": _iso(WINDOW_START), "to": _iso(WINDOW_END)},
        "generated": GENERATED_NOTE,
        "sources": [
            {**s._asdict(), "reviews": used.get(s.name, 0)} for s in SOURCES if used.get(s.name)
        ],
        "levels": {
            "rated": "star or overall rating, rounded half up, clamped to 1-5",
            "positive": dict(POSITIVE_SPLIT),
            "negative": dict(NEGATIVE_SPLIT),
        },
        "rules": [
            {"sector": r.sector, "origins": sorted(r.origins), "matched": hits, "note": r.note}
            for r, hits in zip(sector_mapping.RULES, data.rule_hits, strict=True)
        ],
        "counts": {
            "providers": len(data.providers),
            "reviews": len(data.reviews),
            "residents": data.residents,
            "sectors": {code: asdict(c) for code, c in data.sectors.items()},
            "districts": dict(sorted(Counter(p.district for p in data.providers).items())),
        },
    }


def _lines(data: DemoData) -> Iterator[dict[str, Any]]:
    yield _header(data)
    for i, p in enumerate(data.providers):
        yield {
            "record": "provider",
            "i": i,
            "name": p.name,
            "sector": p.sector,
            "district": p.district,
            "address": p.address,
            "credit_code": p.credit_code,
            "sells_prepaid": p.sells_prepaid,
            "status": p.status,
            "opened": _iso(p.opened),
        }
    for r in data.reviews:
        line: dict[str, Any] = {
            "record": "review",
            "provider": r.provider,
            "resident": r.resident,
            "level": r.level,
            "text": r.text,
            "source": r.source,
            "row": r.row,
            "created_at": _iso(r.created_at),
            "service_date": r.service_date.isoformat(),
        }
        if r.dims:
            line["dims"] = r.dims
        if r.prepaid_cents is not None:
            line["prepaid_cents"] = r.prepaid_cents
        if r.fill is not None:
            line["fill"] = r.fill
        yield line


def build_extract(data_dir: Path = DEFAULT_DATA_DIR, out: Path = DEFAULT_EXTRACT) -> ExtractSummary:
    """Read the corpora in `data_dir`, generate the demo data set and write it to `out`."""
    if not data_dir.is_dir():
        raise FileNotFoundError(f"no review corpora at {data_dir} (see ../shared/data)")
    data = generate(read_all(data_dir), SEED)
    buffer = io.BytesIO()
    # mtime=0 and no file name in the gzip header, so equal content gives equal bytes.
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        for line in _lines(data):
            gz.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode())
            gz.write(b"\n")
    payload = buffer.getvalue()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(out)  # never leave a half-written extract where the loader looks
    return ExtractSummary(
        path=out,
        size_bytes=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
        providers=len(data.providers),
        reviews=len(data.reviews),
        residents=data.residents,
        sectors={code: asdict(c) for code, c in data.sectors.items()},
    )


def read_extract(path: Path = DEFAULT_EXTRACT) -> Extract:
    """Parse an extract, checking its format and that records come in the documented order."""
    header: dict[str, Any] | None = None
    providers: list[ProviderRecord] = []
    reviews: list[ReviewRecord] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            obj = json.loads(raw)
            kind = obj.get("record") if isinstance(obj, dict) else None
            if number == 1:
                if kind != "header" or obj.get("format") != FORMAT:
                    raise ValueError(f"{path} is not a {FORMAT} file")
                if obj.get("version") != VERSION:
                    raise ValueError(f"{path} has version {obj.get('version')}, need {VERSION}")
                header = obj
            elif kind == "provider" and not reviews and obj["i"] == len(providers):
                providers.append(cast(ProviderRecord, obj))
            elif kind == "review" and 0 <= obj["provider"] < len(providers):
                reviews.append(cast(ReviewRecord, obj))
            else:
                raise ValueError(f"{path} line {number}: unexpected {kind!r} record")
    if header is None:
        raise ValueError(f"{path} is empty")
    return Extract(header, providers, reviews)
