"""gunicorn's settings for the portal (`make prod`, README Production).

Read by `gunicorn -c deploy/gunicorn.conf.py ipfin.wsgi`. Each value may be
overridden from the environment; the defaults fit the machine's core count.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

_cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# One process per core, each with a few threads: a request mostly waits on
# PostgreSQL or Redis, and threads share a process's memory.
workers = int(os.environ.get("GUNICORN_WORKERS", _cores))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request still running after this many seconds is killed with its worker
# (nginx gives up at 60 s, so it answers 502 before that).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On restart or stop, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# A worker is replaced after about this many requests, the jitter keeping the
# workers from all restarting at once: whatever a library leaks is returned.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = max_requests // 10
# nginx on the same machine is the only client: trust its X-Forwarded-* headers.
forwarded_allow_ips = "127.0.0.1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(L)ss "%({x-request-id}i)s"'
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# gunicorn's control socket (`gunicornc`) would default to one per user: off,
# so several gunicorns on one machine (make prod, the benchmarks) never clash.
control_socket_disable = True


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exits leaves its Prometheus samples behind in
    PROMETHEUS_MULTIPROC_DIR: mark them dead, so gauges stop counting it."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
