"""Load the shipped demo extract into the database (`haocha demo`).

Bulk Core-style inserts in chunks keep this to a few seconds on SQLite. Ids are left to the
database and read back by natural keys (credit code, phone hash), so it works the same on
SQLite and PostgreSQL. The caller owns the transaction: this flushes and never commits.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from haocha.accounts.models import Resident
from haocha.core.security import keyed_hash
from haocha.core.settings import Settings
from haocha.demo.extract import DEFAULT_EXTRACT, Extract, read_extract
from haocha.providers.account_service import store_phone
from haocha.providers.models import District, Provider, ProviderStatus, Sector
from haocha.reviews.models import DEMO_SOURCE, Review, ReviewStatus
from haocha.scoring.rebuild import rebuild

CHUNK = 5000
RESIDENT_PURPOSE = "demo-resident"  # keyed-hash purpose: demo residents have no phone at all

T = TypeVar("T")


@dataclass(frozen=True)
class DemoCounts:
    providers: int
    reviews: int
    residents: int
    sectors_covered: int


def _chunks(rows: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(session: Session, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        session.exec(insert(table), params=list(chunk))


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)  # "…Z" parses as UTC-aware


def demo_counts(session: Session) -> DemoCounts:
    """What demo data the database holds now."""
    is_demo = col(Provider.is_demo).is_(True)
    providers = session.exec(select(func.count()).select_from(Provider).where(is_demo)).one()
    reviews = session.exec(
        select(func.count())
        .select_from(Review)
        .join(Provider, col(Review.provider_id) == col(Provider.id))
        .where(is_demo, col(Review.source) == DEMO_SOURCE)
    ).one()
    residents = session.exec(
        select(func.count()).select_from(Resident).where(col(Resident.is_demo).is_(True))
    ).one()
    sectors = session.exec(
        select(func.count(func.distinct(Provider.sector_code))).where(is_demo)
    ).one()
    return DemoCounts(providers, reviews, residents, sectors)


def _check_reference_data(session: Session, extract: Extract) -> None:
    sectors = set(session.exec(select(Sector.code)).all())
    districts = set(session.exec(select(District.code)).all())
    missing = sorted({p["sector"] for p in extract.providers} - sectors) + sorted(
        {p["district"] for p in extract.providers} - districts
    )
    if missing:
        raise RuntimeError(
            f"sectors/districts {', '.join(missing)} are missing: run the migrations first"
        )


def _load_residents(session: Session, extract: Extract, hash_key: str) -> dict[int, int]:
    """Demo residents by extract index → database id. A resident joined with their first
    review; those who never reviewed joined at the start of the window."""
    count = int(extract.header["counts"]["residents"])
    window_start = _when(extract.header["window"]["from"])
    first: dict[int, datetime] = {}
    for r in extract.reviews:
        at = _when(r["created_at"])
        if r["resident"] not in first or at < first[r["resident"]]:
            first[r["resident"]] = at
    joined = [first.get(i, window_start) for i in range(count)]
    hashes = [keyed_hash(hash_key, RESIDENT_PURPOSE, str(i)) for i in range(count)]
    existing = set(
        session.exec(select(Resident.phone_hash).where(col(Resident.is_demo).is_(True))).all()
    )
    _insert(
        session,
        Resident,
        [
            {"phone_hash": h, "is_demo": True, "created_at": joined[i]}
            for i, h in enumerate(hashes)
            if h not in existing
        ],
    )
    ids = dict(
        session.exec(
            select(Resident.phone_hash, Resident.id).where(col(Resident.is_demo).is_(True))
        ).all()
    )
    return {i: _required(ids.get(h)) for i, h in enumerate(hashes)}


def _required(value: int | None) -> int:
    if value is None:
        raise RuntimeError("a demo row was not stored")
    return value


def demo_phone(index: int) -> str:
    """The made-up registered phone of the index-th demo provider (a 170 number: the
    virtual-operator range). Shown nowhere; a claim texts its code to the file outbox."""
    return f"170{index:08d}"


def _load_providers(session: Session, extract: Extract, settings: Settings) -> list[int]:
    phones = [store_phone(settings, demo_phone(i)) for i in range(len(extract.providers))]
    rows = [
        {
            "name": p["name"],
            "sector_code": p["sector"],
            "district_code": p["district"],
            "address": p["address"],
            "credit_code": p["credit_code"],
            "sells_prepaid": p["sells_prepaid"],
            "status": ProviderStatus(p["status"]).value,
            "is_demo": True,
            "created_at": _when(p["opened"]),
            "updated_at": _when(p["opened"]),
            "phone_hash": phone.hash,
            "phone_encrypted": phone.encrypted,
        }
        for p, phone in zip(extract.providers, phones, strict=True)
    ]
    _insert(session, Provider, rows)
    ids = dict(
        session.exec(
            select(Provider.credit_code, Provider.id).where(col(Provider.is_demo).is_(True))
        ).all()
    )
    return [_required(ids.get(p["credit_code"])) for p in extract.providers]


def _review_rows(
    extract: Extract, provider_ids: list[int], resident_ids: dict[int, int]
) -> Iterable[dict[str, Any]]:
    for r in extract.reviews:
        dims = r.get("dims", {})
        cents = r.get("prepaid_cents")
        yield {
            "provider_id": provider_ids[r["provider"]],
            "resident_id": resident_ids[r["resident"]],
            "level": r["level"],
            "dim_attitude": dims.get("attitude"),
            "dim_quality": dims.get("quality"),
            "dim_price": dims.get("price"),
            "dim_environment": dims.get("environment"),
            "text": r["text"],
            "prepaid": cents is not None,
            "prepaid_amount_cents": cents,
            "service_date": date.fromisoformat(r["service_date"]),
            "status": ReviewStatus.published.value,
            "verified": False,
            "source": DEMO_SOURCE,
            "created_at": _when(r["created_at"]),
        }


def load_demo(
    session: Session,
    path: Path = DEFAULT_EXTRACT,
    *,
    hash_key: str,
    settings: Settings | None = None,
) -> DemoCounts:
    """Insert the demo residents, providers and reviews and score them, unless demo providers
    are already there (then nothing changes and the existing counts come back).

    `settings` holds the keys for the providers' registered phones (keyed hash, Fernet
    copy); None means the development keys with `hash_key`."""
    already = session.exec(
        select(Provider.id).where(col(Provider.is_demo).is_(True)).limit(1)
    ).first()
    if already is not None:
        return demo_counts(session)
    extract = read_extract(path)
    _check_reference_data(session, extract)
    resident_ids = _load_residents(session, extract, hash_key)
    provider_ids = _load_providers(session, extract, settings or Settings(hash_key=hash_key))
    reviews = list(_review_rows(extract, provider_ids, resident_ids))
    _insert(session, Review, reviews)
    session.flush()
    # The scores come from the same code that maintains them for live reviews.
    rebuild(session, with_priors=True)
    return demo_counts(session)
