"""The site's Prometheus metrics, and their exposition.

Under gunicorn each worker is a process of its own: with `PROMETHEUS_MULTIPROC_DIR` set
(to an empty directory that the web server, the task worker and the webhook deliverer
share on one host), every process writes its values there and the endpoint adds them up
(`prometheus_client.multiprocess`); gunicorn's hooks empty the directory when it starts
and mark a worker's files dead when it exits (`cms.gunicorn`). Without it (the demo, the
tests) the values live in the one process.

Labels are few and bounded: a route is Django's URL pattern (`api/v1/pages/<int:page_id>`),
never the address a reader asked for.
"""

import os
import time
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

PREFIX = "ranaregionen"

REQUESTS = Counter(
    f"{PREFIX}_http_requests",
    "HTTP requests answered, by region (its key), route, method and status.",
    ["region", "route", "method", "status"],
)
LATENCY = Histogram(
    f"{PREFIX}_http_request_duration_seconds",
    "Time from a request's arrival at the application to its last byte, by route.",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
RESPONSE_CACHE = Counter(
    f"{PREFIX}_response_cache",
    "Public reads at the response cache, by region (its key) and outcome (hit, miss, bypass).",
    ["region", "outcome"],
)
PUBLISH_STEP = Histogram(
    f"{PREFIX}_publish_step_duration_seconds",
    "Time of each step of the publishing pipeline, by step and kind of change.",
    ["step", "kind"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
WEBHOOK_DELIVERIES = Counter(
    f"{PREFIX}_webhook_deliveries",
    "Signed change-feed messages posted to partners' webhooks, by outcome (ok, failed).",
    ["outcome"],
)
SOURCE_RUNS = Counter(
    f"{PREFIX}_source_runs",
    "Open-data pipeline runs, by source and final status.",
    ["source", "status"],
)
SOURCE_RUN_DURATION = Histogram(
    f"{PREFIX}_source_run_duration_seconds",
    "Time of an open-data pipeline run, by source.",
    ["source"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
DATABASE_QUERIES = Counter(
    f"{PREFIX}_database_queries",
    "Database queries run by the web processes, by database alias (primary or replica).",
    ["alias"],
)


@contextmanager
def timed(histogram: Histogram, **labels):
    """Observe the enclosed block's duration in `histogram`, also when it raises."""
    started = time.perf_counter()
    try:
        yield
    finally:
        histogram.labels(**labels).observe(time.perf_counter() - started)


def multiprocess_directory() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format, and their content type."""
    if multiprocess_directory():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = DEFAULT_REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST


def empty_directory() -> None:
    """Remove the values of processes that ran before this server started."""
    directory = multiprocess_directory()
    if directory and os.path.isdir(directory):
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def process_exited(pid: int) -> None:
    """Fold an exited worker's live values away (gunicorn's `child_exit`)."""
    if multiprocess_directory():
        multiprocess.mark_process_dead(pid)
