"""Fair limits on the partner API, in front of everything else (the response cache too).

Reading needs no key: anonymous requests share a quota per client address. A partner that
sends its key (`Authorization: Bearer rk_…`) is counted on its own, with the key's quota.
Every answer says where the client stands, as the IETF's RateLimit header fields draft
describes them (`RateLimit-Policy: "key";q=1200;w=60`, `RateLimit: "key";r=1187;t=42`);
past the quota the answer is a 429 problem with `Retry-After`.

Counts are kept in the shared cache (Redis in production), one counter per client and
window of `API_RATE_LIMIT_WINDOW` seconds, so they hold across workers and servers. With
the cache away nothing is counted and nothing refused: reading must not fail because
Redis does.

The key is taken off the request once it has been checked: an answer does not depend on
who asked, so keyed requests are served from the response cache like anyone's.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from region_pages.api.http import CORS_HEADERS
from region_pages.api.problems import Problem, problem_response

from .models import KEY_PREFIX, ApiKey, digest_of

API_PREFIX = "/api/v1/"
GRANT_SECONDS = 60
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Grant:
    policy: str  # the quota's name: "anonymous" or "key"
    identity: str  # who is counted
    quota: int  # requests a window


def forget(digest: str) -> None:
    caches[settings.API_RATE_LIMIT_CACHE_ALIAS].delete(_grant_key(digest))


def _grant_key(digest: str) -> str:
    return f"apikey:{digest}"


def client_address(environ) -> str:
    """The client's address, as the last of the `AXES_PROXY_COUNT` proxies in front of
    the site received it (each proxy appends the address it received the request from to
    X-Forwarded-For; the last proxy is REMOTE_ADDR). A request that did not come through
    them all is counted under one shared address."""
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return environ.get("REMOTE_ADDR", "") or UNKNOWN
    chain = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    return chain[-proxies] if len(chain) >= proxies else UNKNOWN


def count(cache, key: str, seconds: int) -> int | None:
    """This request's number in its window; None when the cache cannot count. Redis
    counts in one round trip (the project's Redis cache's `count`, `cms.cache`); other
    caches through `incr` and `add`."""
    counter = getattr(cache, "count", None)
    if counter is not None:
        return counter(key, seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:
        pass
    if cache.add(key, 1, timeout=seconds + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        return None


class RateLimiter:
    def __init__(self, application, clock=time.time):
        self.application = application
        self.clock = clock

    def __call__(self, environ, start_response):
        if not settings.API_RATE_LIMITS or not environ.get("PATH_INFO", "").startswith(API_PREFIX):
            return self.application(environ, start_response)
        cache = caches[settings.API_RATE_LIMIT_CACHE_ALIAS]
        key = self.presented_key(environ)
        if key is None:
            grant = Grant(
                "anonymous", f"ip:{client_address(environ)}", settings.API_RATE_LIMIT_ANONYMOUS
            )
        else:
            grant = self.grant_for(cache, key)
            if grant is None:
                return self.refuse(environ, start_response, self.unknown_key, [])
            # Answers are alike for every reader: served from the response cache as well.
            del environ["HTTP_AUTHORIZATION"]
        window = settings.API_RATE_LIMIT_WINDOW
        now = self.clock()
        reset = max(1, window - int(now % window))
        number = count(cache, f"ratelimit:{grant.identity}:{int(now // window)}", window)
        headers = [("RateLimit-Policy", f'"{grant.policy}";q={grant.quota};w={window}')]
        if number is not None:
            remaining = max(0, grant.quota - number)
            headers.append(("RateLimit", f'"{grant.policy}";r={remaining};t={reset}'))
            if number > grant.quota:
                headers.append(("Retry-After", str(reset)))
                problem = lambda: self.too_many(grant, reset)  # noqa: E731 - worded in the reader's language
                return self.refuse(environ, start_response, problem, headers)

        def start(status, response_headers, exc_info=None):
            return start_response(status, [*response_headers, *headers], exc_info)

        return self.application(environ, start)

    @staticmethod
    def presented_key(environ) -> str | None:
        scheme, _sep, credentials = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        credentials = credentials.strip()
        if scheme.lower() == "bearer" and credentials.startswith(KEY_PREFIX):
            return credentials
        return None

    @staticmethod
    def grant_for(cache, key: str) -> Grant | None:
        """The key's grant (kept a minute in the cache), or None for a key that is not
        known or no longer active."""
        digest = digest_of(key)
        found = cache.get(_grant_key(digest))
        if found is None:
            try:
                row = (
                    ApiKey.objects.filter(digest=digest, is_active=True)
                    .values_list("pk", "requests_per_minute")
                    .first()
                )
            except DatabaseError:
                row = None
            found = list(row) if row else UNKNOWN
            cache.set(_grant_key(digest), found, GRANT_SECONDS)
        if found == UNKNOWN:
            return None
        key_id, per_minute = found
        quota = max(1, round(per_minute * settings.API_RATE_LIMIT_WINDOW / 60))
        return Grant("key", f"key:{key_id}", quota)

    @staticmethod
    def unknown_key() -> Problem:
        return Problem(
            401,
            "unknown-api-key",
            _("API key not known"),
            _(
                "This API key is not known, or it has been revoked. Reading needs no key: "
                "leave the Authorization header out, or ask the region's coordinator for a "
                "new key."
            ),
        )

    @staticmethod
    def too_many(grant: Grant, reset: int) -> Problem:
        if grant.policy == "key":
            detail = _(
                "This key has made %(quota)s requests in this window, its share. Try again "
                "in %(seconds)s seconds (Retry-After), or ask the region's coordinator for a "
                "larger share."
            )
        else:
            detail = _(
                "%(quota)s requests in this window have come from your address, the share "
                "of clients without a key. Try again in %(seconds)s seconds (Retry-After), "
                "or ask the region's coordinator for an API key with a larger share."
            )
        return Problem(
            429,
            "too-many-requests",
            _("Too many requests"),
            detail % {"quota": grant.quota, "seconds": reset},
        )

    def refuse(self, environ, start_response, problem: Callable[[], Problem], headers: list):
        """Answer with the problem `problem()` makes, worded in the reader's language."""
        request = WSGIRequest(environ)
        with translation.override(translation.get_language_from_request(request)):
            response = problem_response(request, problem())
            body = response.content
        response_headers = [
            ("Content-Type", response["Content-Type"]),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *CORS_HEADERS.items(),
            *headers,
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", response_headers)
        return [body]
