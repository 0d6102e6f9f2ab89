"""Benchmark harness: a real server in a subprocess, timed over loopback with httpx.

Timing on a shared 2-core machine is noisy, so every figure is reported next to `/healthz`
measured in the same run, interleaved request by request: a ratio survives noise that
absolute milliseconds do not.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Latency:
    path: str
    p50_ms: float
    p95_ms: float

    def ratio_to(self, base: "Latency") -> float:
        return self.p95_ms / base.p95_ms


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """`haocha serve` in a subprocess with `env` added; yields the base URL."""
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [
            sys.executable,
            "-m",
            "haocha.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env={**os.environ, "HAOCHA_LOG_LEVEL": "WARNING", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
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
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"server did not start:\n{err[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def measure(
    url: str, paths: Sequence[str], *, rounds: int = 300, warmup: int = 30
) -> dict[str, Latency]:
    """p50/p95 per path; requests interleaved so slow moments hit every path alike."""
    samples: dict[str, list[float]] = {p: [] for p in paths}
    with httpx.Client(base_url=url, timeout=30) as client:
        for i in range(warmup + rounds):
            for path in paths:
                start = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
                response.raise_for_status()
                if i >= warmup:
                    samples[path].append(elapsed)
    result = {}
    for path, values in samples.items():
        q = statistics.quantiles(values, n=100)
        result[path] = Latency(path, round(q[49], 2), round(q[94], 2))
    return result
