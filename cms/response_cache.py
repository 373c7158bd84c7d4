"""Whole responses kept at the origin for what every anonymous reader gets alike.

A WSGI wrapper around Django (`cms.wsgi`), so a hit costs one round trip to the cache
(the content version and the answer, read together) and no database query, middleware,
URL routing, page lookup or template work.

What is kept: the answer to an anonymous GET of a public page (`/nb/…`, `/en/…`), the XML
sitemap (its index and pages) or the partner API (`/api/v1/…`), when the answer is a 200
that sets no cookie, is not marked private or uncacheable and varies on nothing but
compression. A request that carries the session or CSRF cookie, or credentials, is never
answered from here nor stored, so nothing per-user (a user bar, a CSRF token) is ever
kept. A search result page is kept too; the search it answers is counted for the
editors each time it is served (`search.hits`: the view leaves what to count in the
request's environ, the entry keeps it).

The key is the host, scheme, path, language and the query sorted; the entry holds the
content version it was rendered at (`region_pages.versions`, one row in the database,
moved on in every publishing transaction, shared through the cache), and is served only
while that is the version, so a publish is visible on the next request and nothing needs
purging. An entry also expires after `RESPONSE_CACHE_SECONDS`, which bounds what depends
on the clock (a vacancy past its deadline). A HEAD is answered from the GET's entry; a
request whose `If-None-Match` matches the entry's `ETag` gets a 304. Text answers are
kept gzipped too and sent so to clients that accept it (`Vary: Accept-Encoding`); with
`RESPONSE_CACHE_SECONDS=0` nothing is kept but public answers are still compressed.

On a miss one request per key renders; the others wait briefly for its entry
(`RESPONSE_CACHE_WAIT_SECONDS`), then render themselves rather than wait longer. When the
cache does not answer (Redis away), every request is a miss and is rendered as usual; when
the database does not answer the version, the request goes to Django, which reports it.
"""

import gzip
import hashlib
import time
from typing import NamedTuple
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
from search import hits

# The response header that says how an answer was made: for operators and tests.
STATUS_HEADER = "X-Response-Cache"
HIT, MISS, BYPASS = "hit", "miss", "bypass"
# Headers a stored answer may vary on. Compression is this module's own business: a kept
# answer is sent plain or gzipped as the request asks. A page varies on Cookie because an
# editor's session adds the user bar; a request carrying the session or CSRF cookie never
# comes here, and no other cookie changes what a page or answer says.
# An answer outside the language prefixes (the XML sitemap) varies on Accept-Language: the
# language Django would choose from it (and from the language cookie) is part of the key.
HARMLESS_VARY = frozenset({"accept-encoding", "cookie", "accept-language"})
# How often a waiting request looks for the entry another one is rendering.
POLL_SECONDS = 0.02
# What is sent gzipped to a client that accepts it: text of some length (below that the
# framing costs more than it saves), compressed at zlib's default level.
GZIP_MIN_BYTES = 256
GZIP_LEVEL = 6
COMPRESSIBLE = frozenset(
    {"application/json", "application/xml", "application/javascript", "image/svg+xml"}
)


def _public_prefixes() -> tuple[str, ...]:
    languages = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
    return (*languages, "/api/v1/", "/sitemap.xml", "/sitemap-")


