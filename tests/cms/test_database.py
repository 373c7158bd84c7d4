"""A database restart costs no request: persistent connections are checked before reuse,
a safe read that loses its connection mid-request is answered on a new one, and an error
under /api/v1/ is always problem details, even one raised outside a view.

The tests that take connections away run on PostgreSQL only: SQLite has no server whose
connections another session could terminate, so on SQLite there is nothing to lose. They
are marked ``postgresql``: the SQLite pass leaves them out and the PostgreSQL pass runs
them.
"""

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

from django.db import OperationalError, connection
from django.test import Client

import pytest

from ..servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]

# Terminating a server's connections needs a database server: the SQLite pass leaves
# these tests out (tests/conftest.py), the PostgreSQL pass runs them.
postgres_only = pytest.mark.postgresql


def terminate_other_backends() -> int:
    """Terminate every other session on the test database, as a restart would; how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        return cursor.fetchone()[0]


# --------------------------------------------------------------------------------------
# Problem details for errors outside a view
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unhandled_exception_under_the_api_is_a_problem(monkeypatch):
    def broken():
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("region_pages.api.http.versions.current", broken)
    response = Client(raise_request_exception=False).get("/api/v1/region")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 500
    assert "server closed" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


# --------------------------------------------------------------------------------------
# Against gunicorn with persistent connections, as production runs it
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, tmp_path_factory):
    """One gunicorn process with four threads and persistent connections, on the test
    database (tests/cms/lossy_server.py adds two views of the tests' own)."""
    db = connection.settings_dict
    port = free_port()
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.cms.lossy_server",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DATABASE_CONN_MAX_AGE": "600",
        "GUNICORN_BIND": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESS_LOG": "",
        "MEDIA_ROOT": str(folder / "media"),
    }
    with (folder / "gunicorn.log").open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:cms.gunicorn", "cms.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, data=data, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@postgres_only
def test_a_safe_read_that_loses_its_connection_is_answered_on_a_new_one(gunicorn, db):
    status, body = fetch(f"{gunicorn}/lossy/read/")
    assert (status, body) == (200, b"attempt 2")
    assert json.loads(fetch(f"{gunicorn}/calls/read/")[1]) == {"calls": ["GET", "GET"]}


@postgres_only
def test_a_write_that_loses_its_connection_is_never_repeated(gunicorn, db):
    status, _body = fetch(f"{gunicorn}/lossy/write/", data=b"x=1")
    assert status == 500
    assert json.loads(fetch(f"{gunicorn}/calls/write/")[1]) == {"calls": ["POST"]}


@postgres_only
def test_a_database_restart_under_load_fails_no_request(gunicorn, db):
    # What the migrations leave is enough: the API's lists (empty) and the change feed.
    urls = [f"{gunicorn}/api/v1/changes", f"{gunicorn}/api/v1/pages", f"{gunicorn}/sitemap.xml"]
    clients = 4
    statuses: list[tuple[str, int]] = []
    lock = threading.Lock()
    # The clients warm every server thread's connection, wait while the connections are
    # terminated, then read again while they are terminated once more.
    warmed = threading.Barrier(clients + 1)
    terminated = threading.Barrier(clients + 1)

    def reader():
        def read_all():
            for url in urls:
                status = fetch(url)[0]
                with lock:
                    statuses.append((url, status))

        read_all()
        read_all()
        warmed.wait()
        terminated.wait()
        for _round in range(3):
            read_all()

    threads = [threading.Thread(target=reader) for _ in range(clients)]
    for thread in threads:
        thread.start()
    warmed.wait()
    assert terminate_other_backends() >= 1, "gunicorn kept no connection open"
    terminated.wait()
    terminate_other_backends()  # again, while the second round is under way
    for thread in threads:
        thread.join()

    assert len(statuses) == clients * len(urls) * 5
    assert [item for item in statuses if item[1] != 200] == []


@postgres_only
@pytest.mark.django_db
def test_connections_compile_no_query_to_machine_code():
    """JIT spent 1.2 s on the API's query over every page type for 2 ms of work."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_jit_is_the_servers_own_when_asked_for(monkeypatch):
    from cms.settings import base

    postgres = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c a=b"}}
    assert base.without_jit(dict(postgres, OPTIONS=dict(postgres["OPTIONS"])))["OPTIONS"] == {
        "options": "-c a=b -c jit=off"
    }
    monkeypatch.setattr(base, "POSTGRES_JIT", True)
    assert base.without_jit({"ENGINE": "django.db.backends.postgresql"}) == {
        "ENGINE": "django.db.backends.postgresql"
    }
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    assert base.without_jit(sqlite) == {"ENGINE": "django.db.backends.sqlite3"}
