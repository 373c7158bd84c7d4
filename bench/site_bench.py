"""Benchmark of the public site and API with and without the response cache at the origin.

Builds the demo region with the production settings (SQLite in a temporary directory,
or PostgreSQL and Redis with --postgres), then runs two gunicorn servers side by side: one
as deployed (the response cache on) and one with `RESPONSE_CACHE_SECONDS=0`, which
renders every request. Each URL's exact bytes are also written as a static file that the
first server sends (WhiteNoise, through the same WSGI stack): the cheapest answer of the
same size. Every row is measured in the same run, so the ratios to the static file are
the figures to compare across machines.

    uv run python bench/site_bench.py [--requests 1000] [--concurrency 8] [--workers 2]
                                      [--postgres]

With --postgres, PostgreSQL and Redis as production runs (see bench/api_bench.py).

Nothing is left behind: the temporary directory and the servers go when it ends.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from api_bench import (
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
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
