"""Prometheus metrics at /metrics/ (README, Metrics and logs).

django-prometheus's middleware counts requests by view and status and times
them; its database metrics (django_db_*) are fed here by an execute wrapper
installed on every new connection, so the database engines stay Django's own.
Celery tasks' outcomes are counted from Celery's signals, in the process that
ran them; the queues' lengths are read from Redis when Prometheus scrapes.
The portal's own counters are in core.metrics.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR names a directory where every process
(gunicorn's workers, and Celery's on the same machine) keeps its values; a
scrape adds them up. Without it the one process's values are exported.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterator
from typing import Any

import redis
from celery import current_app
from celery.signals import task_failure, task_retry, task_success
from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpRequest
from django_prometheus.db import errors_total, execute_many_total, execute_total
from django_prometheus.db import query_duration_seconds as query_duration
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.clients import client_address

logger = logging.getLogger(__name__)

TASKS = Counter(
    "ipfin_celery_tasks_total",
    "Celery tasks that ended, by task name and outcome (success, failure, retry).",
    ["task", "outcome"],
)


# --- the database


def count_query(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    connection: BaseDatabaseWrapper = context["connection"]
    labels = {"alias": connection.alias, "vendor": connection.vendor}
    statements = len(params) if many and params is not None else 1
    execute_total.labels(**labels).inc(statements)
    if many:
        execute_many_total.labels(**labels).inc(statements)
    with query_duration.labels(**labels).time():
        try:
            return execute(sql, params, many, context)
        except Exception as exc:
            errors_total.labels(type=type(exc).__name__, **labels).inc()
            raise


@receiver(connection_created)
def _count_queries(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    # The wrappers list outlives a reconnection (CONN_MAX_AGE): add it once.
    if count_query not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_query)


# --- Celery


def _task_name(sender: Any) -> str:
    return str(getattr(sender, "name", sender))


@task_success.connect
def _task_succeeded(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), outcome="success").inc()


@task_failure.connect
def _task_failed(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), outcome="failure").inc()


@task_retry.connect
def _task_retried(sender: Any = None, **kwargs: Any) -> None:
    TASKS.labels(task=_task_name(sender), outcome="retry").inc()


def queue_names() -> list[str]:
    """The default queue and every queue CELERY_TASK_ROUTES sends tasks to."""
    conf = current_app.conf
    names = {str(conf.task_default_queue)}
    routes = conf.task_routes or {}
    for route in routes.values() if isinstance(routes, dict) else ():
        if isinstance(route, str):
            names.add(route)
        elif isinstance(route, dict) and route.get("queue"):
            names.add(str(route["queue"]))
    return sorted(names)


# Kombu's Redis transport keeps a queue's messages of priority 3, 6 and 9 in
# lists of their own, named "<queue>\x06\x16<priority>".
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITIES = ("3", "6", "9")


class QueueLengthCollector(Collector):
    """ipfin_celery_queue_length: messages waiting in each queue, read at
    scrape time. Absent when the broker is not Redis or cannot be reached."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        broker = str(current_app.conf.broker_url or "")
        if not broker.startswith(("redis://", "rediss://", "unix://")):
            return
        names = queue_names()
        try:
            client = redis.Redis.from_url(broker, socket_timeout=1, socket_connect_timeout=1)
            with client.pipeline(transaction=False) as pipe:
                for name in names:
                    for key in (name, *(f"{name}{PRIORITY_SEPARATOR}{p}" for p in PRIORITIES)):
                        pipe.llen(key)
                lengths = pipe.execute()
            client.close()
        except redis.RedisError as exc:
            logger.warning("metrics: the queue lengths could not be read: %s", exc)
            return
        family = GaugeMetricFamily(
            "ipfin_celery_queue_length", "Messages waiting in each Celery queue.", labels=["queue"]
        )
        per_queue = 1 + len(PRIORITIES)
        for index, name in enumerate(names):
            family.add_metric([name], sum(lengths[index * per_queue : (index + 1) * per_queue]))
        yield family


# --- the page


def registry() -> CollectorRegistry:
    """What one scrape exports: every process's values when they share a
    PROMETHEUS_MULTIPROC_DIR, else this process's; and the queues' lengths."""
    scraped = CollectorRegistry()
    if settings.PROMETHEUS_MULTIPROC_DIR:
        multiprocess.MultiProcessCollector(scraped, path=settings.PROMETHEUS_MULTIPROC_DIR)
    else:
        scraped.register(REGISTRY)
    scraped.register(QueueLengthCollector())
    return scraped


def may_scrape(request: HttpRequest) -> bool:
    """The metrics are for the operator: asked from the machine itself or an
    address in IPFIN_METRICS_ALLOWED_IPS, unless IPFIN_METRICS_PUBLIC."""
    if settings.IPFIN_METRICS_PUBLIC:
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    if address.is_loopback:
        return True
    return any(
        address in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.IPFIN_METRICS_ALLOWED_IPS
    )


def exposition() -> tuple[bytes, str]:
    """The scrape's body in Prometheus's text format, and its content type."""
    return generate_latest(registry()), CONTENT_TYPE_LATEST
