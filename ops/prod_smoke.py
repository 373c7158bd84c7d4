"""Start the site as production runs it, on loopback, and check it from the outside.

    uv run python ops/prod_smoke.py        (or: make prod-smoke)

What it starts, all on 127.0.0.1 and free ports, and stops again whatever happens:
a throw-away PostgreSQL database (on the server at POSTGRES_URL), an S3-protocol server
(moto), a redis-server of its own, and gunicorn with `cms.settings.production`. It runs
migrate, load_demo and collectstatic as a deployment would, then fetches every page in
the sitemap (both languages), the partner API's list, the admin login, a static file
and a media object, and checks statuses, security and cache headers, and that media
URLs point at the bucket. Requests carry `X-Forwarded-Proto: https`, as the CDN's do.
"""

import gzip
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webhooks import signing  # noqa: E402  (plain Python: no Django needed)

DEADLINE = time.monotonic() + float(os.environ.get("SMOKE_TIMEOUT", "270"))
POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/ranaregionen")
BUCKET = "ranaregionen-media"
REGION = "eu-north-1"
S3_KEY, S3_SECRET = "smoke-access-key", "smoke-secret-key"
IMAGE_CACHE = "public, max-age=31536000, immutable"


class SmokeFailure(Exception):
    pass


NAME = ["prod-smoke"]  # the scale smoke test runs these helpers under its own name


def log(message: str) -> None:
    print(f"{NAME[0]}: {message}", flush=True)


def remaining() -> float:
    left = DEADLINE - time.monotonic()
    if left <= 0:
        raise SmokeFailure("ran out of time")
    return left


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    end = time.monotonic() + min(timeout, remaining())
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SmokeFailure(f"{url} did not answer within {timeout} s")


def wait_for_port(port: int, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SmokeFailure(f"nothing listens on 127.0.0.1:{port}")


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(url: str, **headers) -> Response:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})  # noqa: S310

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=min(15, remaining())) as response:
            return Response(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read())


