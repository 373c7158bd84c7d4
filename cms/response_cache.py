"""Whole responses kept at the origin for what every anonymous reader gets alike.

A WSGI wrapper around Django (`cms.wsgi`), so a hit costs one cache read and one read of
the content version, none of the middleware, URL routing, page lookup or template work.

What is kept: the answer to an anonymous GET of a public page (`/nb/…`, `/en/…`), the XML
sitemap or the partner API (`/api/v1/…`), when the answer is a 200 that sets no cookie,
is not marked private or uncacheable and varies on nothing but compression. A request
that carries the session or CSRF cookie, or credentials, is never answered from here nor
stored, so nothing per-user (a user bar, a CSRF token) is ever kept. Search result pages
are marked private by `cms.middleware` (each search is recorded for the editors'
report), so they are rendered every time.

The key is the content version (`region_pages.versions`, one row in the database, moved
on in every publishing transaction) with the host, scheme, path and the query sorted, so
a publish is visible on the next request and nothing needs purging. An entry also expires
after `RESPONSE_CACHE_SECONDS`, which bounds what depends on the clock (a vacancy past
its deadline). A HEAD is answered from the GET's entry; a request whose `If-None-Match`
matches the entry's `ETag` gets a 304.

On a miss one request per key renders; the others wait briefly for its entry
(`RESPONSE_CACHE_WAIT_SECONDS`), then render themselves rather than wait longer. When the
cache does not answer (Redis away), every request is a miss and is rendered as usual; when
the database does not answer the version, the request goes to Django, which reports it.
"""

import hashlib
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished
from django.db import DatabaseError
from django.http import parse_cookie
from django.utils.http import parse_etags
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from region_pages import versions

# The response header that says how an answer was made: for operators and tests.
STATUS_HEADER = "X-Response-Cache"
HIT, MISS, BYPASS = "hit", "miss", "bypass"
# Headers a stored answer may vary on. Compression is a proxy's business. A page varies on
# Cookie because an editor's session adds the user bar; a request carrying the session or
# CSRF cookie never comes here, and no other cookie changes what a page or answer says.
# An answer outside the language prefixes (the XML sitemap) varies on Accept-Language: the
# language Django would choose from it (and from the language cookie) is part of the key.
HARMLESS_VARY = frozenset({"accept-encoding", "cookie", "accept-language"})
# How often a waiting request looks for the entry another one is rendering.
POLL_SECONDS = 0.02


def _public_prefixes() -> tuple[str, ...]:
    languages = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return (*languages, "/api/v1/", "/sitemap.xml")