class ResponseCache:
    """WSGI middleware: answer anonymous reads from whole stored responses."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not self.public_request(environ):
            return self.application(environ, start_response)
        if not settings.RESPONSE_CACHE_SECONDS:
            # Nothing is kept, but a public answer is still sent compressed (and only
            # compressed for a client that takes it: it would be thrown away otherwise).
            status, headers, body = self.render(environ)
            if self.storable(status, headers, body):
                compress = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
                entry = Entry.of("", status, headers, body, compress=compress)
                return self.serve(entry, environ, start_response)
            start_response(status, headers)
            return [body]
        cache = caches[settings.RESPONSE_CACHE_ALIAS]
        key = self.key(environ)
        # One round trip: the content version and the answer kept for this request.
        found = cache.get_many([versions.CACHE_KEY, key])
        try:
            version = versions.shared_token(found.get(versions.CACHE_KEY))
        except DatabaseError:
            # The version cannot be read: Django answers, and reports what failed.
            return self.application(environ, start_response)
        environ[versions.ENVIRON_KEY] = version
        entry = found.get(key)
        if isinstance(entry, Entry) and entry.version == version:
            return self.hit(entry, environ, start_response)
        if environ["REQUEST_METHOD"] == "HEAD":
            return self.application(environ, start_response)
        lock = f"{key}:{version}:rendering"
        if not cache.add(lock, 1, timeout=max(1, int(settings.RESPONSE_CACHE_WAIT_SECONDS * 4))):
            entry = self.wait_for(cache, key, version)
            if entry is not None:
                return self.hit(entry, environ, start_response)
        try:
            status, headers, body = self.render(environ)
            if not self.storable(status, headers, body):
                start_response(status, [*headers, (STATUS_HEADER, BYPASS)])
                return [body]
            entry = Entry.of(version, status, headers, body, environ.get(hits.ENVIRON_KEY))
            cache.set(key, entry, settings.RESPONSE_CACHE_SECONDS)
        finally:
            # Only once the entry is kept: a request arriving meanwhile waits for it.
            cache.delete(lock)
        return self.serve(entry, environ, start_response, MISS)

    # ---- which requests -------------------------------------------------------------

    @staticmethod
    def public_request(environ) -> bool:
        """An anonymous GET or HEAD of a public address."""
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
        """The request, normalised, and the release that answers it (`versions.release`:
        during a rolling upgrade each release keeps its own answers). The content version
        is kept in the entry, not in the key, so that one read brings both (and a new
        version's answer replaces the old)."""
        query = sorted(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        parts = "\n".join(
            (
                versions.release(),
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
        if entry.counted is not None and environ["REQUEST_METHOD"] == "GET":
            hits.record(entry.counted)
        # A hit never reaches Django, which would say the request finished: connections
        # past CONN_MAX_AGE, or broken, are closed then.
        request_finished.send(sender=self.__class__)
        return answer

    @staticmethod
    def wait_for(cache, key, version):
        deadline = time.monotonic() + settings.RESPONSE_CACHE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            entry = cache.get(key)
            if isinstance(entry, Entry) and entry.version == version:
                return entry
        return None

    def render(self, environ) -> tuple[str, list[tuple[str, str]], bytes]:
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
        return captured["status"], captured["headers"], body

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
    def serve(entry, environ, start_response, marked=None):
        compressed = entry.gzipped is not None and accepts_gzip(
            environ.get("HTTP_ACCEPT_ENCODING", "")
        )
        headers = entry.gzip_headers if compressed else entry.headers
        body = entry.gzipped if compressed else entry.body
        said = [(STATUS_HEADER, marked)] if marked else []
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if etag and asked and _matches(asked, etag):
            kept = [
                (name, value)
                for name, value in headers
                if name.lower() in {"etag", "cache-control", "vary", "last-modified", "expires"}
                or name.lower().startswith("access-control-")
            ]
            start_response("304 Not Modified", [*kept, *said])
            return [b""]
        start_response(entry.status, [*headers, *said])
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


class Entry(NamedTuple):
    """A kept answer: the content version it was rendered at, and its bytes as sent
    plainly and, where it is worth it, gzipped (compressed once, when kept, not per
    request). Only answers alike for every reader are kept, so compressing them cannot
    reveal a secret (BREACH needs one in the body beside what an attacker sends)."""

    version: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    gzip_headers: list[tuple[str, str]] | None
    gzipped: bytes | None
    # What a request answered by this entry counts as (a search, `search.hits`), or None.
    counted: object = None

    @classmethod
    def of(cls, version, status, headers, body, counted=None, compress=True) -> "Entry":
        """The entry of an answer; with `compress` false, not gzipped (for one that is
        sent once, to a client that does not take gzip), its headers as if it were."""
        if not _compressible(headers, body):
            return cls(version, status, headers, body, None, None, counted)
        gzipped = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0) if compress else b""
        if compress and len(gzipped) >= len(body):
            return cls(version, status, headers, body, None, None, counted)
        plain, packed = [], []
        for name, value in headers:
            lowered = name.lower()
            if lowered in {"vary", "content-length"}:
                continue
            plain.append((name, value))
            if lowered == "etag" and not value.startswith("W/"):
                # Another representation: a strong validator must differ (RFC 9110 8.8.3).
                value = f"W/{value}"
            packed.append((name, value))
        vary = _vary_with_encoding(headers)
        plain += [("Vary", vary), ("Content-Length", str(len(body)))]
        packed += [
            ("Vary", vary),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(gzipped))),
        ]
        if not compress:
            return cls(version, status, plain, body, None, None, counted)
        return cls(version, status, plain, body, packed, gzipped, counted)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header admits gzip (by name or `*`, with q above 0)."""
    chosen = {}
    for item in accept_encoding.split(","):
        coding, _sep, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            chosen[coding.strip().lower()] = quality
    if "gzip" in chosen:
        return chosen["gzip"] > 0
    return chosen.get("*", 0) > 0


def _compressible(headers, body: bytes) -> bool:
    if len(body) < GZIP_MIN_BYTES:
        return False
    named = {name.lower(): value for name, value in headers}
    if "content-encoding" in named:
        return False
    kind = named.get("content-type", "").split(";")[0].strip().lower()
    return kind.startswith("text/") or kind in COMPRESSIBLE or kind.endswith(("+json", "+xml"))


def _vary_with_encoding(headers) -> str:
    varies = [
        value.strip()
        for name, header in headers
        if name.lower() == "vary"
        for value in header.split(",")
        if value.strip()
    ]
    if "accept-encoding" not in {value.lower() for value in varies}:
        varies.append("Accept-Encoding")
    return ", ".join(varies)


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
