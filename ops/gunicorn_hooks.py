"""gunicorn's hooks for the metrics of several worker processes: pass
`-c python:ops.gunicorn_hooks`, or import child_exit into a gunicorn config.

With PROMETHEUS_MULTIPROC_DIR set, each worker keeps its values in that
directory; when one exits, prometheus_client is told, so the live gauges
of a dead process are dropped (its counters are kept: they still count).
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import multiprocess


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
