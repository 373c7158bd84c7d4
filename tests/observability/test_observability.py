"""Seeing the site run (`observability`): each request's id in its answer, its log lines
and its error reports; metrics for a scraper with the token; no
personal data in logs or reports."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import REGISTRY

from observability import context, errors, logs, metrics
from observability.wsgi import CACHED_ROUTE

from ..servers import SentryReceiver
from ..wsgi_client import call

pytestmark = pytest.mark.django_db

TOKEN = "scraper-token-0123456789"


@pytest.fixture(autouse=True)
def _wsgi(settings, direct_wsgi):
    settings.RESPONSE_CACHE_SECONDS = 300
    settings.METRICS_TOKEN = TOKEN


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# ---- request ids -------------------------------------------------------------------------


def test_every_answer_carries_a_request_id_of_its_own():
    first, second = call("/healthz"), call("/healthz")
    assert first.status == 200
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2
    assert all(context.accepted(each) for each in ids)


def test_the_proxys_request_id_is_kept_and_free_text_is_not():
    kept = call("/healthz", X_REQUEST_ID="edge-7f3a9c2e-41")
    assert kept.headers["x-request-id"] == "edge-7f3a9c2e-41"
    refused = call("/healthz", X_REQUEST_ID="kari@example.no says hi")
    assert refused.headers["x-request-id"] != "kari@example.no says hi"
    assert context.accepted(refused.headers["x-request-id"])


def test_an_answer_from_the_response_cache_carries_an_id_too(home):
    call("/nb/")
    hit = call("/nb/")
    assert hit.cache == "hit"
    assert context.accepted(hit.headers["x-request-id"])


@given(st.text(max_size=120))
def test_an_accepted_id_is_a_token_never_free_text(incoming):
    kept = context.accepted(incoming)
    assert kept is None or (kept == incoming and context.ACCEPTED.fullmatch(kept))
    if kept:
        assert not any(ch.isspace() or ch in "@<>\"'" for ch in kept)


def test_log_lines_of_a_request_carry_its_id(caplog):
    handler = logging.StreamHandler(stream := io.StringIO())
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("observability.test")
    logger.addHandler(handler)
    try:
        with context.bound("req-0123456789"):
            logger.warning("published page %s", 7)
        logger.warning("outside")
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["request_id"] == "req-0123456789"
    assert inside["message"] == "published page 7"
    assert inside["level"] == "WARNING"
    assert inside["logger"] == "observability.test"
    assert outside["request_id"] == "-"


# ---- no personal data --------------------------------------------------------------------


@given(
    before=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    email=st.emails(),
    ipv4=st.ip_addresses(v=4),
    ipv6=st.ip_addresses(v=6),
)
def test_logs_never_hold_an_email_or_ip_address(before, email, ipv4, ipv6):
    message = f"{before} login by {email} from {ipv4} and {ipv6}."
    record = logging.LogRecord("x", logging.INFO, __file__, 1, message, None, None)
    written = json.loads(logs.JsonFormatter().format(record))["message"]
    assert email not in written
    assert str(ipv4) not in written
    assert str(ipv6) not in written
    assert "login by" in written


def test_redaction_leaves_times_versions_and_ids_alone():
    text = "at 12:30 wagtail 8.0.1 page 10.5 req-0123456789"
    assert logs.redact(text) == text


def test_an_error_report_leaves_out_the_reader():
    event = {
        "request": {
            "url": "https://ranaregionen.no/nb/sok/?q=kari@example.no",
            "method": "GET",
            "headers": {"Cookie": "sessionid=abc", "X-Forwarded-For": "10.1.2.3"},
            "env": {"REMOTE_ADDR": "10.1.2.3"},
        },
        "user": {"ip_address": "10.1.2.3", "email": "kari@example.no"},
        "exception": {"values": [{"type": "ValueError", "value": "no page for kari@example.no"}]},
    }
    with context.bound("req-0123456789"):
        sent = errors.before_send(event, {})
    assert sent["tags"]["request_id"] == "req-0123456789"
    assert sent["request"] == {"url": "https://ranaregionen.no/nb/sok/", "method": "GET"}
    assert "user" not in sent
    text = json.dumps(sent)
    assert "kari@example.no" not in text
    assert "10.1.2.3" not in text
    assert sent["exception"]["values"][0]["type"] == "ValueError"


REPORTING = """
import logging, django, sentry_sdk
django.setup()
from django.conf import settings
from observability import context
assert settings.SENTRY_ENABLED
with context.bound("req-reported-77"):
    try:
        raise ValueError("no page for kari@example.no from 10.1.2.3")
    except ValueError:
        logging.getLogger("publishing").exception("Publishing failed for kari@example.no")
