"""Benchmark of the public site and API with and without the response cache at the origin.

Builds the demo region with the production settings (SQLite in a temporary directory,
or PostgreSQL and Redis with --postgres), then runs two gunicorn servers side by side: one
as deployed (the response cache on) and one with `RESPONSE_CACHE_SECONDS=0`, where Django
answers every request (from the page's kept parts and the values kept under the content
version). Each URL's exact bytes are then sent by two baselines: Django sending the same
bytes (`same_bytes.py`: one view, no middleware, under gunicorn with as many workers) and
nginx sending them as static files (Debian's nginx, as many worker processes). Every row
is measured in the same run, so the ratios to Django's same bytes are the figures to
compare across machines.

A third table measures every public address the same way (each page the XML sitemap
lists, in both languages, the sitemap, search pages, every endpoint of the partner API),
with fewer requests each (`--every-requests`, three rounds in turn with Django's same
bytes, the medians), lowest ratio first; with --grown, the grown site's addresses of the
first table again, so measured. Every table gives the rates, the median and 99th
percentile latencies, and the database queries a request (each server's own metrics,
read before and after).

A second table gives the first request after a publish, which renders everything: the
benchmark moves the content version on (as a publish does) before each of `--rounds`
requests to the second server, one at a time, and times it, the request after it, and
Django's same bytes, each the median.

    uv run python bench/site_bench.py [--requests 1000] [--concurrency 8] [--workers 2]
                                      [--rounds 15] [--every-requests 200] [--postgres]
                                      [--grown PAGES,ENTRIES]

With --postgres, PostgreSQL and Redis as production runs (see bench/api_bench.py). With
--grown 10000,50000, a site of that many pages and entries instead of the demo (the
search benchmark's generator; PostgreSQL), at addresses of the same kinds. nginx comes
with `make system-deps`.

Nothing is left behind: the temporary directory and the servers go when it ends.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from api_bench import (
    ROOT,
    Server,
    add_backend_option,
    environment,
    fetch,
    free_port,
    manage,
    measure,
    prepare_demo,
    wait_for,
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
# The grown site (--grown: the search benchmark's generator, whose entries are written as
# publishing writes them): the same kinds of address.
GROWN_URLS = [
    "/nb/",
    "/en/",
    "/nb/kommune-0/",
    "/en/kommune-0/",
    "/nb/side-4000/",
    "/sitemap.xml",
    "/sitemap-1.xml",
    "/api/v1/pages",
    "/api/v1/pages?lang=en&offset=4000",
    "/api/v1/entries?lang=en&limit=20",
    "/api/v1/entries?lang=en&limit=20&offset=20000",
    "/api/v1/municipalities/9000?lang=en",
]


# Search result pages for the list of every address: found, found with a filter, a second
# page, and one that finds nothing, in both languages.
SEARCHES = [
    "/nb/sok/?q=skole",
    "/en/search/?q=school",
    "/nb/sok/?q=barnehage&kind=school",
    "/en/search/?q=hiking&page=2",
    "/en/search/?q=zzzyx",
]
# Every endpoint of the partner API: each list (in both languages where it has them), and
# the detail of its first item, whose key is read from the list.
API_LISTS = [
    "/api/v1/region?lang=nb",
    "/api/v1/region?lang=en",
    "/api/v1/regions",
    "/api/v1/municipalities?lang=nb",
    "/api/v1/municipalities?lang=en",
    "/api/v1/entries?lang=nb&limit=20",
    "/api/v1/entries.geojson?lang=en",
    "/api/v1/events?lang=en",
    "/api/v1/vacancies?lang=nb",
    "/api/v1/pages?lang=en&limit=50",
    "/api/v1/search?q=school&lang=en",
    "/api/v1/changes",
    "/api/v1/changes/head",
    "/api/v1/commute",
    "/api/v1/daylight",
]
API_DETAILS = {  # list -> the detail's address, with {key} for the first item's key
    "/api/v1/entries?lang=nb&limit=20": ("id", "/api/v1/entries/{key}?lang=en"),
    "/api/v1/events?lang=en": ("id", "/api/v1/events/{key}"),
    "/api/v1/vacancies?lang=nb": ("id", "/api/v1/vacancies/{key}?lang=nb"),
    "/api/v1/pages?lang=en&limit=50": ("id", "/api/v1/pages/{key}"),
    "/api/v1/municipalities?lang=nb": ("slug", "/api/v1/municipalities/{key}?lang=nb"),
}


def every_address(port: int) -> list[str]:
    """Every public address the running site has: each page of the XML sitemap (both
    languages), the sitemap itself, search result pages and every API endpoint."""
    addresses = ["/sitemap.xml", *SEARCHES]
    _status, _headers, body = fetch(port, "/sitemap.xml")
    sitemaps = [urlsplit(loc).path for loc in LOC.findall(body.decode())]
    if b"<sitemapindex" not in body:
        sitemaps, pages = [], sitemaps
    else:
        pages = []
        for sitemap in sitemaps:
            _status, _headers, page = fetch(port, sitemap)
            pages += [urlsplit(loc).path for loc in LOC.findall(page.decode())]
    addresses += sitemaps + pages
    for listed in API_LISTS:
        addresses.append(listed)
        if listed in API_DETAILS:
            field, detail = API_DETAILS[listed]
            _status, _headers, answer = fetch(port, listed)
            items = json.loads(answer)["items"]
            if items:
                addresses.append(detail.format(key=items[0][field]))
    return list(dict.fromkeys(addresses))


LOC = re.compile(r"<loc>([^<]+)</loc>")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="per row")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="workers of each server")
    parser.add_argument("--rounds", type=int, default=15, help="publishes for the second table")
    parser.add_argument(
        "--every-requests",
        type=int,
        default=200,
        help="per address of the third table (every public address; 0 leaves it out)",
    )
    parser.add_argument(
        "--grown",
        metavar="PAGES,ENTRIES",
        help="instead of the demo, a site of this many pages and entries in two languages "
        "(the search benchmark's generator, for example 10000,50000), with PostgreSQL",
    )
    add_backend_option(parser)
    args = parser.parse_args()
    urls = URLS
    if args.grown:
        pages, entries = (int(part) for part in args.grown.split(","))
        args.postgres, urls = True, GROWN_URLS
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        sys.exit("nginx is not installed: run `make system-deps` (Debian's nginx package).")

    tmp = Path(tempfile.mkdtemp(prefix="site-bench-"))
    try:
        cached_port, uncached_port = free_port(), free_port()
        django_port, nginx_port = free_port(), free_port()
        env = environment(tmp, cached_port, args.postgres)
        if args.grown:
            prepare_grown(env, pages, entries)
        else:
            prepare_demo(env)

        bodies = {}
        with Server(env, cached_port, 1):
            every = []
            if args.every_requests:
                every = list(urls) if args.grown else every_address(cached_port)
            for index, url in enumerate(urls + every):
                status, _headers, body = fetch(cached_port, url)
                if status != 200:
                    raise RuntimeError(f"{url} answered {status}")
                bodies[index] = body
        same_bytes = tmp / "same-bytes"
        same_bytes.mkdir()
        for index, body in bodies.items():
            (same_bytes / f"{index}.bin").write_bytes(body)

        # Each server counts its database queries in its own metrics (all its workers'),
        # read before and after each row: the queries a request.
        env = {**env, **metrics_environment(tmp / "metrics-cached")}
        uncached_env = {
            **env,
            "RESPONSE_CACHE_SECONDS": "0",
            **metrics_environment(tmp / "metrics-rendered"),
        }
        django_env = {**os.environ, "SAME_BYTES_DIR": str(same_bytes)}
        rows = []
        with (
            Server(env, cached_port, args.workers),
            Server(uncached_env, uncached_port, args.workers),
            Server(django_env, django_port, args.workers, "same_bytes:application", "/0"),
            Nginx(nginx, tmp, same_bytes, nginx_port, args.workers),
        ):
            for index, url in enumerate(urls):
                results = {}
                for label, port, path in (
                    ("cached", cached_port, url),
                    ("rendered", uncached_port, url),
                    ("django", django_port, f"/{index}"),
                    ("nginx", nginx_port, f"/{index}.bin"),
                ):
                    measure(port, path, {}, 200, 20, args.concurrency)  # warm up
                    before = queries(port) if label in ("cached", "rendered") else 0
                    results[label] = measure(port, path, {}, 200, args.requests, args.concurrency)
                    if label in ("cached", "rendered"):
                        results[label]["queries"] = (queries(port) - before) / args.requests
                rows.append((url, len(bodies[index]), results))
                print(f"  measured {url}", flush=True)
            every_rows = []
            for index, url in enumerate(every, start=len(urls)):
                # The project and Django's same bytes in turn, three times, the median of
                # each: a single short measurement of each varied by a third between runs.
                rounds = {"cached": [], "rendered": [], "django": []}
                targets = (
                    ("cached", cached_port, url),
                    ("rendered", uncached_port, url),
                    ("django", django_port, f"/{index}"),
                )
                for _label, port, path in targets:
                    measure(port, path, {}, 200, 20, args.concurrency)  # warm up
                before = {port: queries(port) for port in (cached_port, uncached_port)}
                for _round in range(3):
                    for label, port, path in targets:
                        found = measure(port, path, {}, 200, args.every_requests, args.concurrency)
                        rounds[label].append(found)
                results = {
                    label: {
                        key: statistics.median(found[key] for found in measured)
                        for key in ("rps", "p50", "p99")
                    }
                    for label, measured in rounds.items()
                }
                for label, port in (("cached", cached_port), ("rendered", uncached_port)):
                    asked = 3 * args.every_requests
                    results[label]["queries"] = (queries(port) - before[port]) / asked
                every_rows.append((url, len(bodies[index]), results))
            if every:
                print(f"  measured every public address ({len(every)})", flush=True)
            first = first_after_a_publish(env, urls, uncached_port, django_port, args.rounds)
            load = os.getloadavg()

        print()
        print(
            f"{args.requests} requests per row, {args.concurrency} client threads, "
            f"{args.workers} workers a server (gunicorn sync workers; nginx worker processes), "
            f"Python {sys.version.split()[0]}, load average {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f} at the end"
        )
        print()
        print(
            "| URL | bytes | cached req/s | rendered req/s | Django same bytes req/s | "
            "nginx same bytes req/s | cached ÷ Django | rendered ÷ Django | "
            "rendered ÷ nginx | cached p50 / p99 ms | rendered p50 / p99 ms | "
            "queries cached / rendered |"
        )
        print(
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )
        for url, size, results in rows:
            cached, rendered = results["cached"], results["rendered"]
            django, nginx_rps = results["django"]["rps"], results["nginx"]["rps"]
            print(
                f"| `{url}` | {size} | {cached['rps']:.0f} | {rendered['rps']:.0f} | "
                f"{django:.0f} | {nginx_rps:.0f} | {cached['rps'] / django:.2f} | "
                f"{rendered['rps'] / django:.3f} | {rendered['rps'] / nginx_rps:.4f} | "
                f"{cached['p50']:.1f} / {cached['p99']:.1f} | "
                f"{rendered['p50']:.1f} / {rendered['p99']:.1f} | "
                f"{cached['queries']:.2f} / {rendered['queries']:.2f} |"
            )
        print()
        print(f"The first request after a publish, one at a time, median of {args.rounds}:")
        print()
        print(
            "| URL | first after a publish ms | next request ms | Django same bytes ms | "
            "Django ÷ first | Django ÷ next |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for url, (after, following, django) in first.items():
            print(
                f"| `{url}` | {after:.1f} | {following:.1f} | {django:.1f} | "
                f"{django / after:.3f} | {django / following:.3f} |"
            )
        if every_rows:
            print_every(every_rows, args.every_requests, grown=bool(args.grown))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def print_every(rows, requests: int, grown: bool = False) -> None:
    """Every public address (the grown site's: those of the first table), the lowest ratio
    to Django's same bytes first, and a summary."""
    ratios = [
        (results["cached"]["rps"] / results["django"]["rps"],
         results["rendered"]["rps"] / results["django"]["rps"], url, size, results)
        for url, size, results in rows
    ]  # fmt: skip
    print()
    if grown:
        print(f"The grown site's {len(rows)} addresses again, the median of three rounds of")
    else:
        print(f"Every public address ({len(rows)}: the sitemap's pages in both languages, the")
        print("sitemap, search pages, every API endpoint), the median of three rounds of")
    print(f"{requests} requests each, the project and Django's same bytes in turn:")
    print()
    print(
        "| URL | bytes | cached ÷ Django | rendered ÷ Django | cached req/s | rendered req/s | "
        "Django same bytes req/s | cached p50 / p99 ms | rendered p50 / p99 ms | "
        "queries cached / rendered |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for cached, rendered, url, size, results in sorted(ratios, key=lambda row: row[:3]):
        warm, cold = results["cached"], results["rendered"]
        print(
            f"| `{url}` | {size} | {cached:.2f} | {rendered:.3f} | {warm['rps']:.0f} | "
            f"{cold['rps']:.0f} | {results['django']['rps']:.0f} | "
            f"{warm['p50']:.1f} / {warm['p99']:.1f} | {cold['p50']:.1f} / {cold['p99']:.1f} | "
            f"{warm['queries']:.2f} / {cold['queries']:.2f} |"
        )
    cached = [ratio[0] for ratio in ratios]
    rendered = [ratio[1] for ratio in ratios]
    print()
    print(
        f"cached ÷ Django: lowest {min(cached):.2f}, median {statistics.median(cached):.2f}, "
        f"{sum(ratio >= 0.5 for ratio in cached)} of {len(cached)} at 0.5 or more; "
        f"rendered ÷ Django: lowest {min(rendered):.3f}, median "
        f"{statistics.median(rendered):.3f}, {sum(ratio >= 0.1 for ratio in rendered)} of "
        f"{len(rendered)} at 0.10 or more"
    )


METRICS_TOKEN = "site-bench"  # noqa: S105 - a throw-away server's scraper token


def metrics_environment(directory: Path) -> dict:
    """A server's metrics in a folder of its own (its workers' together), with a token."""
    directory.mkdir()
    return {"PROMETHEUS_MULTIPROC_DIR": str(directory), "METRICS_TOKEN": METRICS_TOKEN}


def queries(port: int) -> float:
    """The database queries a server's workers have run so far (its metrics)."""
    status, _headers, body = fetch(port, "/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith("ranaregionen_database_queries_total"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def prepare_grown(env: dict, pages: int, entries: int) -> None:
    """A site of `pages` pages and `entries` entries (half in each language, 40
    municipalities) in the benchmark's throw-away database, its static files collected."""
    print(f"Preparing a grown site ({pages} pages, {entries} entries)...", flush=True)
    manage(env, "migrate", "--no-input")
    grow = (
        "import random, django; django.setup(); import search_bench; "
        "rng = random.Random(20261127); search_bench.VOCABULARY = search_bench.vocabulary(rng); "
        f"search_bench.generate({pages}, {entries}, 40, rng)"
    )
    subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-c", grow], cwd=ROOT / "bench", env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
    )  # fmt: skip
    manage(env, "collectstatic", "--no-input")


class Nginx:
    """nginx sending the same bytes as static files, on loopback, until the block ends."""

    def __init__(self, program: str, tmp: Path, root: Path, port: int, workers: int):
        self.program, self.prefix = program, tmp / "nginx"
        self.root, self.port, self.workers = root, port, workers
        self.process = None

    def __enter__(self):
        self.prefix.mkdir()
        # Run as root, nginx hands its workers to www-data, who must read the files.
        for folder in (self.root.parent, self.root):
            folder.chmod(0o755)
        user = "user www-data;" if os.geteuid() == 0 else ""
        (self.prefix / "nginx.conf").write_text(
            f"""{user}
worker_processes {self.workers};
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {self.prefix}/body;
    proxy_temp_path {self.prefix}/proxy;
    fastcgi_temp_path {self.prefix}/fastcgi;
    uwsgi_temp_path {self.prefix}/uwsgi;
    scgi_temp_path {self.prefix}/scgi;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{self.port};
        root {self.root};
    }}
}}
"""
        )
        self.process = subprocess.Popen(  # noqa: S603 - Debian's nginx, our configuration
            [self.program, "-p", str(self.prefix), "-c", "nginx.conf", "-g", "daemon off;"],
        )
        wait_for(self.port, "/0.bin", "nginx")
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def first_after_a_publish(env, urls, port, django_port, rounds) -> dict:
    """{url: (first after a publish, next, Django's same bytes) in ms}: the content version
    moved on from this process (the same database and Redis as the servers) before each
    round."""
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
    for index, url in enumerate(urls):
        after, following, django = [], [], []
        for _round in range(rounds):
            with transaction.atomic():
                versions.bump()
            after.append(timed(port, url))
            following.append(timed(port, url))
            django.append(timed(django_port, f"/{index}"))
        found[url] = tuple(statistics.median(values) for values in (after, following, django))
    print("  measured the first requests after a publish", flush=True)
    return found


if __name__ == "__main__":
    main()
