"""Fill a PostgreSQL database to a given number of reviews for benchmarks.

Starts from the demo data (real texts) and adds providers, residents and reviews whose
texts are drawn from the demo's real texts, with PostgreSQL's COPY for speed. The
scores are then computed by the same rebuild the CLI runs."""

import random
from datetime import UTC, datetime, timedelta

import psycopg
from sqlmodel import Session

from haocha.core.db import make_engine
from haocha.core.security import keyed_hash
from haocha.demo.extract import read_extract
from haocha.demo.load import load_demo
from haocha.providers.credit_code import check_character
from haocha.providers.reference import DISTRICTS, SECTORS
from haocha.scoring.rebuild import rebuild

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
REVIEWS_PER_PROVIDER = 40  # the demo's busiest sectors average about this
REVIEWS_PER_RESIDENT = 20


def create_database(name: str) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def fill(url: str, reviews: int, *, seed: int = 5) -> dict[str, int]:
    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415

    engine = make_engine(url)
    config = Config("alembic.ini")
    config.attributes["configure_logger"] = False
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with Session(engine) as session:
        counts = load_demo(session, hash_key="bench")
        session.commit()
    extra_reviews = max(0, reviews - counts.reviews)
    extra_providers = max(0, reviews // REVIEWS_PER_PROVIDER - counts.providers)
    extra_residents = max(0, reviews // REVIEWS_PER_RESIDENT - counts.residents)
    rng = random.Random(seed)
    texts = [(r["text"], r["level"]) for r in read_extract().reviews]
    raw = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw) as conn:
        first_provider = _copy_providers(conn, extra_providers, rng)
        provider_ids = list(range(1, first_provider + extra_providers))
        first_resident = _copy_residents(conn, extra_residents)
        resident_ids = list(range(1, first_resident + extra_residents))
        _copy_reviews(conn, extra_reviews, provider_ids, resident_ids, texts, rng)
        conn.commit()
    with Session(engine) as session:
        rebuild(session, with_priors=True)
        session.commit()
    engine.dispose()
    return {
        "providers": counts.providers + extra_providers,
        "reviews": counts.reviews + extra_reviews,
        "residents": counts.residents + extra_residents,
    }


def _next_id(conn: psycopg.Connection, table: str) -> int:
    row = conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()  # noqa: S608
    assert row is not None
    return int(row[0])


def _copy_providers(conn: psycopg.Connection, n: int, rng: random.Random) -> int:
    start = _next_id(conn, "provider")
    now = datetime.now(UTC)
    with conn.cursor().copy(
        "COPY provider (id, name, sector_code, district_code, address, credit_code, "
        "sells_prepaid, status, is_demo, created_at, updated_at) FROM STDIN"
    ) as copy:
        for i in range(n):
            pid = start + i
            sector = SECTORS[pid % len(SECTORS)].code
            district = DISTRICTS[rng.randrange(len(DISTRICTS))].code
            body = f"92{district}B{pid:08d}"[:17]
            copy.write_row(
                (
                    pid,
                    f"基准测试机构{pid}号",
                    sector,
                    district,
                    f"基准路{pid}号",
                    body + check_character(body),
                    False,
                    "active",
                    True,
                    now,
                    now,
                )
            )
    conn.execute("SELECT setval('provider_id_seq', (SELECT max(id) FROM provider))")
    return start


def _copy_residents(conn: psycopg.Connection, n: int) -> int:
    start = _next_id(conn, "resident")
    now = datetime.now(UTC)
    with conn.cursor().copy(
        "COPY resident (id, phone_hash, is_demo, created_at) FROM STDIN"
    ) as copy:
        for i in range(n):
            rid = start + i
            copy.write_row((rid, keyed_hash("bench", "bench-resident", str(rid)), True, now))
    conn.execute("SELECT setval('resident_id_seq', (SELECT max(id) FROM resident))")
    return start


def _copy_reviews(
    conn: psycopg.Connection,
    n: int,
    provider_ids: list[int],
    resident_ids: list[int],
    texts: list[tuple[str, int]],
    rng: random.Random,
) -> None:
    end = datetime.now(UTC)
    span = timedelta(days=730).total_seconds()
    with conn.cursor().copy(
        "COPY review (provider_id, resident_id, level, text, prepaid, status, verified, "
        "source, created_at) FROM STDIN"
    ) as copy:
        for _ in range(n):
            text, level = texts[rng.randrange(len(texts))]
            copy.write_row(
                (
                    rng.choice(provider_ids),
                    rng.choice(resident_ids),
                    level,
                    text,
                    False,
                    "published",
                    rng.random() < 0.1,
                    "bench",
                    end - timedelta(seconds=rng.random() * span),
                )
            )
