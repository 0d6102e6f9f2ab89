"""`make bench-opendata`: a full CSV export of 100,000 providers from /open/v1.

A fresh PostgreSQL database gets 100,000 providers and their score rows by COPY (the
export reads the provider and provider_stats tables, not the reviews), a few hundred
sanctions, then `haocha serve` runs in a subprocess whose peak resident memory (VmHWM
in /proc/<pid>/status) is read before and after the exports. Targets (issue 7): at least
50,000 rows/s and under 200 MB peak RSS for the server process.

The server runs as deployed on PostgreSQL: with Redis, so the review scoring belongs to the
worker and the web process holds no model (`--redis-url ""` serves without Redis, the web
process then scores reviews itself and loads the model and scikit-learn at startup).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import psycopg

from haocha.core import clock
from haocha.core.db import make_engine
from tests.bench.harness import free_port
from tests.bench.scale_data import _copy_providers, create_database

TARGET_ROWS_PER_S = 50_000
TARGET_RSS_MB = 200


def fill(url: str, providers: int, *, seed: int = 7) -> None:
    from alembic import command  # noqa: PLC0415
    from alembic.config import Config  # noqa: PLC0415

    engine = make_engine(url)
    config = Config("alembic.ini")
    config.attributes["configure_logger"] = False
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    engine.dispose()
    rng = random.Random(seed)
    raw = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw) as conn:
        start = _copy_providers(conn, providers, rng)
        _copy_stats(conn, range(start, start + providers), rng)
        _add_sanctions(conn, range(start, start + providers), rng)
        conn.commit()
        conn.execute("ANALYZE")


def _copy_stats(conn: psycopg.Connection, ids: range, rng: random.Random) -> None:
    today = clock.today_local().toordinal()
    now = datetime.now(UTC)
    with conn.cursor().copy(
        "COPY provider_stats (provider_id, count_1, count_2, count_3, count_4, count_5, "
        "w, wx, wx2, w2, score, score_low, score_high, scored_on, ranked, last_review_at) "
        "FROM STDIN"
    ) as copy:
        for pid in ids:
            counts = [rng.randrange(0, 12) for _ in range(5)]
            score = round(rng.uniform(2.5, 4.9), 6)
            copy.write_row(
                (
                    pid,
                    *counts,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    score,
                    score - 0.3,
                    min(5.0, score + 0.3),
                    today,
                    sum(counts) >= 5,
                    now - timedelta(days=rng.randrange(0, 700)),
                )
            )
    conn.execute(
        "UPDATE provider_stats SET sector_code = p.sector_code, district_code = p.district_code "
        "FROM provider p WHERE p.id = provider_stats.provider_id"
    )


def _add_sanctions(conn: psycopg.Connection, ids: range, rng: random.Random) -> None:
    conn.execute(
        "INSERT INTO regulator (id, username, display_name, password_hash, role, sectors, "
        "districts, failed_logins, is_active, created_at) VALUES (1, 'bench', '基准', '!', "
        "'admin', '[]', '[]', 0, true, now())"
    )
    with conn.cursor().copy(
        "COPY sanction (kind, provider_id, sector_code, district_code, text, legal_basis, "
        "starts_on, lift_reason, created_by, created_at) FROM STDIN"
    ) as copy:
        for pid in rng.sample(list(ids), 500):
            kind = rng.choice(("warning", "blacklist"))
            copy.write_row(
                (kind, pid, "", "", "基准提示", "", clock.today_local(), "", 1, datetime.now(UTC))
            )


@contextmanager
def serve(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """`haocha serve` (one process, no reloader) in a subprocess: (base URL, its pid)."""
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [sys.executable, "-m", "haocha.cli", "serve", "--port", str(port)],
        env={**os.environ, "HAOCHA_LOG_LEVEL": "WARNING", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def memory_mb(pid: int) -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of the process, in MB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = round(int(rest.split()[0]) / 1024, 1)
    return values


def export(url: str, path: str, *, gzip: bool) -> dict[str, float]:
    headers = {"Accept-Encoding": "gzip" if gzip else "identity"}
    started = time.perf_counter()
    wire = 0
    with (
        httpx.Client(timeout=300) as client,
        client.stream("GET", url + path, headers=headers) as r,
    ):
        r.raise_for_status()
        for chunk in r.iter_raw():
            wire += len(chunk)
    elapsed = time.perf_counter() - started
    # Rows counted on a second, decoded download, outside the timed one.
    lines = httpx.get(url + path, timeout=300).text.count("\n")
    rows = lines - 1 if path.endswith(".csv") else lines  # a CSV starts with its header
    return {
        "rows": rows,
        "seconds": round(elapsed, 2),
        "rows_per_s": round(rows / elapsed),
        "mb_on_wire": round(wire / 1e6, 1),
    }


def conditional_get_ms(url: str, path: str, *, rounds: int = 20) -> float:
    """Median time of a conditional GET answered 304: the cost of the validator alone."""
    with httpx.Client(base_url=url, timeout=60) as client:
        etag = client.get(path).headers["etag"]
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.get(path, headers={"If-None-Match": etag})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 304
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--providers", type=int, default=100_000)
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help='the server\'s Redis ("" for none: the web process then scores reviews itself)',
    )
    args = parser.parse_args()
    started = time.perf_counter()
    url = create_database("haocha_bench_opendata")
    fill(url, args.providers)
    filled = round(time.perf_counter() - started, 1)
    results: dict[str, object] = {
        "providers": args.providers,
        "fill_seconds": filled,
        "redis": bool(args.redis_url),
    }
    env = {"HAOCHA_DATABASE_URL": url}
    if args.redis_url:
        env["HAOCHA_REDIS_URL"] = args.redis_url
    with serve(env) as (base, pid):
        httpx.get(base + "/open/v1/providers.json?limit=10", timeout=60).raise_for_status()
        results["rss_before_mb"] = memory_mb(pid)
        for name, path, gz in (
            ("csv", "/open/v1/providers.csv", False),
            ("csv_gzip", "/open/v1/providers.csv", True),
            ("ndjson", "/open/v1/providers.ndjson", False),
        ):
            results[name] = export(base, path, gzip=gz)
        results["rss_after_mb"] = memory_mb(pid)
        results["conditional_get_304_ms"] = conditional_get_ms(base, "/open/v1/providers.csv")
    peak = results["rss_after_mb"]["VmHWM"]  # type: ignore[index]
    csv_rate = results["csv"]["rows_per_s"]  # type: ignore[index]
    results["targets"] = {
        "rows_per_s >= 50000": csv_rate >= TARGET_ROWS_PER_S,
        "peak_rss_mb < 200": peak < TARGET_RSS_MB,
    }
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
