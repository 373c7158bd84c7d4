"""The outermost WSGI wrapper: each request gets its id and is counted and timed.

It sits outside the response cache, so a hit is measured like a rendered page. The route
label is the URL pattern Django resolved (`observability.middleware.RouteMiddleware` writes it into
the WSGI environ); a hit at the response cache is labelled `(response cache)` and an
address no pattern matched `(unmatched)`. The metrics endpoint (`METRICS_PATH`) is
answered here, before Django, and only to a scraper that sends `Authorization: Bearer`
with `METRICS_TOKEN`; without a token configured it does not exist (404 from Django).
Requests and cache outcomes are also labelled by region: `region_of(environ)` names the
region a request's host serves (given by the project, which knows the regions).
"""

import hmac
import time

from django.conf import settings

from . import context, metrics

ROUTE_KEY = "observability.route"
CACHE_HEADER = "x-response-cache"
CACHED_ROUTE = "(response cache)"
UNMATCHED_ROUTE = "(unmatched)"


class RequestObserver:
    def __init__(self, application, region_of=None):
        self.application = application
        self.region_of = region_of or (lambda environ: "")

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == settings.METRICS_PATH and settings.METRICS_TOKEN:
            return self.metrics(environ, start_response)
        request_id = context.accepted(environ.get(context.ENVIRON_KEY)) or context.new_id()
        environ[context.ENVIRON_KEY] = request_id
        seen = {}
        started = time.perf_counter()

        def observing_start_response(status, headers, exc_info=None):
            seen["status"] = status.split(" ", 1)[0]
            seen["cache"] = next(
                (value for name, value in headers if name.lower() == CACHE_HEADER), None
            )
            headers = [h for h in headers if h[0].lower() != context.HEADER.lower()]
            headers.append((context.HEADER, request_id))
            return start_response(status, headers, exc_info)

        with context.bound(request_id):
            body = self.application(environ, observing_start_response)
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(file_wrapper, type) and isinstance(body, file_wrapper):
            # A file the server sends itself (sendfile): wrapping it would stop that.
            self.record(environ, seen, started)
            return body
        return _Observed(body, lambda: self.record(environ, seen, started))

    def record(self, environ, seen: dict, started: float) -> None:
        region = self.region_of(environ)
        cache = seen.get("cache")
        if cache:
            metrics.RESPONSE_CACHE.labels(region=region, outcome=cache).inc()
        route = CACHED_ROUTE if cache == "hit" else environ.get(ROUTE_KEY, UNMATCHED_ROUTE)
        method = environ.get("REQUEST_METHOD", "")
        if method not in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}:
            method = "other"
        metrics.REQUESTS.labels(
            region=region, route=route, method=method, status=seen.get("status", "")
        ).inc()
        metrics.LATENCY.labels(route=route).observe(time.perf_counter() - started)

    @staticmethod
    def metrics(environ, start_response):
        offered = environ.get("HTTP_AUTHORIZATION", "")
        expected = f"Bearer {settings.METRICS_TOKEN}"
        if not hmac.compare_digest(offered.encode(), expected.encode()):
            start_response(
                "401 Unauthorized",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("WWW-Authenticate", 'Bearer realm="metrics"'),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [b"The metrics need the scraper's bearer token (METRICS_TOKEN).\n"]
        body, content_type = metrics.exposition()
        start_response(
            "200 OK",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]


class _Observed:
    """The application's body, passed through; the request is recorded when the server
    closes it (after the last byte), whatever the body is."""

    def __init__(self, body, on_close):
        self.body = body
        self.on_close = on_close

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close()
