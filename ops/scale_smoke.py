"""Scale-out smoke test on loopback: `make scale-smoke`.

Starts what a deployment of several app servers has, on free ports of this machine:

- a PostgreSQL primary (a cluster of its own, `initdb`) and a streaming replica of it
  (`pg_basebackup -R`, a hot standby);
- Redis, shared by the app servers;
- two app servers (gunicorn, production settings, `DATABASE_REPLICA_URL` set), each with
  its own metrics;
- Varnish in front, both app servers in its director (ops/varnish.vcl).

Then checks that every promise holds across them:

1. a publish (in another process) is seen at once through Varnish and on each app server;
   a search goes through Varnish to the app every time and is counted each time;
2. anonymous reads are answered from the replica (the metrics' queries by database), and
   an editor's reads are not;
3. partners following the change feed incrementally while three processes publish at once
   miss no event and see them in commit order (their union equals the whole feed);
4. one app server killed under a steady load through Varnish: no request fails beyond
   those in flight at the kill, and the other server carries on alone;
5. the replica stopped: reads fall back to the primary and every answer is still a 200.

Prints what it measured (the replica's share of reads, requests served during the kill)
and exits non-zero on the first broken promise. Needs the PostgreSQL server binaries
(`pg_config --bindir`), varnishd and redis-server (`make system-deps`).
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Two clusters, a migration and the demo content on a new database take a while.
os.environ.setdefault("SMOKE_TIMEOUT", "420")

from ops import prod_smoke
from ops.prod_smoke import (
    ROOT,
    SmokeFailure,
    Stack,
    by_label,
    check,
    fetch,
    free_port,
    log,
    manage,
    redis,
    report,
    varnish,
    wait_for,
    wait_for_port,
)

prod_smoke.NAME[0] = "scale-smoke"

PUBLISH_INTRO = """
from region_pages.models import MunicipalityPage
page = MunicipalityPage.objects.get(slug={slug!r}, locale__language_code="nb")
page.intro = {intro!r}
page.save_revision().publish()
print(page.pk)
"""
# One of three publishers: each publishes its municipality's page a few times.
PUBLISH_REPEATEDLY = """
from region_pages.models import MunicipalityPage
page = MunicipalityPage.objects.get(slug={slug!r}, locale__language_code="nb")
for round in range({rounds}):
    page.intro = "Runde %d ({slug})." % round
    page.save_revision().publish()
"""


def postgres_binary(name: str) -> str:
    folders = [str(each) for each in sorted(Path("/usr/lib/postgresql").glob("*/bin"))][::-1]
    config = shutil.which("pg_config")
    if config:
        found = subprocess.run([config, "--bindir"], capture_output=True, text=True, check=False)  # noqa: S603
        folders.insert(0, found.stdout.strip())
    for folder in folders:
        candidate = Path(folder) / name
        if folder and candidate.exists():
            return str(candidate)
    raise SmokeFailure(f"PostgreSQL's {name} is missing: run `make system-deps`")


def as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL's server refuses to run as root: as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SmokeFailure(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def clusters(stack: Stack) -> tuple[str, str, dict]:
    """A primary and its streaming replica; their URLs and their processes by name."""
    home = Path(tempfile.mkdtemp(prefix="scale-smoke-pg-"))
    stack.cleanups.append(lambda: shutil.rmtree(home, ignore_errors=True))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    primary_dir, replica_dir = home / "primary", home / "replica"
    primary_port, replica_port = free_port(), free_port()
    run(as_postgres([postgres_binary("initdb"), "-D", str(primary_dir), "-U", "postgres",
                     "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]))  # fmt: skip
    with open(primary_dir / "pg_hba.conf", "a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    server = postgres_binary("postgres")
    settings = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off", "-c", "max_connections=60"]  # fmt: skip
    processes = {
        "primary": stack.start(
            "postgres-primary",
            as_postgres([server, "-D", str(primary_dir), "-p", str(primary_port), *settings]),
        )
    }
    wait_for_port(primary_port)
    run(as_postgres([postgres_binary("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port),
                     "-U", "postgres", "-D", str(replica_dir), "-R", "-X", "stream"]))  # fmt: skip
    processes["replica"] = stack.start(
        "postgres-replica",
        as_postgres([server, "-D", str(replica_dir), "-p", str(replica_port), *settings]),
    )
    wait_for_port(replica_port)
    run(
        [
            postgres_binary("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary_port),
            "-U",
            "postgres",
            "ranaregionen",
        ]
    )
    base = "postgres://postgres@127.0.0.1:{}/ranaregionen"
    return base.format(primary_port), base.format(replica_port), processes


def app_server(stack: Stack, env: dict, name: str, port: int) -> tuple[str, subprocess.Popen]:
    metrics = stack.tmp / f"metrics-{name}"
    metrics.mkdir()
    own = {**env, "PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": str(metrics)}
    process = stack.start(
        name,
        [sys.executable, "-m", "gunicorn", "-c", "python:cms.gunicorn", "cms.wsgi:application"],
        env=own,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
    except SmokeFailure:
        raise SmokeFailure(f"{name} did not start:\n{stack.log_of(name)}") from None
    return base, process


def scrape(base: str, token: str, metric: str, label: str) -> dict[str, float]:
    """One metric of an app server, added up by one label's values."""
    return by_label(fetch(f"{base}/metrics", Authorization=f"Bearer {token}").text, metric, label)


