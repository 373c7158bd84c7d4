"""Benchmark of the partner API against a static file of the same bytes.

Serves the demo region with gunicorn on 127.0.0.1 (production settings, SQLite in a
temporary directory), then measures requests per second and p50/p95 latency for a list
(`/api/v1/entries`) and a detail (`/api/v1/municipalities/rana`), each rendered in full
and answered with 304 to a matching If-None-Match, beside the same bytes as a static file
served by the same gunicorn (WhiteNoise) in the same run. The ratios are the figures that
matter: they hold across machines better than the absolute numbers.

    uv run python bench/api_bench.py [--requests 2000] [--concurrency 8] [--workers 4]
                                     [--postgres]

With --postgres, as production runs: PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ranaregionen_bench_http, dropped and created again) and
Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/13, emptied first) for the caches.

Nothing is left behind: the temporary directory and the server go when it ends.
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from throwaway import recreate_database, server_and_database

ROOT = Path(__file__).resolve().parent.parent

ENDPOINTS = {
    "list": "/api/v1/entries?lang=en&limit=20",
    "detail": "/api/v1/municipalities/rana?lang=en",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ranaregionen_bench_http"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


def add_backend_option(parser) -> None:
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="PostgreSQL and Redis, as production runs (see the module's documentation)",
    )


def backends(tmp: Path, postgres: bool) -> dict:
    """The database and cache settings: SQLite and local memory, or a fresh PostgreSQL
    database and an emptied Redis database."""
    if not postgres:
        return {"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}"}
    import redis

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    recreate_database(url)
    _server, name = server_and_database(url)
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    redis.Redis.from_url(redis_url).flushdb()
    print(f"PostgreSQL ({name}) and Redis ({redis_url})", flush=True)
    return {"DATABASE_URL": url, "REDIS_URL": redis_url}


def environment(tmp: Path, port: int, postgres: bool = False) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        # A throw-away copy: the benchmark serves the demo content.
        "DEMO_COMMANDS_ALLOWED": "1",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        **backends(tmp, postgres),
        # Persistent connections, as a production deployment configures them.
        "DATABASE_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(tmp / "media"),
        "STATIC_ROOT": str(tmp / "static"),
        "SITE_BASE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        # One client address sends every request: its quota is counted (as for anyone),
        # never reached.
        "API_RATE_LIMIT_ANONYMOUS": "100000000",
    }


def manage(env: dict, *args: str) -> None:
    # Our own interpreter and manage.py, with fixed arguments.
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def prepare_demo(env: dict) -> None:
    """The demo region in the benchmark's throw-away database, its static files collected."""
    print("Preparing the demo region (migrate, load_demo, collectstatic)...", flush=True)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input")


class Server:
    """gunicorn serving `application` (the project by default) on loopback until the block
    ends."""

    def __init__(self, env, port, workers, application="cms.wsgi:application", ready="/healthz"):
        self.env, self.port, self.workers = env, port, workers
        self.application, self.ready = application, ready
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
            [
                sys.executable, "-m", "gunicorn", self.application,
                "--pythonpath", str(ROOT / "bench"),
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--log-level", "warning",
            ],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        wait_for(self.port, self.ready, "gunicorn")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def wait_for(port: int, path: str, name: str) -> None:
    """Until `path` answers 200 on `port` (at most a minute)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = fetch(port, path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer {path} within 60 seconds")


def fetch(port: int, path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def measure(port: int, path: str, headers: dict, expected: int, requests: int, threads: int):
    """Send `requests` GETs from `threads` threads; the latencies in ms and the rate."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    share, rest = divmod(requests, threads)
    per_thread = [share + (1 if n < rest else 0) for n in range(threads)]

    def work(count):
        mine = []
        for _ in range(count):
            started = time.perf_counter()
            status, _headers, _body = fetch(port, path, headers)
            mine.append((time.perf_counter() - started) * 1000)
            if status != expected:
                errors.append(f"{path}: {status}, expected {expected}")
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=work, args=(count,)) for count in per_thread]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} unexpected answers, first: {errors[0]}")
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    add_backend_option(parser)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="api-bench-"))
    try:
        port = free_port()
        env = environment(tmp, port, args.postgres)
        prepare_demo(env)

        # The static baseline: the API's own bytes, as files the same server serves.
        bodies = {}
        with Server(env, port, 1):
            for name, path in ENDPOINTS.items():
                status, _headers, body = fetch(port, path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                bodies[name] = body
        static_dir = tmp / "static" / "bench"
        static_dir.mkdir(parents=True)
        for name, body in bodies.items():
            (static_dir / f"{name}.json").write_bytes(body)

        rows = []
        with Server(env, port, args.workers):
            for name, path in ENDPOINTS.items():
                static = f"/static/bench/{name}.json"
                _s, api_headers, _b = fetch(port, path)
                _s, static_headers, static_body = fetch(port, static)
                if static_body != bodies[name]:
                    raise RuntimeError("the static file does not hold the API's bytes")
                for label, url, headers, expected in [
                    ("full", path, {}, 200),
                    ("full", static, {}, 200),
                    ("If-None-Match", path, {"If-None-Match": api_headers["ETag"]}, 304),
                    ("If-None-Match", static, {"If-None-Match": static_headers["ETag"]}, 304),
                ]:
                    measure(port, url, headers, expected, 50, args.concurrency)  # warm up
                    result = measure(port, url, headers, expected, args.requests, args.concurrency)
                    rows.append((name, label, url, len(bodies[name]), result))

        print()
        print(
            f"{args.requests} requests per row, {args.concurrency} client threads, "
            f"gunicorn with {args.workers} sync workers, Python {sys.version.split()[0]}"
        )
        print()
        print("| endpoint | request | URL | bytes | req/s | p50 ms | p95 ms | API ÷ static |")
        print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for index in range(0, len(rows), 2):
            for offset in (0, 1):
                name, label, url, size, result = rows[index + offset]
                static = rows[index + 1][4]
                ratio = (
                    f"{result['rps'] / static['rps']:.2f}× req/s, "
                    f"{result['p50'] / static['p50']:.2f}× p50"
                    if offset == 0
                    else "1 (baseline)"
                )
                print(
                    f"| {name} | {label} | `{url}` | {size} | {result['rps']:.0f} | "
                    f"{result['p50']:.1f} | {result['p95']:.1f} | {ratio} |"
                )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
