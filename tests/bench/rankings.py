"""`make bench-rankings`: a sector ranking page at 100,000 and 1,000,000 reviews.

For each size: a fresh PostgreSQL database filled from the demo's real texts, served
with Redis by `haocha serve`, and the p95 latency of the ranking pages measured
interleaved with `/healthz` in the same run. Targets (issue 4): the ranking page within
2x of /healthz, and growing by less than 20% from the smaller set to the larger.
"""

import argparse
import json
import time

from tests.bench.harness import measure, server
from tests.bench.scale_data import create_database, fill

REDIS = "redis://127.0.0.1:6379/14"
PATHS = (
    "/healthz",
    "/sectors/catering",
    "/sectors/catering?district=310115",
    "/api/v1/rankings/catering",
    "/api/v1/rankings/catering?district=310115&offset=20",
)


def run(size: int, rounds: int) -> dict[str, object]:
    started = time.perf_counter()
    url = create_database(f"haocha_bench_{size}")
    counts = fill(url, size)
    filled = round(time.perf_counter() - started, 1)
    env = {
        "HAOCHA_DATABASE_URL": url,
        "HAOCHA_REDIS_URL": REDIS,
        "HAOCHA_REDIS_PREFIX": f"bench{size}:",
    }
    with server(env) as base:
        result = measure(base, PATHS, rounds=rounds)
    health = result["/healthz"]
    return {
        "data": counts,
        "fill_seconds": filled,
        "latency": {
            path: {
                "p50_ms": lat.p50_ms,
                "p95_ms": lat.p95_ms,
                "p95_vs_healthz": round(lat.ratio_to(health), 2),
            }
            for path, lat in result.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=400)
    args = parser.parse_args()
    small, large = (run(size, args.rounds) for size in args.sizes)
    growth = {}
    for path in PATHS[1:]:
        a = small["latency"][path]  # type: ignore[index]
        b = large["latency"][path]  # type: ignore[index]
        growth[path] = {
            "p95_growth": round(b["p95_ms"] / a["p95_ms"] - 1, 3),
            "p95_vs_healthz_growth": round(b["p95_vs_healthz"] / a["p95_vs_healthz"] - 1, 3),
        }
    report = {str(args.sizes[0]): small, str(args.sizes[1]): large, "growth": growth}
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
