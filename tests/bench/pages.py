"""`make bench`: page and API latency on the demo data, as ratios to `/healthz`.

Loads the shipped demo extract into a fresh SQLite file (and PostgreSQL unless
`--sqlite-only`), serves it with `haocha serve`, and prints p50/p95 per path.
"""

import argparse
import json
import os
import tempfile
from pathlib import Path

import psycopg
from sqlmodel import Session, col, select

from haocha.core.db import make_engine
from haocha.demo.load import load_demo
from haocha.providers.models import Provider
from tests.bench.harness import measure, server

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PATHS = (
    "/healthz",
    "/api/v1/providers?sector=fitness&limit=20",
    "/api/v1/providers?q=%E5%85%BB%E8%80%81&limit=20",
    "/api/v1/providers/{pid}",
    "/api/v1/providers/{pid}/reviews?limit=20",
    "/",
    "/sectors/fitness",
    "/providers/{pid}",
)


def _prepare(url: str) -> int:
    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415

    engine = make_engine(url)
    config = Config("alembic.ini")
    config.attributes["configure_logger"] = False
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with Session(engine) as session:
        load_demo(session, hash_key="bench")
        session.commit()
        busiest = session.exec(select(Provider.id).order_by(col(Provider.id))).first()
    engine.dispose()
    assert busiest is not None
    return busiest


def run(url: str, rounds: int) -> dict[str, object]:
    pid = _prepare(url)
    paths = [p.format(pid=pid) for p in PATHS]
    with server(
        {"HAOCHA_DATABASE_URL": url, "HAOCHA_REDIS_URL": os.environ.get("BENCH_REDIS", "")}
    ) as base:
        result = measure(base, paths, rounds=rounds)
    health = result["/healthz"]
    return {
        path: {
            "p50_ms": lat.p50_ms,
            "p95_ms": lat.p95_ms,
            "p95_vs_healthz": round(lat.ratio_to(health), 2),
        }
        for path, lat in result.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        report["sqlite"] = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.rounds)
    if not args.sqlite_only:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "haocha_bench" WITH (FORCE)')
            conn.execute('CREATE DATABASE "haocha_bench"')
        report["postgresql"] = run(
            "postgresql+psycopg://postgres@127.0.0.1:5432/haocha_bench", args.rounds
        )
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
