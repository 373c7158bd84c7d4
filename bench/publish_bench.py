"""Publishing a municipality page: time and queries, against Wagtail's own publish.

    make bench-publish
    # or: uv run python bench/publish_bench.py [--rounds 7] [--postgres] [--profile]

Builds the demo region (`load_demo`) in a throw-away database (a SQLite file in a
temporary directory; with --postgres, BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ranaregionen_bench_publish, dropped and created again),
then publishes the demo's Rana page (14 blocks) and the same page grown to about 400
blocks (its blocks repeated, as a municipality that lists every activity and school), each
`--rounds` times with a changed introduction, and reports the median time and the number
of queries of one publish. The baseline, measured in the same run on the same page, is
Wagtail's own publish: the same `save_revision().publish()` with the pipeline's steps
(content version, read model, change feed with the digests of the API's answers, search
index, translation records) switched off. The ratio is the cost of everything the site
does after a publish. The load average is printed before and after: other work on the
machine inflates every figure. Last, the partner API's page list (which runs the same
query over every page type) rendered with the answer cache emptied before each request;
`POSTGRES_JIT=1` before the command measures PostgreSQL with its JIT on.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from throwaway import recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ranaregionen_bench_publish"
LARGE = 400


def grown(body: list[dict], size: int) -> list[dict]:
    """`body` repeated up to `size` blocks, each with an id of its own."""
    blocks = []
    while len(blocks) < size:
        blocks.extend({**block, "id": str(uuid.uuid4())} for block in body)
    return blocks[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="publishes of each kind")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead: one publish of the grown page under cProfile, the 30 costliest calls",
    )
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="publish-bench-")
    if args.postgres:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        recreate_database(url)
    else:
        url = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    os.environ.setdefault("MEDIA_ROOT", workdir)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from publishing import pipeline
    from region_pages.models import Entry, MunicipalityPage

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print("Building the demo region...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    rana = MunicipalityPage.objects.get(slug="rana", locale__language_code="nb")
    demo_body = list(rana.body.raw_data)
    print(f"Load average before: {os.getloadavg()[0]:.2f}")

    def publish_once(page, number: int) -> tuple[float, int]:
        page.intro = f"Endret {number}."
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            page.save_revision().publish()
            elapsed = time.perf_counter() - started
        return elapsed, len(queries.captured_queries)

    def measure(page, steps) -> tuple[float, int]:
        saved = pipeline.IN_TRANSACTION
        pipeline.IN_TRANSACTION = steps
        try:
            publish_once(page, -1)  # warm: templates, caches, the first revision
            runs = [publish_once(page, number) for number in range(args.rounds)]
        finally:
            pipeline.IN_TRANSACTION = saved
        return statistics.median(t for t, _q in runs), max(q for _t, q in runs)

    if args.profile:
        profile_one(rana, grown(demo_body, LARGE))
        return

    steps = pipeline.IN_TRANSACTION
    rows = []
    for label, size in (("demo Rana", len(demo_body)), ("Rana grown", LARGE)):
        rana.body = grown(demo_body, size)
        rana.save_revision().publish()
        rana.refresh_from_db()
        entries = Entry.objects.filter(page=rana).count()
        project, wagtail = measure(rana, steps), measure(rana, ())
        rows.append((label, size, entries, project, wagtail))

    # The partner API's page list runs the same query over every page type as the digests.
    from django.core.cache import caches
    from django.test import Client

    client = Client()
    listing = []
    for _round in range(args.rounds + 2):
        for cache in caches.all():
            cache.clear()  # rendered, not answered from the response cache
        started = time.perf_counter()
        answer = client.get("/api/v1/pages?lang=en&limit=50")
        listing.append(time.perf_counter() - started)
    if answer.status_code != 200:
        raise SystemExit(f"/api/v1/pages answered {answer.status_code}")
    print(f"Load average after: {os.getloadavg()[0]:.2f}")
    print()
    print(
        f"{'page':<12} {'blocks':>6} {'entries':>7}   {'this project':>18}   "
        f"{'Wagtail alone':>18}   {'time ratio':>10}"
    )
    for label, size, entries, (p_time, p_queries), (w_time, w_queries) in rows:
        print(
            f"{label:<12} {size:>6} {entries:>7}   {p_time * 1000:>8.0f} ms {p_queries:>4} q   "
            f"{w_time * 1000:>8.0f} ms {w_queries:>4} q   {p_time / w_time:>9.2f}x"
        )
    print()
    print(
        f"/api/v1/pages?lang=en&limit=50, rendered: {statistics.median(listing[2:]) * 1000:.0f} ms"
        " (median)"
    )


def profile_one(page, body) -> None:
    """Where a publish of the grown page spends its time (cumulative, the project's own
    code and the libraries it calls)."""
    import cProfile
    import pstats

    page.body = body
    page.save_revision().publish()  # the blocks exist; the profiled publish changes one text
    page.intro = "Endret for profilen."
    profiler = cProfile.Profile()
    profiler.enable()
    page.save_revision().publish()
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 30)
    if os.environ.get("PROFILE_CALLEES"):
        stats.print_callees(os.environ["PROFILE_CALLEES"])


if __name__ == "__main__":
    main()