def queries_by_database(base: str, token: str) -> dict[str, float]:
    return scrape(base, token, "ranaregionen_database_queries_total", "alias")


def cache_hit_ratio(apps, token, failures) -> float:
    outcomes = [
        scrape(base, token, "ranaregionen_response_cache_total", "outcome") for base in apps
    ]
    hits = sum(each.get("hit", 0) for each in outcomes)
    misses = sum(each.get("miss", 0) for each in outcomes)
    check(hits > 0, "metrics: no response cache hit on either app server", failures)
    return hits / max(hits + misses, 1)


def check_publish_seen_everywhere(env, front, host, apps, failures) -> None:
    intro = f"Publisert på tvers ({secrets.token_hex(4)})."
    for base in apps:
        fetch(f"{base}/nb/rana/")  # kept by each server's response cache and by Varnish
    fetch(f"{front}/nb/rana/", Host=host)
    manage(env, "shell", "-c", PUBLISH_INTRO.format(slug="rana", intro=intro))
    seen = fetch(f"{front}/nb/rana/", Host=host)
    check(intro in seen.text, "through Varnish: the publish is not seen at once", failures)
    for base in apps:
        page = fetch(f"{base}/nb/rana/")
        check(intro in page.text, f"{base}: the publish is not seen at once", failures)
        api = json.loads(fetch(f"{base}/api/v1/municipalities/rana?lang=nb").body)
        check(api.get("intro") == intro, f"{base}: the API's answer is stale", failures)


COUNTED_SEARCHES = """
from search.models import MissedQuery
print(sum(MissedQuery.objects.filter(query_string={word!r}).values_list("hits", flat=True)))
"""


def check_searches_counted(env, front, host, failures) -> None:
    """Varnish asks the app for every search (the app says `no-cache`); the app answers
    from its response cache and counts each one for the editors."""
    word = f"zq{secrets.token_hex(4)}"  # finds nothing: counted as a missed search
    answers = [fetch(f"{front}/en/search/?q={word}", Host=host) for _ in range(3)]
    check([answer.status for answer in answers] == [200] * 3, "search: not answered", failures)
    check(
        [answer.headers.get("X-Cache") for answer in answers] == ["miss"] * 3,
        "search: answered by Varnish, so not counted",
        failures,
    )
    check(
        answers[-1].headers.get("X-Response-Cache") == "hit",
        "search: not answered from the app's response cache",
        failures,
    )
    counted = manage(env, "shell", "--no-imports", "-c", COUNTED_SEARCHES.format(word=word))
    counted = counted.strip()
    check(counted == "3", f"search: {counted} of 3 searches counted", failures)


