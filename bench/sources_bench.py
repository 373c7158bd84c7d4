"""The import pipeline at scale: a generated NAV feed of 5,000 ads and 2,000 school
register units, synced over HTTP on loopback through the production client and adapters.

    make bench-sources
    # or: uv run python bench/sources_bench.py [--ads 5000] [--units 2000] [--changed 0.01]

Uses a throw-away database, migrated from scratch: by default a new SQLite file in a
temporary folder; with BENCH_DATABASE_URL a PostgreSQL database of that name, dropped and
created again (never point it at a database you want to keep):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ranaregionen_bench_sources \
        make bench-sources

The recorded server of the tests serves the generated payloads. For each source it
measures, in the same run:

- baseline: fetching and parsing every payload (HTTP and JSON only, no database);
- the first full sync (time, and the process's peak resident memory after it);
- a second sync with nothing changed (conditional requests answer 304);
- an incremental sync with `--changed` (1 %) of the records changed.

Times are reported in seconds and as ratios against the baseline. The seed is fixed.
"""

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MUNICIPALS = {"1833": "RANA", "1832": "HEMNES", "1834": "LURØY", "1828": "NESNA"}
PAGE_SIZE = 1000


def recreate_postgres_database(url: str) -> None:
    """Drop and create the database `url` names, through the server's `postgres` database."""
    import psycopg

    parsed = urlsplit(url.replace("postgres://", "postgresql://", 1))
    name = parsed.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing a database name that is not a plain identifier: {name!r}")
    server = urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str) -> None:
    if database_url.startswith(("postgres://", "postgresql://")):
        recreate_postgres_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class Feed:
    """A generated NAV feed: pages of lines, and one ad per line."""

    def __init__(self, ads: int, rng: random.Random):
        self.rng = rng
        self.ads = {}
        for _ in range(ads):
            ad_id = str(uuid.UUID(int=rng.getrandbits(128)))
            self.ads[ad_id] = {"municipal": rng.choice(list(MUNICIPALS.values())), "version": 1}
        self.pages = [list(self.ads)[i : i + PAGE_SIZE] for i in range(0, ads, PAGE_SIZE)]

    def page_id(self, index: int) -> str:
        return f"00000000-0000-4000-8000-{index:012d}"

    def page(self, index: int) -> dict:
        last = index == len(self.pages) - 1
        return {
            "id": self.page_id(index),
            "next_url": None if last else f"/api/v1/feed/{self.page_id(index + 1)}",
            "items": [self.line(ad_id) for ad_id in self.pages[index]],
        }

    def stamp(self, ad_id: str) -> str:
        return f"2026-09-01T08:{self.ads[ad_id]['version']:02d}:00+02:00"

    def line(self, ad_id: str) -> dict:
        ad = self.ads[ad_id]
        return {
            "id": ad_id,
            "url": f"/api/v1/feedentry/{ad_id}",
            "_feed_entry": {
                "uuid": ad_id,
                "status": "ACTIVE",
                "municipal": ad["municipal"],
                "sistEndret": self.stamp(ad_id),
            },
        }

    def entry(self, ad_id: str) -> dict:
        ad = self.ads[ad_id]
        return {
            "uuid": ad_id,
            "status": "ACTIVE",
            "sistEndret": self.stamp(ad_id),
            "ad_content": {
                "uuid": ad_id,
                "title": f"Stilling {ad_id[:8]} v{ad['version']}",
                "published": "2026-09-01T08:00:00+02:00",
                "expires": None,
                "updated": self.stamp(ad_id),
                "workLocations": [{"municipal": ad["municipal"], "city": ad["municipal"]}],
                "applicationDue": "Snarest",
                "occupationCategories": [{"level1": "Helse og sosial"}],
                "link": f"https://arbeidsplassen.nav.no/stillinger/stilling/{ad_id}",
                "employer": {"name": "Eksempel AS", "orgnr": "999000029"},
                "engagementtype": "Fast",
                "extent": "Heltid",
                "sector": self.rng.choice(["Offentlig", "Privat"]),
            },
        }

    def change(self, share: float) -> None:
        """Change `share` of the ads; their new lines go on a new last page."""
        changed = self.rng.sample(list(self.ads), max(1, int(len(self.ads) * share)))
        for ad_id in changed:
            self.ads[ad_id]["version"] += 1
        self.pages.append(changed)


