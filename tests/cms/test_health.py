"""`/healthz` answers while the process runs; `/readyz` names the part that is down.

Each part is taken away for real: the S3 server and Redis are stopped, and the database
is pointed at a port where nothing listens. A part that answers late is played by a
probe blocked on an event the test releases, and the grace is passed on a clock the
test moves by hand: nothing here sleeps.
"""

import threading

from django.db import connections

import pytest

from cms import health

from ..clocks import ManualClock
from ..servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    return ManualClock()


@pytest.fixture(autouse=True)
def readiness(clock, monkeypatch):
    """A fresh memory of the probes for each test, on the manual clock."""
    fresh = health.Readiness(clock=clock)
    monkeypatch.setattr(health, "readiness", fresh)
    return fresh


class BlockedProbe:
    """A probe that does not answer until released; counts how often it was started."""

    def __init__(self, error: BaseException | None = None):
        self.released = threading.Event()
        self.error = error
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> None:
        with self._lock:
            self.calls += 1
        # The timeout only keeps a forgotten probe from holding a thread for ever.
        if not self.released.wait(timeout=60):
            raise TimeoutError("never released")
        if self.error is not None:
            raise self.error

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def quick_parts(settings, monkeypatch):
    """Database and cache that answer at once, a short deadline and a 30 s grace."""
    settings.READINESS_TIMEOUT = 0.2
    settings.READINESS_SLOW_GRACE = 30
    monkeypatch.setitem(health.CHECKS, "database", lambda: None)
    monkeypatch.setitem(health.CHECKS, "cache", lambda: None)
    probes = []

    def storage(probe: BlockedProbe) -> BlockedProbe:
        monkeypatch.setitem(health.CHECKS, "storage", probe)
        probes.append(probe)
        return probe

    yield storage
    for probe in probes:
        probe.release()


@pytest.fixture
def production_parts(s3, redis_cache, settings):
    """Redis and S3 up, as in production; a deadline generous enough for a busy test machine."""
    settings.READINESS_TIMEOUT = 10
    return redis_cache


def test_ready_when_every_part_answers(client, production_parts):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "slow": []}
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_when_the_cache_is_down(client, production_parts):
    production_parts.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "failing": ["cache"], "slow": []}
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
    assert body == {"status": "fail", "failing": ["storage"], "slow": []}
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
    assert response.json() == {"status": "fail", "failing": ["database"], "slow": []}
    assert "a-secret-that-must-not-leak" not in response.content.decode()
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_part_that_answers_late_is_slow_until_the_grace_runs_out(client, quick_parts, clock):
    quick_parts(BlockedProbe())

    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "slow": ["storage"]}

    clock.advance(29)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "slow": ["storage"]}

    clock.advance(2)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "failing": ["storage"], "slow": []}


def test_a_probe_still_running_is_not_started_again(client, quick_parts, clock):
    storage = quick_parts(BlockedProbe())
    assert client.get("/readyz").json()["slow"] == ["storage"]
    clock.advance(5)
    assert client.get("/readyz").json()["slow"] == ["storage"]
    clock.advance(60)
    assert client.get("/readyz").status_code == 503
    assert storage.calls == 1


def test_a_part_that_answers_again_is_ready_again(client, quick_parts, clock, settings):
    storage = quick_parts(BlockedProbe())
    clock.advance(1)
    assert client.get("/readyz").json()["slow"] == ["storage"]
    clock.advance(60)
    assert client.get("/readyz").status_code == 503

    storage.release()
    # The probe answers as soon as it is released: the long deadline is never reached.
    settings.READINESS_TIMEOUT = 10
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "slow": []}


def test_a_late_answer_ends_the_slow_spell(client, quick_parts, clock, settings):
    """A busy machine answers after the deadline: that answer counts, however late."""
    storage = quick_parts(BlockedProbe())
    assert client.get("/readyz").json()["slow"] == ["storage"]
    storage.release()
    clock.advance(120)
    settings.READINESS_TIMEOUT = 10
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "slow": []}


def test_a_late_error_does_not_end_the_slow_spell(client, quick_parts, clock, settings):
    """A part that only times out on its own client is dead: it fails after the grace."""
    late = quick_parts(BlockedProbe(error=TimeoutError("read timeout")))
    assert client.get("/readyz").json()["slow"] == ["storage"]
    late.release()
    quick_parts(BlockedProbe())  # the next probe hangs again
    clock.advance(31)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "failing": ["storage"], "slow": []}


@pytest.mark.parametrize("error", [ConnectionRefusedError(111, "refused"), RuntimeError("boom")])
def test_a_part_that_errors_fails_on_the_first_probe(client, quick_parts, settings, error):
    failed = BlockedProbe(error=error)
    failed.release()
    quick_parts(failed)
    # It fails on its answer, not on the deadline, which is never reached.
    settings.READINESS_TIMEOUT = 10
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "failing": ["storage"], "slow": []}
