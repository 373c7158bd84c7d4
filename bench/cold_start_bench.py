"""Benchmark of a worker's first request: how long the first reader after a start (or after
gunicorn recycles a worker) waits, against the same request once the worker is warm.

Builds the demo region with the production settings (SQLite in a temporary directory).
For each URL it starts gunicorn as deployed (`-c python:cms.gunicorn`: the application
preloaded in the master, one sync worker, the response cache off so that every answer is
rendered) and times the first request a newly forked worker serves, as after gunicorn
recycles a worker: once with the master's warm-up switched off (`GUNICORN_WARM_UP=0`),
once with it; then the median of warm requests, all in the same run.

    uv run python bench/cold_start_bench.py [--warm 20]

Nothing is left behind: the temporary directory and the servers go when it ends.
"""

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from api_bench import ROOT, environment, fetch, free_port, prepare_demo

URLS = [
    "/nb/",
    "/en/rana/",
    "/en/leisure/",
    "/sitemap-1.xml",
    "/api/v1/municipalities/rana?lang=en",
    "/api/v1/pages",
]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn ended before it listened")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("gunicorn did not listen within 60 seconds")


def timed(port: int, url: str) -> float:
    started = time.perf_counter()
    status, _headers, _body = fetch(port, url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return (time.perf_counter() - started) * 1000


@contextmanager
def server(env: dict, port: int):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:cms.gunicorn", "cms.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def first_on_a_new_worker(env: dict, port: int, url: str, log: Path) -> float:
    """A worker that gunicorn forked to replace one it recycled: each worker serves one
    request (`max_requests` 1), so the one after /healthz is a new worker's first. The
    time is the worker's own (gunicorn's access log, from the request read to the answer
    sent), without the wait for the old worker to end and the new one to be forked, which
    other workers cover in a deployment of several."""
    log.unlink(missing_ok=True)
    recycling = {
        **env,
        "GUNICORN_MAX_REQUESTS": "1",
        "GUNICORN_MAX_REQUESTS_JITTER": "0",
        "GUNICORN_ACCESS_LOG": str(log),
        "GUNICORN_CMD_ARGS": "--access-logformat '%(U)s %(D)s'",
        "LOG_FORMAT": "plain",  # the access line as the format above, not a JSON object
    }
    with server(recycling, port):
        timed(port, "/healthz")  # the master is ready; this worker then exits
        timed(port, url)
    lines = log.read_text().split("\n")
    # The last line: the second request (with /healthz itself, the first is the probe's).
    micros = [line.split()[1] for line in lines if line.startswith(url.split("?")[0] + " ")]
    return int(micros[-1]) / 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warm", type=int, default=20, help="requests after the first")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cold-start-bench-"))
    try:
        port = free_port()
        env = environment(tmp, port)
        prepare_demo(env)
        env = {
            **env,
            "RESPONSE_CACHE_SECONDS": "0",
            "GUNICORN_BIND": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESS_LOG": "",
        }
        cold_env = {**env, "GUNICORN_WARM_UP": "0"}
        rows = []
        for url in URLS:
            cold = first_on_a_new_worker(cold_env, port, url, tmp / "access.log")
            warmed = first_on_a_new_worker(env, port, url, tmp / "access.log")
            with server(env, port):
                timed(port, url)
                warm = statistics.median(timed(port, url) for _ in range(args.warm))
            rows.append((url, cold, warmed, warm))
            print(f"  measured {url}", flush=True)
        print()
        print(
            "| URL | new worker's first, no warm-up, ms | new worker's first, warmed master, ms "
            "| warm median ms | no warm-up ÷ warm | warmed ÷ warm |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for url, cold, warmed, warm in rows:
            print(
                f"| `{url}` | {cold:.0f} | {warmed:.0f} | {warm:.1f} "
                f"| {cold / warm:.1f} | {warmed / warm:.1f} |"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
