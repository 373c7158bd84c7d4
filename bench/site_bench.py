"""Benchmark of the public site and API with and without the response cache at the origin.

Builds the demo region with the production settings (SQLite in a temporary directory,
or PostgreSQL and Redis with --postgres), then runs two gunicorn servers side by side: one
as deployed (the response cache on) and one with `RESPONSE_CACHE_SECONDS=0`, where Django
answers every request (from the page's kept parts and the values kept under the content
version). Each URL's exact bytes are also written as a static file that the first server
sends (WhiteNoise, through the same WSGI stack): the cheapest answer of the same size.
Every row is measured in the same run, so the ratios to the static file are the figures
to compare across machines.

A second table gives the first request after a publish, which renders everything: the
benchmark moves the content version on (as a publish does) before each of `--rounds`
requests to the second server, one at a time, and times it, the request after it, and the
static file, each the median.

    uv run python bench/site_bench.py [--requests 1000] [--concurrency 8] [--workers 2]
                                      [--rounds 15] [--postgres]

With --postgres, PostgreSQL and Redis as production runs (see bench/api_bench.py).

Nothing is left behind: the temporary directory and the servers go when it ends.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from api_bench import (
    ROOT,
    Server,
    add_backend_option,
    environment,
    fetch,
    free_port,
    measure,
    prepare_demo,
)

URLS = [
    "/nb/",
    "/en/",
    "/nb/rana/",
    "/en/rana/",
    "/en/jobs/",
    "/en/leisure/",
    "/sitemap.xml",
    "/api/v1/municipalities/rana?lang=en",
    "/api/v1/entries?lang=en&limit=20",
    "/api/v1/pages",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="per row")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers each")
    parser.add_argument("--rounds", type=int, default=15, help="publishes for the second table")
    add_backend_option(parser)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="site-bench-"))
    try:
        cached_port, uncached_port = free_port(), free_port()
        env = environment(tmp, cached_port, args.postgres)
        prepare_demo(env)

        bodies = {}
        with Server(env, cached_port, 1):
            for index, url in enumerate(URLS):
                status, _headers, body = fetch(cached_port, url)
                if status != 200:
                    raise RuntimeError(f"{url} answered {status}")
                bodies[index] = body
        static_dir = tmp / "static" / "bench"
        static_dir.mkdir(parents=True)
        for index, body in bodies.items():
            (static_dir / f"{index}.bin").write_bytes(body)

        uncached_env = {**env, "RESPONSE_CACHE_SECONDS": "0"}
        rows = []
        with (
            Server(env, cached_port, args.workers),
            Server(uncached_env, uncached_port, args.workers),
        ):
            for index, url in enumerate(URLS):
                static = f"/static/bench/{index}.bin"
                results = {}
                for label, port, path in (
                    ("cached", cached_port, url),
                    ("rendered", uncached_port, url),
                    ("static", cached_port, static),
                ):
                    measure(port, path, {}, 200, 20, args.concurrency)  # warm up
                    results[label] = measure(port, path, {}, 200, args.requests, args.concurrency)
                rows.append((url, len(bodies[index]), results))
                print(f"  measured {url}", flush=True)
            first = first_after_a_publish(env, uncached_port, cached_port, args.rounds)

        print()
        print(
            f"{args.requests} requests per row, {args.concurrency} client threads, "
            f"two gunicorn servers with {args.workers} sync workers each, "
            f"Python {sys.version.split()[0]}"
        )
        print()
        print(
            "| URL | bytes | cached req/s | rendered req/s | static req/s | "
            "cached ÷ static | rendered ÷ static | cached p50 ms | rendered p50 ms |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for url, size, results in rows:
            cached, rendered, static = results["cached"], results["rendered"], results["static"]
            print(
                f"| `{url}` | {size} | {cached['rps']:.0f} | {rendered['rps']:.0f} | "
                f"{static['rps']:.0f} | {cached['rps'] / static['rps']:.2f} | "
                f"{rendered['rps'] / static['rps']:.3f} | {cached['p50']:.1f} | "
                f"{rendered['p50']:.1f} |"
            )
        print()
        print(f"The first request after a publish, one at a time, median of {args.rounds}:")
        print()
        print(
            "| URL | first after a publish ms | next request ms | static ms | "
            "static ÷ first | static ÷ next |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for url, (after, following, static) in first.items():
            print(
                f"| `{url}` | {after:.1f} | {following:.1f} | {static:.1f} | "
                f"{static / after:.3f} | {static / following:.3f} |"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def first_after_a_publish(env, port, static_port, rounds) -> dict:
    """{url: (first after a publish, next, static file) in ms}: the content version moved
    on from this process (the same database and Redis as the servers) before each round."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction

    from region_pages import versions

    def timed(port, path) -> float:
        started = time.perf_counter()
        status, _headers, _body = fetch(port, path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return (time.perf_counter() - started) * 1000

    found = {}
    for index, url in enumerate(URLS):
        after, following, static = [], [], []
        for _round in range(rounds):
            with transaction.atomic():
                versions.bump()
            after.append(timed(port, url))
            following.append(timed(port, url))
            static.append(timed(static_port, f"/static/bench/{index}.bin"))
        found[url] = tuple(statistics.median(values) for values in (after, following, static))
    print("  measured the first requests after a publish", flush=True)
    return found


if __name__ == "__main__":
    main()