def check_reads_from_replica(apps, token, failures) -> float:
    before = [queries_by_database(base, token) for base in apps]
    for base in apps:
        for number in range(5):  # new addresses: rendered, not kept answers
            fetch(f"{base}/api/v1/pages?limit={number + 1}")
            fetch(f"{base}/en/rana/?side={number}")
    after = [queries_by_database(base, token) for base in apps]
    replica = sum(
        a.get("replica", 0) - b.get("replica", 0) for a, b in zip(after, before, strict=True)
    )
    primary = sum(
        a.get("default", 0) - b.get("default", 0) for a, b in zip(after, before, strict=True)
    )
    check(replica > 0, f"no read went to the replica ({primary:.0f} to the primary)", failures)
    share = replica / max(replica + primary, 1)
    check(share >= 0.5, f"only {share:.0%} of anonymous reads went to the replica", failures)
    # An editor's request (a session cookie) reads from the primary only.
    editor = queries_by_database(apps[0], token)
    fetch(f"{apps[0]}/en/rana/?editor=1", Cookie="sessionid=not-a-session")
    after_editor = queries_by_database(apps[0], token)
    check(
        after_editor.get("replica", 0) == editor.get("replica", 0),
        "a request with a session read from the replica",
        failures,
    )
    return share


def follow_feed(base: str, events: list, stop: threading.Event) -> None:
    """A partner polling the change feed with its cursor until told to stop (then once
    more, so it reads what was committed before the stop)."""
    cursor = None
    last_round = False
    while True:
        url = f"{base}/api/v1/changes?limit=100" + (f"&since={cursor}" if cursor else "")
        answer = fetch(url)
        if answer.status == 200:
            body = json.loads(answer.body)
            events += [
                tuple(item[key] for key in ("resource_type", "id", "action", "lang", "occurred_at"))
                for item in body["items"]
            ]
            cursor = body.get("next_cursor") or cursor
            if body.get("has_more"):
                continue
        if last_round:
            return
        last_round = stop.wait(0.05)


