"""A real Celery worker process for the tests that need one (marked
`celery_worker`, on PostgreSQL with Redis): it reads the test database and
takes the tasks the test queues on the test's broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def celery_worker(
    name: str, *, pool: str = "solo", environment: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A worker named `name` with one process of `pool`, stopped (TERM, then
    KILL after 20 s) when the block ends; tasks stop running eagerly meanwhile."""
    from ipfin.celery import app

    app.conf.task_always_eager = False
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": app.conf.broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **(environment or {}),
    }
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "ipfin", "worker", f"--pool={pool}"),
            *("--concurrency=1", "--loglevel=WARNING", "--without-mingle", "--without-gossip"),
            f"--hostname={name}-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