sentry_sdk.flush(timeout=10)
"""


def test_errors_are_reported_to_sentry_over_its_protocol_without_personal_data():
    with SentryReceiver() as sentry:
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "SENTRY_DSN": sentry.dsn,
            "SENTRY_ENVIRONMENT": "smoke",
        }
        subprocess.run([sys.executable, "-c", REPORTING], env=environ, check=True, timeout=120)  # noqa: S603 - our own interpreter and script
    assert sentry.events, "no event reached the Sentry endpoint"
    event = sentry.events[0]
    assert event["tags"]["request_id"] == "req-reported-77"
    assert event["environment"] == "smoke"
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    raw = b"".join(sentry.raw).decode()
    assert "kari@example.no" not in raw
    assert "10.1.2.3" not in raw


# ---- metrics -------------------------------------------------------------------------------


def test_metrics_need_the_scrapers_token(settings):
    assert call("/metrics").status == 401
    assert call("/metrics", AUTHORIZATION="Bearer wrong").status == 401
    answer = call("/metrics", AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["cache-control"] == "no-store"
    assert b"ranaregionen_http_requests_total" in answer.body
    settings.METRICS_TOKEN = ""
    unconfigured = call("/metrics")
    assert unconfigured.status != 200
    assert b"ranaregionen" not in unconfigured.body


def test_requests_are_counted_by_region_route_and_cache_outcome(home):
    region = home.slug  # the region's key: its home page's slug
    route = {"region": region, "route": "healthz", "method": "GET", "status": "200"}
    before = sample("ranaregionen_http_requests_total", **route)
    hits = sample("ranaregionen_response_cache_total", region=region, outcome="hit")
    cached = sample(
        "ranaregionen_http_requests_total",
        region=region,
        route=CACHED_ROUTE,
        method="GET",
        status="200",
    )
    call("/healthz")
    call("/healthz")
    call("/nb/")
    call("/nb/")
    assert sample("ranaregionen_http_requests_total", **route) == before + 2
    assert sample("ranaregionen_response_cache_total", region=region, outcome="hit") == hits + 1
    assert (
        sample(
            "ranaregionen_http_requests_total",
            region=region,
            route=CACHED_ROUTE,
            method="GET",
            status="200",
        )
        == cached + 1
    )
    assert sample("ranaregionen_http_request_duration_seconds_count", route="healthz") >= 2
    scraped = call("/metrics", AUTHORIZATION=f"Bearer {TOKEN}").body.decode()
    assert 'route="healthz"' in scraped
    assert "ranaregionen_database_queries_total" in scraped


def test_a_publish_times_each_step_of_the_pipeline(home):
    steps = ["bump_content_version", "update_read_model", "record_in_change_feed", "purge_cdn"]
    before = {
        step: sample("ranaregionen_publish_step_duration_seconds_count", step=step, kind="publish")
        for step in steps
    }
    home.save_revision().publish()
    for step in steps:
        after = sample(
            "ranaregionen_publish_step_duration_seconds_count", step=step, kind="publish"
        )
        assert after == before[step] + 1, step


def test_metrics_of_many_processes_are_added_up(tmp_path, monkeypatch):
    script = (
        "from observability import metrics\n"
        "metrics.WEBHOOK_DELIVERIES.labels(outcome='ok').inc(3)\n"
    )
    environ = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _process in range(2):
        subprocess.run([sys.executable, "-c", script], env=environ, check=True, timeout=60)  # noqa: S603 - our own interpreter
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    body, _type = metrics.exposition()
    assert 'ranaregionen_webhook_deliveries_total{outcome="ok"} 6.0' in body.decode()
    metrics.empty_directory()
    assert not list(tmp_path.glob("*.db"))
