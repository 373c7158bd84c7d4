"""What HTTP asks of every answer under /api/v1/, done once for all endpoints.

- Validators before any rendering: the ETag is a hash of the content version
  (`region_pages.versions`, moved on by every publish, sync, and change to the search's
  synonyms and promotions) and the normalised request, so `If-None-Match` (or
  `If-Modified-Since`) is answered with 304 after one query, without running the view.
  HTTP dates have whole seconds, and two publishes may fall in one: `Last-Modified` is the
  end of the second the content last changed in, sent only once that second is over, and
  `If-Modified-Since` gets a 304 only when the last change came before the date it sends.
  So a date a client holds never hides a later change.
- `Cache-Control` for browsers and a CDN (kept, revalidated before each use); `Vary`
  only where the answer varies.
- CORS: any origin may read (GET, HEAD, OPTIONS), without credentials.
- Every error is problem details (RFC 9457), including unknown paths, other methods and
  an unhandled exception.
"""

import hashlib
import time
from email.utils import formatdate

from django.core.handlers.exception import response_for_exception
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_http_date_safe, quote_etag

from .. import versions
from ..models import EventPage
from . import preview
from .problems import PROBLEM_CONTENT_TYPE, status_problem

API_PREFIX = "/api/v1/"
LANGUAGES = ("nb", "en")
# Raised when a change would give different bytes for the same content version.
REPRESENTATION_VERSION = "1"

# Any cache may keep an answer, but must ask again before using it (If-None-Match, a 304
# without a body when nothing changed): a client that follows the change feed to an
# `api_url` never gets an older answer from a cache on the way.
CACHE_CONTROL = "public, no-cache"
ERROR_CACHE_CONTROL = "no-store"

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Language, RateLimit, "
    "RateLimit-Policy, Retry-After",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Authorization, If-None-Match, "
    "If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


# Answers that change with the clock as well as with content: the events that have not
# ended yet.
CLOCK_DEPENDENT = (f"{API_PREFIX}events",)


def clock_salt(request) -> str:
    """For a list of events that have not ended: the end of the first of them. It changes
    the moment that event ends, without a publish, and with it the list's validator."""
    if request.path not in CLOCK_DEPENDENT or request.GET.get("include_past") == "true":
        return ""
    first_end = (
        EventPage.objects.live()
        .filter(ends_at__gte=timezone.now())
        .order_by("ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    return first_end.isoformat() if first_end else "none"


def compute_etag(request, version: str, salt: str = "") -> str:
    query = sorted((key, value) for key, values in request.GET.lists() for value in values)
    parts = [
        REPRESENTATION_VERSION,
        version,
        salt,
        request.scheme,
        request.get_host(),
        request.path,
        repr(query),
    ]
    raw = "|".join(parts)
    return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:40])


def _now() -> float:
    return time.time()


def last_modified(changed_at) -> int | None:
    """`Last-Modified` in whole seconds: the end of the second of the last change, once
    that second is over (before, a later publish in the same second could not be told
    apart from it); None before the first change or within its second."""
    if changed_at is None:
        return None
    stamp = int(changed_at.timestamp()) + 1
    return stamp if _now() >= stamp else None


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = [tag.strip() for tag in if_none_match.split(",")]
    # A weak comparison, as RFC 9110 asks for If-None-Match.
    return "*" in candidates or any(tag.removeprefix("W/") == etag for tag in candidates)


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        lang = request.GET.get("lang")
        # Problems speak the requested content language, else the Accept-Language one.
        with translation.override(lang if lang in LANGUAGES else translation.get_language()):
            try:
                response = self._handle(request)
            except Exception as error:
                # An error here, outside the view (the content version's query on a lost
                # database connection), would otherwise reach Django's HTML error page.
                # Django's own handling logs it and signals it; the answer is a problem.
                response = self._as_problem(request, response_for_exception(request, error))
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    def _handle(self, request):
        if request.method == "OPTIONS":
            response = self._empty(204)
            for header, value in PREFLIGHT_HEADERS.items():
                response[header] = value
            return response
        if request.method not in ("GET", "HEAD"):
            response = status_problem(request, 405)
            response["Allow"] = "GET, HEAD, OPTIONS"
            response["Cache-Control"] = ERROR_CACHE_CONTROL
            return response

        if preview.presented(request) is not None:
            return self._preview(request)
        _version, changed_at = versions.current()
        salt = clock_salt(request)
        # The view keeps its answer under the same salt (the list of events).
        request.api_clock_salt = salt
        etag = compute_etag(request, versions.token(), salt)
        # A clock-dependent answer has no modification time a date could stand for.
        modified = None if salt else last_modified(changed_at)
        if salt:
            changed_at = None
        if self._not_modified(request, etag, changed_at):
            response = self._empty(304)
        else:
            is_head = request.method == "HEAD"
            if is_head:
                request.method = "GET"
            response = self.get_response(request)
            if is_head:
                request.method = "HEAD"
                response.content = b""
            if getattr(request, "api_problem", None) is not None:
                response = request.api_problem
            if response.status_code >= 300:
                # The API never redirects: a redirect here is LocaleMiddleware's answer
                # to a path nothing matched.
                if response.status_code < 400:
                    response = status_problem(request, 404)
                return self._as_problem(request, response)
        response["ETag"] = etag
        if modified:
            response["Last-Modified"] = formatdate(modified, usegmt=True)
        response["Cache-Control"] = CACHE_CONTROL
        self._drop_language_vary(response)
        lang = request.GET.get("lang")
        if lang in LANGUAGES:
            response["Content-Language"] = lang
        elif response.has_header("Content-Language"):
            del response["Content-Language"]
        return response

    def _preview(self, request):
        """A draft for a partner's frontend: no validators, never kept by any cache."""
        response = self.get_response(request)
        if getattr(request, "api_problem", None) is not None:
            response = request.api_problem
        if response.status_code >= 300:
            if response.status_code < 400:
                response = status_problem(request, 404)
            return self._as_problem(request, response)
        response["Cache-Control"] = preview.CACHE_CONTROL
        self._drop_language_vary(response)
        return response

    @staticmethod
    def _not_modified(request, etag, changed_at) -> bool:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            # If-None-Match wins: If-Modified-Since is then ignored (RFC 9110, 13.1.3).
            return _matches(if_none_match, etag)
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
        return bool(since and changed_at and changed_at.timestamp() < since)

    @staticmethod
    def _empty(status):
        return HttpResponse(status=status)

    @staticmethod
    def _as_problem(request, response):
        if response.get("Content-Type", "").split(";")[0] != PROBLEM_CONTENT_TYPE:
            response = status_problem(request, response.status_code)
        response["Cache-Control"] = ERROR_CACHE_CONTROL
        # Problems are worded in the language asked for, Accept-Language by default.
        patch_vary_headers(response, ("Accept-Language",))
        return response

    @staticmethod
    def _drop_language_vary(response):
        """The content's language comes from `lang`, not from Accept-Language, so a cache
        may keep one copy for every reader (LocaleMiddleware adds the header anyway)."""
        if response.has_header("Vary"):
            kept = [
                value.strip()
                for value in response["Vary"].split(",")
                if value.strip().lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
