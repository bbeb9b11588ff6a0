"""Shared pieces of the benchmarks: Django set-up, a load driver, percentiles."""

from __future__ import annotations

import http.client
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH_DB = "postgres://postgres@127.0.0.1:5432/ipfin_bench"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipfin.settings")
    os.environ.setdefault("DATABASE_URL", DEFAULT_BENCH_DB)
    import django

    django.setup()


@dataclass
class LoadResult:
    label: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    addresses: int = 1  # distinct addresses asked for

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def line(self) -> str:
        return (
            f"{self.label:<34} {self.rps:8.1f} req/s  p50 {self.percentile(50):6.1f} ms  "
            f"p99 {self.percentile(99):6.1f} ms  errors {self.errors}"
        )


def drive(
    *,
    label: str,
    host: str,
    port: int,
    path: str | Sequence[str],
    headers: dict[str, str] | None = None,
    clients: int = 4,
    seconds: float = 10.0,
    warmup: float = 2.0,
    seed: int = 1,
) -> LoadResult:
    """`clients` threads, each on one keep-alive connection, GET `path` in a loop
    for `seconds` after a warm-up; every latency is kept. Given several paths,
    each request picks one at random (the same picks for the same seed)."""
    paths = [path] if isinstance(path, str) else list(path)
    latencies: list[float] = []
    errors = 0
    asked: set[str] = set()
    lock = threading.Lock()
    start_at = time.monotonic() + warmup
    stop_at = start_at + seconds

    def client(number: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, port, timeout=30)
        picks = random.Random(seed * 1000 + number)
        mine: list[float] = []
        seen: set[str] = set()
        failures = 0
        while True:
            began = time.monotonic()
            if began >= stop_at:
                break
            path = paths[picks.randrange(len(paths))] if len(paths) > 1 else paths[0]
            if began >= start_at:
                seen.add(path)
            try:
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
            ended = time.monotonic()
            if began >= start_at:
                if ok:
                    mine.append((ended - began) * 1000)
                else:
                    failures += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failures
            asked.update(seen)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(label, len(latencies), errors, seconds, latencies, len(asked))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