class ResponseCache:
    """WSGI middleware: answer anonymous reads from whole stored responses."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not self.cacheable_request(environ):
            return self.application(environ, start_response)
        try:
            key = self.key(environ)
        except DatabaseError:
            # The version cannot be read: Django answers, and reports what failed.
            return self.application(environ, start_response)
        cache = caches[settings.RESPONSE_CACHE_ALIAS]
        entry = cache.get(key)
        if entry is not None:
            return self.hit(entry, environ, start_response)
        if environ["REQUEST_METHOD"] == "HEAD":
            return self.application(environ, start_response)
        lock = f"{key}:rendering"
        if not cache.add(lock, 1, timeout=max(1, int(settings.RESPONSE_CACHE_WAIT_SECONDS * 4))):
            entry = self.wait_for(cache, key)
            if entry is not None:
                return self.hit(entry, environ, start_response)
        try:
            return self.render(environ, start_response, cache, key)
        finally:
            cache.delete(lock)

    # ---- which requests -------------------------------------------------------------

    @staticmethod
    def cacheable_request(environ) -> bool:
        if not settings.RESPONSE_CACHE_SECONDS:
            return False
        if environ.get("REQUEST_METHOD") not in {"GET", "HEAD"}:
            return False
        if not environ.get("PATH_INFO", "").startswith(_public_prefixes()):
            return False
        if environ.get("HTTP_AUTHORIZATION"):
            return False
        cookies = environ.get("HTTP_COOKIE")
        if not cookies:
            return True
        named = parse_cookie(cookies)
        return settings.SESSION_COOKIE_NAME not in named and settings.CSRF_COOKIE_NAME not in named

    @staticmethod
    def key(environ) -> str:
        query = sorted(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        parts = "\n".join(
            (
                versions.token(),
                _language(environ),
                environ.get("wsgi.url_scheme", ""),
                environ.get("HTTP_X_FORWARDED_PROTO", ""),
                environ.get("HTTP_HOST", "") or environ.get("SERVER_NAME", ""),
                environ.get("PATH_INFO", ""),
                urlencode(query),
            )
        )
        return "response:" + hashlib.sha256(parts.encode()).hexdigest()

    # ---- answering --------------------------------------------------------------------

    def hit(self, entry, environ, start_response):
        answer = self.serve(entry, environ, start_response, HIT)
        # A hit never reaches Django, which would say the request finished: connections
        # past CONN_MAX_AGE, or broken, are closed then.
        request_finished.send(sender=self.__class__)
        return answer

    @staticmethod
    def wait_for(cache, key):
        deadline = time.monotonic() + settings.RESPONSE_CACHE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            entry = cache.get(key)
            if entry is not None:
                return entry
        return None

    def render(self, environ, start_response, cache, key):
        captured = {}
        written = []

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, list(headers)
            return written.append

        result = self.application(environ, capture)
        try:
            body = b"".join([*written, *result])
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured["status"], captured["headers"]
        storable = self.storable(status, headers, body)
        if storable:
            cache.set(key, (status, headers, body), settings.RESPONSE_CACHE_SECONDS)
        marked = MISS if storable else BYPASS
        start_response(status, [*headers, (STATUS_HEADER, marked)])
        return [body]

    @staticmethod
    def storable(status: str, headers: list[tuple[str, str]], body: bytes) -> bool:
        if not status.startswith("200 ") or len(body) > settings.RESPONSE_CACHE_MAX_BYTES:
            return False
        named = {}
        for name, value in headers:
            named.setdefault(name.lower(), []).append(value)
        if "set-cookie" in named:
            return False
        control = ",".join(named.get("cache-control", [])).lower()
        # `no-cache` asks other caches to revalidate: this one is the origin, keyed by the
        # content version, so it may keep such an answer.
        if any(word in control for word in ("private", "no-store")):
            return False
        varies = {
            value.strip().lower()
            for header in named.get("vary", [])
            for value in header.split(",")
            if value.strip()
        }
        return varies <= HARMLESS_VARY

    @staticmethod
    def serve(entry, environ, start_response, marked):
        status, headers, body = entry
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if etag and asked and _matches(asked, etag):
            kept = [
                (name, value)
                for name, value in headers
                if name.lower() in {"etag", "cache-control", "vary", "last-modified", "expires"}
                or name.lower().startswith("access-control-")
            ]
            start_response("304 Not Modified", [*kept, (STATUS_HEADER, marked)])
            return [b""]
        start_response(status, [*headers, (STATUS_HEADER, marked)])
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as RFC 9110 asks for If-None-Match."""
    asked = parse_etags(if_none_match)
    if "*" in asked:
        return True

    def bare(tag: str) -> str:
        return tag.removeprefix("W/")

    return bare(etag) in {bare(tag) for tag in asked}


def _language(environ) -> str:
    """The language Django's LocaleMiddleware would choose where the path does not say:
    the language cookie's, else the best of Accept-Language, else the default."""
    cookies = environ.get("HTTP_COOKIE")
    if cookies:
        chosen = parse_cookie(cookies).get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                return get_supported_language_variant(chosen)
            except LookupError:
                pass
    for code, _quality in parse_accept_lang_header(environ.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