def check_feed_order(env, apps, failures) -> int:
    stop = threading.Event()
    followed = [[] for _ in apps]
    followers = [
        threading.Thread(target=follow_feed, args=(base, events, stop))
        for base, events in zip(apps, followed, strict=True)
    ]
    for follower in followers:
        follower.start()
    publishers = [
        subprocess.Popen(  # noqa: S603 - our own manage.py
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                PUBLISH_REPEATEDLY.format(slug=slug, rounds=4),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for slug in ("hemnes", "luroy", "nesna")
    ]
    for publisher in publishers:
        _out, errors = publisher.communicate(timeout=prod_smoke.remaining())
        check(publisher.returncode == 0, f"a publisher failed: {errors[-500:]!r}", failures)
    stop.set()
    for follower in followers:
        follower.join(timeout=prod_smoke.remaining())
    whole = []
    follow_feed(apps[0], whole, _stopped())
    for base, events in zip(apps, followed, strict=True):
        differs = next(
            (n for n, pair in enumerate(zip(events, whole, strict=False)) if pair[0] != pair[1]),
            None,
        )
        check(
            events == whole,
            f"{base}: following gave {len(events)} events, the whole feed {len(whole)}; "
            f"first difference at {differs}: "
            f"{events[differs - 1 : differs + 2] if differs else ''} / "
            f"{whole[differs - 1 : differs + 2] if differs else ''}",
            failures,
        )
    published = sum(1 for e in whole if e[2] == "published")
    check(published >= 12, f"only {published} publish events in the feed", failures)
    return len(whole)


def _stopped() -> threading.Event:
    stopped = threading.Event()
    stopped.set()
    return stopped


def check_kill_under_load(front, host, victim, survivor, failures) -> tuple[int, int]:
    """Readers through Varnish (API answers are passed to the app servers every time)
    while one app server is killed; only requests in flight at that moment may fail."""
    outcomes: list[tuple[float, int]] = []
    stop = threading.Event()
    lock = threading.Lock()

    def reader():
        while not stop.is_set():
            try:
                # The API is passed to the app servers every time (`no-cache`).
                url = f"{front}/api/v1/municipalities?lang=nb"
                status = fetch(url, Host=host).status
            except (urllib.error.URLError, OSError, http.client.HTTPException):
                # Refused, reset, or an answer cut off mid-body by the kill (IncompleteRead):
                # a failed request, counted, and the reader goes on.
                status = 0
            with lock:
                outcomes.append((time.monotonic(), status))

    readers = [threading.Thread(target=reader) for _n in range(4)]
    for each in readers:
        each.start()
    while len(outcomes) < 20:
        time.sleep(0.05)
    killed_at = time.monotonic()
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    # Load on until the survivor alone has served a good number of requests.
    while sum(1 for t, _status in list(outcomes) if t > killed_at + 1) < 40:
        time.sleep(0.05)
    stop.set()
    for each in readers:
        each.join()
    failed = [t for t, status in outcomes if status != 200]
    check(len(failed) <= len(readers), f"{len(failed)} requests failed at the kill", failures)
    after = [status for t, status in outcomes if t > killed_at + 1]
    check(
        all(s == 200 for s in after), f"{after.count(0)} requests failed after the kill", failures
    )
    check(fetch(f"{survivor}/healthz").status == 200, "the surviving app server is down", failures)
    return len(outcomes), len(failed)


def check_replica_stopped(replica, apps, failures) -> None:
    os.killpg(replica.pid, signal.SIGINT)  # PostgreSQL's fast shutdown
    replica.wait(timeout=prod_smoke.remaining())
    for base in apps:
        for number in range(3):
            answer = fetch(f"{base}/api/v1/pages?limit={number + 7}")
            check(answer.status == 200, f"{base} without the replica: {answer.status}", failures)
            page = fetch(f"{base}/nb/hemnes/?uten-replika={number}")
            check(page.status == 200, f"{base} page without the replica: {page.status}", failures)


def main() -> int:
    started = time.monotonic()
    stack = Stack()
    failures: list[str] = []
    try:
        log("starting a PostgreSQL primary and its streaming replica, and Redis")
        primary_url, replica_url, databases = clusters(stack)
        redis_url = redis(stack)
        token = secrets.token_urlsafe(24)
        env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("AWS_")},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DEMO_COMMANDS_ALLOWED": "1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": primary_url,
            "DATABASE_REPLICA_URL": replica_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(stack.tmp / "media"),
            "STATIC_ROOT": str(stack.tmp / "static"),
            "GUNICORN_BIND": "127.0.0.1",
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "4",
            "GUNICORN_WARM_UP": "0",
            "LOG_LEVEL": "WARNING",
            "METRICS_TOKEN": token,
            "PROMETHEUS_MULTIPROC_DIR": str(stack.tmp / "metrics-commands"),
            # The load below comes from one address: not the fair limits' concern here.
            "API_RATE_LIMIT_ANONYMOUS": "1000000",
            # Each search written at once, so that the check reads its count straight away.
            "SEARCH_HITS_FLUSH_SECONDS": "0",
        }
        (stack.tmp / "metrics-commands").mkdir()
        # The site's host is the first app server's; Varnish and the second answer for it.
        ports = free_port(), free_port()
        env["SITE_BASE_URL"] = f"http://127.0.0.1:{ports[0]}"
        host = f"127.0.0.1:{ports[0]}"
        log("migrate, load_demo, collectstatic (on the primary)")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--no-input", "-v0")
        front = varnish(stack, *ports)
        # Publishing (here in other processes, as an editor's server would) purges Varnish.
        env["FRONTEND_CACHE_PURGE_URL"] = front
        first, first_process = app_server(stack, env, "app-1", ports[0])
        second, second_process = app_server(stack, env, "app-2", ports[1])
        log(f"app servers {first} and {second} behind Varnish at {front}")
        check_publish_seen_everywhere(env, front, host, [first, second], failures)
        check_searches_counted(env, front, host, failures)
        share = check_reads_from_replica([first, second], token, failures)
        log(f"anonymous reads from the replica: {share:.0%} of their queries")
        ratio = cache_hit_ratio([first, second], token, failures)
        log(f"response cache hit ratio on the app servers: {ratio:.0%}")
        events = check_feed_order(env, [first, second], failures)
        log(f"two partners followed {events} feed events during three concurrent publishers")
        served, failed = check_kill_under_load(front, host, first_process, second, failures)
        log(f"killed app-1 under load: {served} requests, {failed} failed (in flight)")
        check_replica_stopped(databases["replica"], [second], failures)
        check(second_process.poll() is None, "app-2 died during the checks", failures)
    except SmokeFailure as error:
        failures.append(str(error))
    except subprocess.TimeoutExpired as error:
        failures.append(f"ran out of time in {' '.join(map(str, error.cmd))[:200]}")
    finally:
        stack.stop()
    return report(failures, started)


if __name__ == "__main__":
    sys.exit(main())