class Stack:
    """Everything the smoke test started, stopped in reverse order."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []
        self.cleanups = []
        self.tmp = Path(tempfile.mkdtemp(prefix="prod-smoke-"))
        self.cleanups.append(lambda: shutil.rmtree(self.tmp, ignore_errors=True))

    def start(self, name: str, args: list[str], env=None) -> subprocess.Popen:
        logfile = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(  # noqa: S603 - our own fixed commands
            args,
            cwd=ROOT,
            env=env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.logfile = logfile
        process.name = name
        self.processes.append(process)
        return process

    def log_of(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            process.logfile.close()
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as error:
                log(f"cleanup failed: {error}")


def database(stack: Stack) -> str:
    import psycopg

    name = f"ranaregionen_smoke_{secrets.token_hex(4)}"
    admin_url = urlunsplit(urlsplit(POSTGRES_URL)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    stack.cleanups.append(drop)
    return urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))


def object_storage(stack: Stack) -> str:
    import boto3

    port = free_port()
    stack.start("s3", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)])
    wait_for_port(port)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    policy = json.loads((ROOT / "ops" / "bucket-policy.json").read_text().replace("BUCKET", BUCKET))
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    return endpoint


def redis(stack: Stack) -> str:
    port = free_port()
    executable = shutil.which("redis-server")
    if executable is None:
        raise SmokeFailure("redis-server is missing: run `make system-deps`")
    stack.start("redis", [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", ""])
    wait_for_port(port)
    return f"redis://127.0.0.1:{port}/0"


def varnish(stack: Stack, backend_port: int, *more_ports: int) -> str:
    """Varnish with the project's VCL (ops/varnish.vcl), its backend the app's port; with
    more ports, more app servers in its director, as docs/deployment.md adds them."""
    executable = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(executable).exists():
        raise SmokeFailure("varnishd is missing: run `make system-deps`")
    vcl = (ROOT / "ops" / "varnish.vcl").read_text()
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";')
    first = vcl[vcl.index("backend app {") : vcl.index("}", vcl.index("backend app {")) + 1]
    for number, port in enumerate(more_ports, start=2):
        backend = first.replace("backend app {", f"backend app{number} {{")
        backend = backend.replace(f'.port = "{backend_port}";', f'.port = "{port}";')
        vcl = vcl.replace(first, f"{first}\n\n{backend}", 1)
        added = f"apps.add_backend(app);\n    apps.add_backend(app{number});"
        vcl = vcl.replace("apps.add_backend(app);", added, 1)
    configured = stack.tmp / "varnish.vcl"
    configured.write_text(vcl)
    port = free_port()
    stack.start(
        "varnish",
        [
            executable, "-F", "-f", str(configured), "-a", f"127.0.0.1:{port}",
            "-n", str(stack.tmp / "varnish"), "-s", "malloc,64m", "-j", "none",
        ],
    )  # fmt: skip
    wait_for_port(port)
    return f"http://127.0.0.1:{port}"


VARNISHED = ("/nb/rana/", "/en/rana/", "/nb/", "/en/", "/sitemap-1.xml")


def check_varnish(env: dict, base: str, front: str, failures: list[str]) -> None:
    """Through Varnish: anonymous pages are kept, and a publish purges the page in both
    languages and the pages listing it; the API always comes fresh from the app."""
    host = urlsplit(base).netloc  # the site's own host, as the purges name it
    for path in VARNISHED:
        first = fetch(f"{front}{path}", Host=host)
        again = fetch(f"{front}{path}", Host=host)
        check(first.status == again.status == 200, f"varnish {path}: {again.status}", failures)
        check(again.headers.get("X-Cache") == "hit", f"varnish {path}: not kept", failures)
        check_security_headers(f"{path} (through Varnish)", again, failures)
    intro = f"Publisert bak Varnish ({secrets.token_hex(4)})."
    manage(env, "shell", "-c", PUBLISH_ELSEWHERE.format(intro=intro))
    for path in VARNISHED:
        answer = fetch(f"{front}{path}", Host=host)
        check(answer.headers.get("X-Cache") == "miss", f"varnish {path}: not purged", failures)
    page = fetch(f"{front}/nb/rana/", Host=host)
    check(intro in page.text, "varnish /nb/rana/: the publish is not seen", failures)
    api = fetch(f"{front}/api/v1/municipalities/rana?lang=nb", Host=host)
    check(api.headers.get("X-Cache") == "miss", "varnish: an API answer was kept", failures)
    check(intro in api.text, "varnish: the API's answer is stale", failures)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=remaining(),
        check=False,
    )
    if result.returncode != 0:
        raise SmokeFailure(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


CHECKED = [0]


def check(condition: bool, message: str, failures: list[str]) -> None:
    CHECKED[0] += 1
    if not condition:
        failures.append(message)


def check_security_headers(url: str, response: Response, failures: list[str], admin=False) -> None:
    headers = response.headers
    check(
        headers.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload",
        f"{url}: HSTS is {headers.get('Strict-Transport-Security')!r}",
        failures,
    )
    check(headers.get("X-Content-Type-Options") == "nosniff", f"{url}: no nosniff", failures)
    check(bool(headers.get("Referrer-Policy")), f"{url}: no Referrer-Policy", failures)
    csp = headers.get("Content-Security-Policy", "")
    check("object-src 'none'" in csp, f"{url}: CSP without object-src 'none': {csp!r}", failures)
    if not admin:
        check("unsafe-inline" not in csp, f"{url}: CSP allows inline code: {csp!r}", failures)
        check("base-uri 'none'" in csp, f"{url}: CSP without base-uri 'none'", failures)
        check("frame-ancestors 'none'" in csp, f"{url}: CSP may be framed", failures)


def run_checks(base: str, endpoint: str, failures: list[str]) -> dict:
    counts = {"pages": 0, "images": 0}
    ready = fetch(f"{base}/readyz")
    check(ready.status == 200, f"/readyz: {ready.status} {ready.text}", failures)

    sitemap = fetch(f"{base}/sitemap.xml")
    check(sitemap.status == 200, f"/sitemap.xml: {sitemap.status}", failures)
    check_security_headers("/sitemap.xml", sitemap, failures)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.fromstring(sitemap.body)  # noqa: S314 - our own site's sitemap
    locations = []
    for part in index.findall("s:sitemap/s:loc", namespace):
        path = urlsplit(part.text).path
        answer = fetch(f"{base}{path}")
        check(answer.status == 200, f"{path}: {answer.status}", failures)
        tree = ElementTree.fromstring(answer.body)  # noqa: S314 - our own site's sitemap
        locations += [element.text for element in tree.findall("s:url/s:loc", namespace)]
    languages = {urlsplit(location).path.split("/")[1] for location in locations}
    check(languages == {"nb", "en"}, f"sitemap languages: {sorted(languages)}", failures)

    bucket_prefix = f"{endpoint}/{BUCKET}/"
    image_urls = set()
    share_urls = set()
    stylesheet = None
    for location in locations:
        path = urlsplit(location).path
        page = fetch(f"{base}{path}")
        counts["pages"] += 1
        check(page.status == 200, f"{path}: {page.status}", failures)
        check_security_headers(path, page, failures)
        check(
            "s-maxage=" in page.headers.get("Cache-Control", ""),
            f"{path}: not cacheable by the CDN: {page.headers.get('Cache-Control')!r}",
            failures,
        )
        check("Set-Cookie" not in page.headers, f"{path}: sets a cookie", failures)
        for source in re.findall(r'<img[^>]+src="([^"]+)"', page.text):
            image_urls.add(source)
            check(
                source.startswith(bucket_prefix),
                f"{path}: image not in the bucket: {source}",
                failures,
            )
        for content in re.findall(r'<meta property="og:image" content="([^"]+)"', page.text):
            # The page's own picture from the bucket, or the site's sharing picture (a
            # fingerprinted static file) when the page has none.
            shared = re.match(r"https?://[^/]+(/static/img/share\.[0-9a-f]{12}\.png)$", content)
            check(
                content.startswith(bucket_prefix) or shared,
                f"{path}: og:image neither in the bucket nor the site's own: {content}",
                failures,
            )
            if shared:
                share_urls.add(f"{base}{shared.group(1)}")
        stylesheet = stylesheet or re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    counts["images"] = len(image_urls)

    # Read again, every page is answered from the response cache in Redis (any worker),
    # with the same bytes and the same security headers.
    for location in locations:
        path = urlsplit(location).path
        first, again = fetch(f"{base}{path}"), fetch(f"{base}{path}")
        check(
            again.headers.get("X-Response-Cache") == "hit",
            f"{path}: read twice, not answered from the response cache "
            f"({again.headers.get('X-Response-Cache')!r})",
            failures,
        )
        check(again.body == first.body, f"{path}: the cached answer differs", failures)
        check_security_headers(f"{path} (cached)", again, failures)
    check(image_urls, "no page shows an image: the media check proved nothing", failures)

    for url in sorted(share_urls):
        check(fetch(url).status == 200, f"{url}: the sharing picture is not served", failures)

    for url in sorted(image_urls)[:3]:
        image = fetch(url)
        check(image.status == 200, f"{url}: {image.status}", failures)
        check(image.headers.get("Cache-Control") == IMAGE_CACHE, f"{url}: cache headers", failures)

    if stylesheet:
        href = stylesheet.group(1)
        check(re.search(r"\.[0-9a-f]{12}\.css$", href) is not None, f"{href}: not hashed", failures)
        static = fetch(f"{base}{href}", **{"Accept-Encoding": "gzip"})
        check(static.status == 200, f"{href}: {static.status}", failures)
        check(static.headers.get("Content-Encoding") == "gzip", f"{href}: not compressed", failures)
        check(
            "immutable" in static.headers.get("Cache-Control", ""),
            f"{href}: cache {static.headers.get('Cache-Control')!r}",
            failures,
        )
    else:
        failures.append("no stylesheet link on the pages")

    api = fetch(f"{base}/api/v1/municipalities")
    check(api.status == 200, f"/api/v1/municipalities: {api.status} {api.text[:300]}", failures)
    if api.status == 200:
        check_security_headers("/api/v1/municipalities", api, failures)
        body = json.loads(api.body)
        items = body if isinstance(body, list) else body.get("items", body.get("results", []))
        check(len(items) == 4, f"/api/v1/municipalities: {len(items)} municipalities", failures)

    login = fetch(f"{base}/admin/login/")
    check(login.status == 200, f"/admin/login/: {login.status}", failures)
    check_security_headers("/admin/login/", login, failures, admin=True)
    return counts


PUBLISH_ELSEWHERE = """
from region_pages.models import MunicipalityPage
page = MunicipalityPage.objects.get(slug="rana", locale__language_code="nb")
page.intro = {intro!r}
page.save_revision().publish()
print(page.pk)
"""
ADD_WEBHOOK = """
from webhooks.models import Webhook
print(Webhook.objects.create(name="Smoke test", url={url!r}).secret)
"""


class Receiver:
    """A partner's webhook endpoint on loopback: keeps each POST's headers and body."""

    def __init__(self):
        self.deliveries = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.deliveries.append((dict(self.headers.items()), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verified(self, secret: str) -> list[dict]:
        """The bodies whose Standard Webhooks signature holds, parsed."""
        return [
            json.loads(body)
            for headers, body in self.deliveries
            if signing.verify(secret, {k.lower(): v for k, v in headers.items()}, body)
        ]


def check_publish_is_seen(env: dict, base: str, failures: list[str]) -> None:
    """A publish in another process is seen on the next read from every worker: the
    response cache's copy of the content version in Redis moved on after its commit.
    The page is kept gzipped too, and sent so to a client that asks."""
    path = "/nb/rana/"
    for _ in range(3):  # kept by at least one worker, then read from Redis by any
        fetch(f"{base}{path}")
    receiver = Receiver()
    secret = manage(env, "shell", "-c", ADD_WEBHOOK.format(url=receiver.url)).split()[-1]
    intro = f"Publisert fra en annen prosess ({secrets.token_hex(4)})."
    page_id = int(manage(env, "shell", "-c", PUBLISH_ELSEWHERE.format(intro=intro)).split()[-1])
    # The deliverer tells the partner, signed: the page is among the events.
    manage(env, "deliver_webhooks")
    told = receiver.verified(secret)
    check(len(told) == len(receiver.deliveries) == 1, f"webhook: {receiver.deliveries}", failures)
    pages = {item["id"] for message in told for item in message["items"]}
    check(page_id in pages, f"webhook: page {page_id} not told: {told}", failures)
    receiver.server.shutdown()
    for attempt in range(4):  # two workers with two threads: every one of them
        answer = fetch(f"{base}{path}", **{"Accept-Encoding": "gzip"})
        check(answer.status == 200, f"{path} after a publish: {answer.status}", failures)
        encoding = answer.headers.get("Content-Encoding")
        check(encoding == "gzip", f"{path}: not sent gzipped ({encoding!r})", failures)
        text = gzip.decompress(answer.body).decode() if encoding == "gzip" else answer.text
        check(intro in text, f"{path}: read {attempt + 1} after a publish is stale", failures)


def by_label(text: str, sample_name: str, label: str) -> dict[str, float]:
    """One metric's samples in a Prometheus exposition, added up by one label's values."""
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == sample_name:
                key = sample.labels.get(label, "")
                found[key] = found.get(key, 0) + sample.value
    return found


def check_observability(env: dict, base: str, stack: Stack, failures: list[str]) -> None:
    """Each answer carries a request id, gunicorn's log lines are JSON with that id and
    without the client's address, and the metrics endpoint adds up every process (both
    workers, and the other process that published): requests, cache hits, publish steps,
    webhook deliveries."""
    request_id = f"smoke-{secrets.token_hex(8)}"
    answer = fetch(f"{base}/en/rana/", **{"X-Request-ID": request_id})
    check(answer.headers.get("X-Request-ID") == request_id, "X-Request-ID not echoed", failures)
    fresh = fetch(f"{base}/healthz").headers.get("X-Request-ID") or ""
    check(len(fresh) == 32, f"a request without an id got {fresh!r}", failures)
    for _ in range(3):
        fetch(f"{base}/en/rana/")
    lines = (stack.tmp / "gunicorn.log").read_text(errors="replace").splitlines()
    records = []
    for line in lines:
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except ValueError:
                failures.append(f"gunicorn log: not a JSON line: {line[:200]}")
    check(len(records) > 20, f"gunicorn log: only {len(records)} JSON lines", failures)
    mine = [r for r in records if r.get("request_id") == request_id]
    check(
        any("GET /en/rana/ 200" in r.get("message", "") for r in mine),
        f"gunicorn log: no access line for request {request_id}",
        failures,
    )
    leaked = [r for r in records if "127.0.0.1" in json.dumps(r)]
    check(not leaked, f"gunicorn log: a client address was logged: {leaked[:2]}", failures)
    check(fetch(f"{base}/metrics").status == 401, "/metrics answered without a token", failures)
    scraped = fetch(f"{base}/metrics", Authorization=f"Bearer {env['METRICS_TOKEN']}")
    check(scraped.status == 200, f"/metrics with the token: {scraped.status}", failures)
    text = scraped.text
    served = sum(by_label(text, "ranaregionen_http_requests_total", "route").values())
    check(served >= 50, f"metrics: only {served:.0f} requests counted", failures)
    hits = by_label(text, "ranaregionen_response_cache_total", "outcome").get("hit", 0)
    check(hits >= 3, f"metrics: {hits:.0f} response cache hits", failures)
    steps = by_label(text, "ranaregionen_publish_step_duration_seconds_count", "step")
    published = sum(steps.values())
    check(published >= 1, "metrics: the other process's publish was not counted", failures)
    told = by_label(text, "ranaregionen_webhook_deliveries_total", "outcome").get("ok", 0)
    check(told >= 1, "metrics: the webhook delivery was not counted", failures)
    log(f"metrics: {served:.0f} requests, {hits:.0f} cache hits, {published:.0f} publish steps")


def check_regions(env: dict, base: str, failures: list[str]) -> None:
    """The demo's second region on its own host, through gunicorn and the response cache
    in Redis: its own pages, municipalities and sitemap, nothing of the first region's
    (and the other way round), each host's answers kept apart, and counted by region."""
    host = f"mosjoen.localhost:{urlsplit(base).port}"
    second = {"Host": host}
    home = [fetch(f"{base}/nb/", **second) for _ in range(2)]
    check(home[0].status == 200, f"{host}/nb/ answered {home[0].status}", failures)
    check("<title>Mosjøenregionen</title>" in home[0].text, f"{host}/nb/: not its title", failures)
    check(
        home[1].headers.get("X-Response-Cache") == "hit",
        f"{host}/nb/ not from the response cache the second time",
        failures,
    )
    check(
        not any(name in home[1].text for name in ("Hemnes", "Lurøy", "Ranaregionen")),
        f"{host}/nb/ shows the first region",
        failures,
    )
    first = fetch(f"{base}/nb/").text
    check("Vefsn" not in first and "Mosjøen" not in first, "/nb/ shows Mosjøen", failures)

    def numbers(**headers) -> set[str]:
        answer = fetch(f"{base}/api/v1/municipalities?lang=nb", **headers)
        return {item["number"] for item in json.loads(answer.body)["items"]}

    for _ in range(2):  # rendered, then from the response cache
        check(numbers(**second) == {"1824", "1825", "1826"}, f"{host} API: not its own", failures)
        check(numbers() == {"1828", "1832", "1833", "1834"}, "first region's API mixed", failures)
    sitemap = fetch(f"{base}/sitemap-1.xml", **second).text
    hosts = set(re.findall(r"<loc>https?://([^/<]+)/", sitemap))
    check(hosts == {host}, f"{host} sitemap lists other hosts: {hosts}", failures)
    # A request is counted when the server closes it, which may come just after the client
    # has its answer: scrape until the five requests above are in, a bounded number of times.
    for _attempt in range(50):
        scraped = fetch(f"{base}/metrics", Authorization=f"Bearer {env['METRICS_TOKEN']}").text
        by_region = by_label(scraped, "ranaregionen_http_requests_total", "region")
        if by_region.get("mosjoenregionen", 0) >= 5:
            break
    check(
        by_region.get("mosjoenregionen", 0) >= 5,
        f"metrics: the second region's requests not counted by region: {by_region}",
        failures,
    )
    log(f"regions: {host} served apart; requests by region {by_region}")