class Register:
    """A generated school register: a list per municipality and one unit per school."""

    def __init__(self, units: int, rng: random.Random):
        self.units = {}
        for index in range(units):
            number = list(MUNICIPALS)[index % 4]
            self.units[f"{800000000 + index}"] = {"municipality": number, "version": 1}

    def stamp(self, orgnr: str) -> str:
        return f"2026-09-20T01:{self.units[orgnr]['version']:02d}:00+02:00"

    def listing(self, number: str) -> dict:
        units = [orgnr for orgnr, unit in self.units.items() if unit["municipality"] == number]
        return {
            "Sidenummer": 1,
            "AntallSider": 1,
            "EnhetListe": [
                {
                    "Organisasjonsnummer": orgnr,
                    "Navn": f"Skole {orgnr}",
                    "Kommunenummer": number,
                    "ErAktiv": True,
                    "ErSkole": True,
                    "DatoEndret": self.stamp(orgnr),
                }
                for orgnr in units
            ],
        }

    def unit(self, orgnr: str) -> dict:
        unit = self.units[orgnr]
        return {
            "Organisasjonsnummer": orgnr,
            "Navn": f"Skole {orgnr} v{unit['version']}",
            "Kommune": {"Kommunenummer": unit["municipality"]},
            "Beliggenhetsadresse": {"Adresse": "Skoleveien 1", "Postnummer": "8600"},
            "Koordinat": {"Lengdegrad": 14.14, "Breddegrad": 66.31},
            "Internettadresse": "www.example.no",
            "ErAktiv": True,
            "ErGrunnskole": True,
            "Elevtall": 200 + unit["version"],
            "SkoletrinnGSFra": 1,
            "SkoletrinnGSTil": 7,
            "DatoEndret": self.stamp(orgnr),
        }

    def change(self, share: float, rng: random.Random) -> None:
        for orgnr in rng.sample(list(self.units), max(1, int(len(self.units) * share))):
            self.units[orgnr]["version"] += 1


def serve(server, feed: Feed, register: Register) -> None:
    from sources.recorded import conditional

    def encoded(data):
        return json.dumps(data).encode()

    def page(request, match):
        index = int(match.group("id").rsplit("-", 1)[1]) if match.group("id") else 0
        return conditional(request, encoded(feed.page(index)))

    server.add(r"/nav/api/v1/feed(?:/(?P<id>[\w-]+))?", page)
    server.add(
        r"/nav/api/v1/feedentry/(?P<uuid>[\w-]+)",
        lambda request, match: conditional(request, encoded(feed.entry(match.group("uuid")))),
    )
    server.add(
        r"/nsr/v4/enheter/kommune/(?P<number>\d{4})",
        lambda request, match: conditional(request, encoded(register.listing(match["number"]))),
    )
    server.add(
        r"/nsr/v4/enhet/(?P<orgnr>\d{9})",
        lambda request, match: conditional(request, encoded(register.unit(match["orgnr"]))),
    )


def timed(function):
    """Time a call; also the process's peak resident memory so far, in bytes (getrusage:
    no tracing overhead, unlike tracemalloc)."""
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    return result, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def baseline(name: str) -> float:
    """Fetch and parse everything the source would read, without touching the database."""
    from sources.base import Context
    from sources.http import HttpClient
    from sources.models import SourceState
    from sources.registry import get_source

    source = get_source(name)
    client = HttpClient()
    # An unsaved state: no cursor, no validators, nothing stored to compare with.
    ctx = Context(client=client, state=SourceState(source=name))
    started = time.perf_counter()
    fetched = source.fetch(ctx)
    source.parse(fetched, ctx)
    elapsed = time.perf_counter() - started
    client.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=int, default=5000)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="sources-bench-")
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    setup_django(database_url)
    from django.db import connection
    from django.test.utils import override_settings

    from sources.models import RegisterUnit, Vacancy
    from sources.pipeline import run_source
    from sources.recorded import RecordedServer

    rng = random.Random(8600)  # noqa: S311 - reproducible generated data, not secrets
    feed, register = Feed(args.ads, rng), Register(args.units, rng)
    rows = []
    with RecordedServer() as server, override_settings(**server.settings()):
        serve(server, feed, register)
        for name, label, model, change in (
            ("nav", f"NAV feed, {args.ads} ads", Vacancy, lambda: feed.change(args.changed)),
            (
                "nsr",
                f"school register, {args.units} units",
                RegisterUnit,
                lambda: register.change(args.changed, rng),
            ),
        ):
            base = baseline(name)
            first, first_time, first_peak = timed(lambda n=name: run_source(n))
            same, same_time, _peak = timed(lambda n=name: run_source(n))
            change()
            incremental, inc_time, _peak = timed(lambda n=name: run_source(n))
            expected = max(1, int(model.objects.count() * args.changed))
            if first.status != "succeeded" or same.changed or incremental.updated != expected:
                raise SystemExit(f"{name}: unexpected counts {first.errors} {same} {incremental}")
            rows.append(
                (label, base, first, first_time, first_peak, same_time, incremental, inc_time)
            )

    print(
        f"Database: {connection.vendor}; records changed in the incremental run: {args.changed:.0%}"
    )
    print()
    print(
        "| source | baseline: fetch + parse | first sync | process peak RSS | unchanged run | "
        "incremental run |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for label, base, _first, first_time, peak, same_time, inc, inc_time in rows:
        print(
            f"| {label} | {base:.2f} s | {first_time:.2f} s ({first_time / base:.1f}×) | "
            f"{peak / 1e6:.0f} MB | {same_time:.3f} s ({same_time / base:.3f}×) | "
            f"{inc_time:.2f} s ({inc_time / base:.2f}×), {inc.updated} updated |"
        )


if __name__ == "__main__":
    main()
