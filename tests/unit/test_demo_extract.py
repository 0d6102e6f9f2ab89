"""The shipped demo extract: its shape, its rules, reproducibility, and loading it."""

import gzip
import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert
from sqlmodel import Session, SQLModel, col, create_engine, select

from haocha.accounts.models import Resident
from haocha.core.clock import CHINA_TZ
from haocha.demo.extract import (
    DEFAULT_DATA_DIR,
    DEFAULT_EXTRACT,
    Extract,
    build_extract,
    read_extract,
)
from haocha.demo.load import load_demo
from haocha.models import import_all_models
from haocha.providers import credit_code
from haocha.providers.models import District, Provider, Sector
from haocha.providers.reference import DISTRICT_CODES, DISTRICTS, SECTOR_CODES, SECTORS
from haocha.reviews.models import MAX_TEXT, Review
from haocha.scoring.models import ProviderStats

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def extract() -> Extract:
    return read_extract(DEFAULT_EXTRACT)


def test_extract_is_a_few_megabytes() -> None:
    assert 1_000_000 < DEFAULT_EXTRACT.stat().st_size < 8_000_000
    assert (DEFAULT_EXTRACT.parent / "ATTRIBUTION.md").is_file()


def test_header_names_sources_and_generated_fields(extract: Extract) -> None:
    header = extract.header
    assert header["reference_date"] == "2026-10-31"
    assert "generated demo data" in header["generated"]
    names = {s["name"] for s in header["sources"]}
    assert {"waimai_10k", "chnsenticorp_htl", "online_shopping", "dp_cdc"} <= names
    assert all(s["licence"] and s["origin"] and s["citation"] for s in header["sources"])
    assert not any("spam" in n or "movielens" in n for n in names)
    counts = header["counts"]
    assert counts["providers"] == len(extract.providers)
    assert counts["reviews"] == len(extract.reviews)


def test_providers_cover_all_sectors_and_districts(extract: Extract) -> None:
    providers = extract.providers
    assert len(providers) >= 2000
    assert {p["sector"] for p in providers} == SECTOR_CODES
    assert {p["district"] for p in providers} == DISTRICT_CODES
    assert len({p["name"] for p in providers}) == len(providers)
    closed = sum(p["status"] == "closed" for p in providers)
    assert 0 < closed < len(providers) * 0.05


def test_credit_codes_are_valid_unique_and_match_the_district(extract: Extract) -> None:
    codes = [p["credit_code"] for p in extract.providers]
    assert len(set(codes)) == len(codes)
    for p in extract.providers:
        code = p["credit_code"]
        assert credit_code.is_valid(code), code
        assert code[2:8] == p["district"]
        assert code[0] in "915"


def test_reviews_are_real_texts_without_repeat_authors(extract: Extract) -> None:
    reviews = extract.reviews
    assert len(reviews) >= 20_000
    assert all(0 < len(r["text"].strip()) <= MAX_TEXT for r in reviews)
    assert all(1 <= r["level"] <= 5 for r in reviews)
    assert all(r["source"] and r["row"] >= 1 for r in reviews)
    pairs = Counter((r["provider"], r["resident"]) for r in reviews)
    assert max(pairs.values()) == 1
    sources = {(r["source"], r["row"]) for r in reviews}
    assert len(sources) == len(reviews)  # no source text used twice
    residents = extract.header["counts"]["residents"]
    assert all(0 <= r["resident"] < residents for r in reviews)


def test_reviews_per_provider_are_skewed(extract: Extract) -> None:
    per_provider = Counter(r["provider"] for r in extract.reviews)
    assert len(per_provider) == len(extract.providers)
    counts = sorted(per_provider.values())
    assert counts[len(counts) // 2] <= 10  # most have a handful
    assert counts[-1] >= 100  # a few have hundreds


def test_times_lie_in_the_window_with_service_before_review(extract: Extract) -> None:
    window = extract.header["window"]
    for r in extract.reviews:
        assert window["from"] <= r["created_at"] < window["to"]
        # The service date is a local (China) date, 0-10 days before the review.
        local = datetime.fromisoformat(r["created_at"]).astimezone(CHINA_TZ).date()
        assert 0 <= (local - date.fromisoformat(r["service_date"])).days <= 10


def test_dimensions_and_prepaid_are_plausible(extract: Extract) -> None:
    sectors = {s.code: s for s in SECTORS}
    with_dims = [r for r in extract.reviews if "dims" in r]
    assert with_dims
    assert all(r["source"] == "dp_cdc" for r in with_dims)
    assert all(1 <= v <= 5 for r in with_dims for v in r["dims"].values())
    for r in extract.reviews:
        if "prepaid_cents" in r:
            provider = extract.providers[r["provider"]]
            assert provider["sells_prepaid"]
            assert sectors[provider["sector"]].prepaid_risk
            assert r["prepaid_cents"] > 0


def _lines(path: Path) -> Iterator[object]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


@pytest.mark.skipif(not DEFAULT_DATA_DIR.is_dir(), reason="../shared/data is not here")
def test_rebuild_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "extract.jsonl.gz"
    summary = build_extract(DEFAULT_DATA_DIR, out)
    assert summary.providers >= 2000
    assert summary.reviews >= 20_000
    if out.read_bytes() != DEFAULT_EXTRACT.read_bytes():
        # Equal content is what matters; say where it first differs.
        for number, (new, shipped) in enumerate(
            zip(_lines(out), _lines(DEFAULT_EXTRACT), strict=True), start=1
        ):
            assert new == shipped, f"line {number} differs"


@pytest.fixture
def engine() -> Engine:
    import_all_models()
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        # The migration seeds these in a real database.
        session.exec(
            insert(Sector),
            params=[{**s._asdict(), "sort_order": i} for i, s in enumerate(SECTORS)],
        )
        session.exec(insert(District), params=[d._asdict() for d in DISTRICTS])
        session.commit()
    return engine


def test_load_demo_inserts_everything_once(engine: Engine, extract: Extract) -> None:
    with Session(engine) as session:
        counts = load_demo(session, hash_key="test-key")
        session.commit()
        assert counts.providers == len(extract.providers)
        assert counts.reviews == len(extract.reviews)
        assert counts.residents == extract.header["counts"]["residents"]
        assert counts.sectors_covered == 12

        per_provider = dict(
            session.exec(
                select(Review.provider_id, func.count()).group_by(col(Review.provider_id))
            ).all()
        )
        stats = session.exec(select(ProviderStats)).all()
        assert len(stats) == counts.providers
        for row in stats:
            assert row.total == per_provider.get(row.provider_id, 0)
            assert row.last_review_at is not None
        assert session.exec(select(func.count()).select_from(Resident)).one() == counts.residents
        demo = session.exec(select(Provider).limit(1)).one()
        assert demo.is_demo
        review = session.exec(select(Review).limit(1)).one()
        assert review.source == "demo"
        assert review.status == "published"

        again = load_demo(session, hash_key="test-key")
        assert again == counts
        assert session.exec(select(func.count()).select_from(Review)).one() == counts.reviews