def check_fair_limits(env: dict, base: str, failures: list[str]) -> None:
    """A noisy partner hammers the API with its key from many threads (so over both
    workers) while a quiet one reads: the noisy one gets exactly its share, counted in
    Redis across the workers, then 429s with Retry-After; the quiet one is served."""

    def issue(name: str) -> str:
        out = manage(env, "apikeys", "issue", name, "--per-minute", "1")
        return next(line for line in out.splitlines() if line.startswith("rk_"))

    noisy, quiet = issue("Noisy partner"), issue("Quiet partner")
    quota = 60  # one a minute, over the smoke test's window of an hour

    def read(key: str) -> Response:
        return fetch(f"{base}/api/v1/regions", Authorization=f"Bearer {key}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        hammering = [pool.submit(read, noisy) for _ in range(150)]
        calm = [read(quiet) for _ in range(10)]
        answers = [future.result() for future in hammering]
    served = [answer for answer in answers if answer.status == 200]
    refused = [answer for answer in answers if answer.status == 429]
    check(len(served) + len(refused) == 150, "fair limits: other answers than 200/429", failures)
    # Each answer tells the seconds left in its window: a burst that crossed into the next
    # hour had two windows' share.
    left = [int(a.headers.get("RateLimit", "t=0").rsplit("t=", 1)[-1]) for a in answers]
    windows = 2 if max(left) - min(left) > 60 else 1
    check(
        len(served) == quota * windows,
        f"fair limits: {len(served)} served of the noisy partner's 150, its share is {quota}",
        failures,
    )
    check(
        all(int(answer.headers.get("Retry-After", "0")) > 0 for answer in refused),
        "fair limits: a 429 without Retry-After",
        failures,
    )
    check(
        [answer.status for answer in calm] == [200] * 10,
        f"fair limits: the quiet partner was refused: {[a.status for a in calm]}",
        failures,
    )
    log(f"fair limits: noisy partner {len(served)} served, {len(refused)} refused; quiet served")


def check_full_sync(base: str, failures: list[str]) -> None:
    """A partner's full sync of the demo, as docs/api.md describes it: the feed's head,
    then whole lists in both languages, in at most 8 requests, equal to fetching every
    resource on its own."""
    requests = 0

    def local(url: str) -> str:
        """An address the API gave (on the public https origin) on this stack."""
        parts = urlsplit(url)
        return f"{base}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    def get(url: str) -> dict:
        nonlocal requests
        requests += 1
        answer = fetch(local(url))
        check(answer.status == 200, f"full sync: {url} answered {answer.status}", failures)
        return json.loads(answer.body) if answer.status == 200 else {"items": [], "next": None}

    get(f"{base}/api/v1/changes/head")
    mirror = {}
    for lang in ("nb", "en"):
        for kind, path in (
            ("page", "pages?include=body&"),
            ("entry", "entries?"),
            ("vacancy", "vacancies?"),
        ):
            url = f"{base}/api/v1/{path}lang={lang}&limit=100"
            while url:
                answer = get(url)
                mirror.update({(kind, item["id"], lang): item for item in answer["items"]})
                url = answer.get("next")
    check(requests <= 8, f"full sync of the demo took {requests} requests", failures)
    details = {key: json.loads(fetch(local(item["api_url"])).body) for key, item in mirror.items()}
    differing = [key for key, item in mirror.items() if details[key] != item]
    check(not differing, f"full sync: lists differ from details: {differing[:5]}", failures)
    log(f"full sync: {len(mirror)} resources in {requests} requests, each as its detail")


def main() -> int:
    started = time.monotonic()
    stack = Stack()
    failures: list[str] = []
    try:
        log("starting PostgreSQL database, S3 server and Redis")
        database_url = database(stack)
        endpoint = object_storage(stack)
        redis_url = redis(stack)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        front = varnish(stack, port)
        env = {
            **{key: value for key, value in os.environ.items() if not key.startswith("AWS_")},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            # A throw-away copy: the demo content is what the smoke test checks.
            "DEMO_COMMANDS_ALLOWED": "1",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
            "CSRF_TRUSTED_ORIGINS": base,
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": S3_KEY,
            "AWS_SECRET_ACCESS_KEY": S3_SECRET,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "SITE_BASE_URL": base,
            "WAGTAILADMIN_BASE_URL": base,
            "STATIC_ROOT": str(stack.tmp / "static"),
            "GUNICORN_BIND": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_THREADS": "2",
            "LOG_LEVEL": "WARNING",
            # The smoke test's partner listens on loopback, in the clear.
            "WEBHOOKS_ALLOW_HTTP": "1",
            "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "1",
            # Publishing purges Varnish (ops/varnish.vcl) in front of the app.
            "FRONTEND_CACHE_PURGE_URL": front,
            # Every process of the stack writes its metrics here; the endpoint adds them up.
            "PROMETHEUS_MULTIPROC_DIR": str(stack.tmp / "metrics"),
            "METRICS_TOKEN": secrets.token_urlsafe(24),
            # Every check comes from this one address: anonymous reading is not limited
            # here; the fair limits are checked with keys (check_fair_limits), over an hour's
            # window so that a burst falls in one window.
            "API_RATE_LIMIT_ANONYMOUS": "1000000",
            "API_RATE_LIMIT_WINDOW": "3600",
        }
        (stack.tmp / "metrics").mkdir()
        log("migrate, load_demo, collectstatic")
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--no-input", "-v0")
        log(f"starting gunicorn on {base}")
        gunicorn = stack.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "-c", "python:cms.gunicorn", "cms.wsgi:application"],
            env=env,
        )
        try:
            wait_for(f"{base}/healthz")
        except SmokeFailure:
            raise SmokeFailure(f"gunicorn did not start:\n{stack.log_of('gunicorn')}") from None
        counts = run_checks(base, endpoint, failures)
        check_publish_is_seen(env, base, failures)
        check_varnish(env, base, front, failures)
        check_observability(env, base, stack, failures)
        check_regions(env, base, failures)
        check_full_sync(base, failures)
        check_fair_limits(env, base, failures)
        check(gunicorn.poll() is None, "gunicorn died during the checks", failures)
        log(f"fetched {counts['pages']} pages showing {counts['images']} images")
    except SmokeFailure as error:
        failures.append(str(error))
    finally:
        stack.stop()
    return report(failures, started)


def report(failures: list[str], started: float) -> int:
    """The summary line and each failure; the exit status."""
    seconds = time.monotonic() - started
    passed = max(CHECKED[0] - len(failures), 0)
    print(f"{NAME[0]}: {passed} passed, {len(failures)} failed", flush=True)
    if failures:
        for failure in failures:
            log(f"FAIL {failure}")
        log(f"{len(failures)} failed checks in {seconds:.0f} s")
        return 1
    log(f"all checks passed in {seconds:.0f} s; everything started has been stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
