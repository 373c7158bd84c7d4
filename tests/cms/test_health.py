"""`/healthz` answers while the process runs; `/readyz` names the part that is down.

Each part is taken away for real: the S3 server and Redis are stopped, and the database
is pointed at a port where nothing listens.
"""

import time

from django.db import connections

import pytest

from cms import health

from ..servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_parts(s3, redis_cache, settings):
    """Redis and S3 up, as in production; a deadline generous enough for a busy test machine."""
    settings.READINESS_TIMEOUT = 10
    return redis_cache


def test_ready_when_every_part_answers(client, production_parts):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": []}
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_when_the_cache_is_down(client, production_parts):
    production_parts.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "failing": ["cache"]}
    assert client.get("/healthz").status_code == 200


def test_not_ready_when_the_storage_is_down(client, s3_server, production_parts, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "endpoint_url": f"http://127.0.0.1:{free_port()}",
            },
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "fail", "failing": ["storage"]}
    assert "127.0.0.1" not in response.content.decode()  # nothing about where or how


def test_not_ready_when_the_database_is_down(client, production_parts, monkeypatch):
    closed_port = free_port()
    down = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "ranaregionen",
        "USER": "postgres",
        "PASSWORD": "a-secret-that-must-not-leak",
        "HOST": "127.0.0.1",
        "PORT": str(closed_port),
    }
    monkeypatch.setitem(connections.settings, "default", down)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "failing": ["database"]}
    assert "a-secret-that-must-not-leak" not in response.content.decode()
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_part_that_hangs_fails_within_the_deadline(monkeypatch):
    monkeypatch.setitem(health.CHECKS, "cache", lambda: time.sleep(3))
    started = time.monotonic()
    assert health.failing_parts(timeout=0.3) == ["cache"]
    assert time.monotonic() - started < 1.5
