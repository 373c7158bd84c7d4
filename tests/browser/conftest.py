"""Fixtures for the browser tests: the real demo site in a subprocess, and headless Chromium.

These tests do not use pytest-django's test database. A session fixture builds a
throw-away copy of the demo site (migrate, load_demo, sync_sources --offline) and serves it
with runserver,
so the browser sees exactly what a reader would: real templates, static files, media,
the real 404 page (DEBUG=0) and the language redirect.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

# Assertions wait for the state they expect for up to 60 s (Playwright's default is 5 s):
# the admin's JavaScript is slow on a two-core machine busy with the other test worker.
# A passing assertion returns as soon as the state is there; only a failure waits so long.
expect.set_options(timeout=60_000)

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts" / "browser"
# The editors' walk-through's screenshots (`make docs-screenshots` copies some to docs/img).
SHOTS_DIR = REPO_ROOT / "test-artifacts" / "editors"
# On PostgreSQL the demo gets a database of its own, named after the suite's database and
# the test worker (pytest-xdist's gw0, gw1, ...), so that two runs on one server (two
# clones, or a developer's run beside CI's) never share one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No calls home: the network is closed except loopback.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_TIMEOUT = 30  # seconds
COMMAND_TIMEOUT = 300  # seconds, for migrate, load_demo and sync_sources each

# Playwright's sync API keeps an asyncio event loop running in the main thread for as
# long as the browser lives, and Django refuses ORM calls in a thread with a running loop
# (SynchronousOnlyOperation). So the browser lives only while this package's tests run
# (`scope="package"`): they run together on one worker (their xdist group, which the
# scheduler sends first, being the largest), and the database tests that follow on that
# worker find no loop. DJANGO_ALLOW_ASYNC_UNSAFE is not the way: it would leak into the
# subprocesses of other tests (`check --deploy` rightly fails on it with async.E001).


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_url(url: str, database: str) -> str:
    """The same server URL (credentials, host, options) with another database name."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def _browser_database_name(server_url: str) -> str:
    return f"{urlsplit(server_url).path.lstrip('/') or 'ranaregionen'}_browser_{WORKER}"


def _recreate_postgres_database(server_url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_postgres_url(server_url, "postgres"), autocommit=True) as conn:
        name = sql.Identifier(_browser_database_name(server_url))
        # FORCE: a previous run that was killed may have left a connection open.
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def _drop_postgres_database(server_url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_postgres_url(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(_browser_database_name(server_url))
            )
        )


def _manage(env: dict[str, str], *args: str) -> None:
    """Run a management command of the project; fail with its output if it fails."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`manage.py {' '.join(args)}` exited with {result.returncode}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}",
            pytrace=False,
        )


def _wait_until_healthy(base_url: str, server: subprocess.Popen, log_path: Path) -> None:
    # No proxies: an http_proxy in the environment must not intercept loopback requests.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break  # the server died; no point in waiting
        try:
            with opener.open(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    state = (
        f"exited with {server.returncode}"
        if server.poll() is not None
        else f"did not answer within {SERVER_START_TIMEOUT} s"
    )
    pytest.fail(
        f"The demo site at {base_url} {state}.\n--- server output ---\n"
        f"{log_path.read_text(errors='replace')}",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def shots() -> Path:
    """Where the editors' walk-through puts its screenshots (git-ignored)."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots go, so a person can look at what the tests saw (git-ignored)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the demo site from scratch, serve it on a free port, yield its base URL."""
    workdir = tmp_path_factory.mktemp("browser-site")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"

    outer_database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = outer_database_url.startswith("postgres")
    if on_postgres:
        # A database of its own, so the browser tests never touch the developer's or
        # pytest-django's databases on the same server.
        _recreate_postgres_database(outer_database_url)
        database_url = _postgres_url(outer_database_url, _browser_database_name(outer_database_url))
    else:
        database_url = f"sqlite:///{workdir / 'demo.sqlite3'}"

    static_root = workdir / "static"
    static_root.mkdir()  # only so whitenoise does not warn that STATIC_ROOT is missing
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(static_root),
        "DEBUG": "0",  # the real 404 page, not Django's debug page
        "SERVE_MEDIA": "1",
        # load_demo takes the Site's hostname and port from this, so page URLs point here.
        "SITE_BASE_URL": base_url,
        "PYTHONUNBUFFERED": "1",
        # The maps' background from the site itself, where nothing answers (404): the
        # maps' fallback, unless a test serves the tiles (page.route).
        "MAP_TILE_URL": f"{base_url}/map-tiles/{{z}}/{{y}}/{{x}}.png",
    }

    server = None
    log_path = workdir / "runserver.log"
    try:
        _manage(env, "migrate", "--no-input", "-v0")
        _manage(env, "load_demo")
        # As `make demo`: the open data from the recorded payloads (vacancies, registers,
        # population), so the pages show what a reader of the demo sees.
        _manage(env, "sync_sources", "--offline")
        with log_path.open("wb") as log:
            # Output goes to a file, not a pipe: a full pipe would block the server.
            server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_until_healthy(base_url, server, log_path)
        yield base_url
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            # What the server answered, beside the screenshots, for a failure's story.
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            database = "postgresql" if on_postgres else "sqlite"
            shutil.copyfile(log_path, ARTIFACTS_DIR / f"runserver-{database}-{WORKER}.log")
        if on_postgres:
            _drop_postgres_database(outer_database_url)


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """Headless Chromium from the system: Playwright must never download a browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser) -> Iterator[Callable]:
    """Make browser contexts (fresh cookies and cache) that are closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(**options)
        # The admin's editor loads a lot of JavaScript; on a busy two-core machine it
        # can take well over 10 s, so allow 60 s per action (an upper bound, not a wait).
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh browser context of its own, as a British English reader."""
    return new_context(locale="en-GB").new_page()
