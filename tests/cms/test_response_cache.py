"""Whole responses kept at the origin (`cms.response_cache`), through the WSGI application
as gunicorn runs it: anonymous reads are answered from the cache, a publish is seen on
the next request, and nothing per-user is ever kept or served."""

import gzip
import threading
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query

import pytest

from cms import gunicorn, warmup
from cms.response_cache import ResponseCache, accepts_gzip
from cms.wsgi import django_application
from region_pages import versions
from region_pages.models import ArticlePage, MunicipalityPage
from search.models import MissedQuery

from ..conftest import publish
from ..wsgi_client import Answer, call

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _wsgi(settings, direct_wsgi):
    settings.RESPONSE_CACHE_SECONDS = 300


@contextmanager
def cache_calls():
    """The calls made to the response cache from outside it (a backend's get_many may
    call its own get: that is one call, as Redis' MGET is one round trip)."""
    cache = caches["default"]
    calls, depth = [], [0]

    def recorded(name, original):
        def method(*args, **kwargs):
            if not depth[0]:
                calls.append(name)
            depth[0] += 1
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1

        return method

    names = ("get", "get_many", "set", "set_many", "add", "delete", "incr")
    for name in names:
        setattr(cache, name, recorded(name, getattr(cache, name)))
    try:
        yield calls
    finally:
        for name in names:
            delattr(cache, name)


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(region):
    first = call("/en/rana/")
    assert (first.status, first.cache) == (200, "miss")
    with CaptureQueriesContext(connection) as captured, cache_calls() as trips:
        second = call("/en/rana/")
    assert (second.status, second.cache) == (200, "hit")
    assert second.body == first.body
    assert len(captured) == 0  # the content version comes with the answer, from the cache
    assert trips == ["get_many"]  # one round trip
    assert call("/en/rana/", "b=2&a=1").cache == "miss"
    assert call("/en/rana/", "a=1&b=2").cache == "hit"  # the same query, sorted


def test_a_publish_is_seen_on_the_next_request(region):
    assert call("/nb/rana/").cache == "miss"
    assert call("/nb/rana/").cache == "hit"
    rana = region.rana
    rana.intro = "Ny innledning om Rana."
    publish(rana)
    fresh = call("/nb/rana/")
    assert fresh.cache == "miss"
    assert "Ny innledning om Rana." in fresh.body.decode()


def test_a_head_is_answered_from_the_gets_entry_without_a_body(region):
    assert call("/nb/", method="HEAD").cache == ""  # a miss goes to Django, not stored
    call("/nb/")
    head = call("/nb/", method="HEAD")
    assert (head.status, head.cache, head.body) == (200, "hit", b"")


def test_the_api_answers_from_the_cache_and_honours_its_etag(region):
    first = call("/api/v1/municipalities", "lang=en")
    # `no-cache` asks other caches to revalidate; the origin's own, keyed by the content
    # version, keeps the answer.
    assert "no-cache" in first.headers["cache-control"]
    assert (first.status, first.cache) == (200, "miss")
    etag = first.headers["etag"]
    again = call("/api/v1/municipalities", "lang=en", if_none_match=etag)
    assert (again.status, again.cache, again.body) == (304, "hit", b"")
    assert again.headers["etag"] == etag
    assert again.headers["access-control-allow-origin"] == "*"


def test_an_editors_request_is_never_answered_or_kept(region):
    editor = Client()
    editor.force_login(region.users["coordinator"])
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in editor.cookies.items())
    call("/en/rana/")  # an anonymous reader's copy is kept
    answer = call("/en/rana/", cookie=cookies)
    assert answer.cache == ""  # not even looked up: straight to Django
    assert answer.status == 200
    # Another cookie (a reader's own, of no meaning here) does not stop the cache.
    assert call("/en/rana/", cookie="theme=dark").cache == "hit"


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/admin/", ""),
        ("/healthz", ""),
    ],
)
def test_private_and_non_public_answers_are_not_kept(region, path, query):
    call(path, query)
    assert call(path, query).cache != "hit"


def test_an_answer_that_sets_a_cookie_is_not_kept(region):
    def sets_cookie(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html"), ("Set-Cookie", "a=1")])
        return [b"<p>for one reader</p>"]

    app = ResponseCache(sets_cookie)
    assert call("/nb/", app=app).cache == "bypass"
    assert call("/nb/", app=app).cache == "bypass"


def test_a_404_is_not_kept(region):
    # A redirect an editor adds later must win over a stored "not found".
    assert call("/nb/finnes-ikke/").status == 404
    assert call("/nb/finnes-ikke/").cache == "bypass"


def test_without_the_cache_every_request_is_rendered(region, settings):
    settings.RESPONSE_CACHE_SECONDS = 0
    call("/nb/")
    assert call("/nb/").cache == ""


def test_a_cache_that_does_not_answer_is_a_miss_never_an_error(region, monkeypatch):
    cache = caches["default"]
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "get_many", lambda *args, **kwargs: {})
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: True)
    answers = [call("/en/rana/") for _ in range(2)]
    assert [(a.status, a.cache) for a in answers] == [(200, "miss"), (200, "miss")]


def test_concurrent_misses_render_once(monkeypatch):
    """While one request renders an answer, the others asking for it wait for its entry."""
    # The threads have no share in the test's database transaction: a fixed version.
    monkeypatch.setattr(versions, "shared_token", lambda found: "7-0")
    renders = []
    inside = threading.Event()
    release = threading.Event()

    def slow(environ, start_response):
        renders.append(environ["PATH_INFO"])
        inside.set()
        release.wait(timeout=10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"rendered once"]

    app = ResponseCache(slow)
    answers = []
    first = threading.Thread(target=lambda: answers.append(call("/nb/", app=app)))
    first.start()
    inside.wait(timeout=10)
    others = [
        threading.Thread(target=lambda: answers.append(call("/nb/", app=app))) for _ in range(3)
    ]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join(timeout=10)
    assert renders == ["/nb/"]
    assert sorted(a.cache for a in answers) == ["hit", "hit", "hit", "miss"]
    assert {a.body for a in answers} == {b"rendered once"}


def test_the_same_bytes_as_django_renders(region):
    stored = call("/en/rana/").body
    direct = call("/en/rana/", app=django_application).body
    assert stored == direct
    assert not SimpleCookie(call("/en/rana/").headers.get("set-cookie", ""))


def test_an_answer_that_depends_on_the_readers_languages_is_kept_per_language(region):
    """The XML sitemap is outside the language prefixes: Django picks its language from
    Accept-Language (or the language cookie), so that language is part of the key."""
    english = call("/sitemap.xml", accept_language="en-GB,en;q=0.8")
    assert (english.cache, english.headers["content-language"]) == ("miss", "en")
    assert call("/sitemap.xml", accept_language="en-US").cache == "hit"
    norwegian = call("/sitemap.xml", accept_language="nb-NO,nb;q=0.9")
    assert (norwegian.cache, norwegian.headers["content-language"]) == ("miss", "nb")
    by_cookie = call("/sitemap.xml", accept_language="en", cookie="django_language=nb")
    assert (by_cookie.cache, by_cookie.headers["content-language"]) == ("hit", "nb")


def test_the_shared_version_is_the_databases_after_each_commit(
    region, django_capture_on_commit_callbacks
):
    """A bump clears the shared copy in its transaction (readers meanwhile take the
    database's) and writes the new one once committed."""
    cache = caches["default"]
    call("/nb/")
    before = cache.get(versions.CACHE_KEY)
    assert before == versions.token()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        versions.bump()
        assert cache.get(versions.CACHE_KEY) is None  # not yet committed: nothing shared
    for callback in callbacks:
        callback()
    assert cache.get(versions.CACHE_KEY) == versions.token() != before


def test_a_late_write_of_an_older_version_is_corrected(region, monkeypatch):
    """Two publishers commit close together and the first one's write lands after the
    second one's: the first reads the row again after writing and shares the newer."""
    cache = caches["default"]
    versions.bump()
    older = versions.token()
    real_set = cache.set
    overtaken = []

    def set_after_another_publisher(key, value, *args, **kwargs):
        if key == versions.CACHE_KEY and not overtaken:
            # The second publisher commits and shares first, then this write lands.
            overtaken.append(True)
            versions.bump()
            real_set(key, versions.token(), *args, **kwargs)
        return real_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", set_after_another_publisher)
    versions.share_after_commit()
    assert overtaken
    assert cache.get(versions.CACHE_KEY) == versions.token() != older


def _gunzip(answer: Answer) -> bytes:
    assert answer.headers["content-encoding"] == "gzip"
    assert int(answer.headers["content-length"]) == len(answer.body)
    return gzip.decompress(answer.body)


@pytest.mark.parametrize("path", ["/en/rana/", "/api/v1/municipalities", "/sitemap-1.xml"])
def test_public_answers_are_sent_gzipped_to_clients_that_accept_it(region, path):
    plain = call(path)
    assert "content-encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["vary"]
    packed = call(path, accept_encoding="br, gzip;q=0.8")
    assert packed.cache == "hit"
    assert _gunzip(packed) == plain.body
    assert len(packed.body) < len(plain.body) / 2
    assert packed.headers["vary"] == plain.headers["vary"]
    refused = call(path, accept_encoding="gzip;q=0, identity")
    assert "content-encoding" not in refused.headers
    assert refused.body == plain.body


def test_a_gzipped_answer_has_its_own_weak_validator(region):
    plain = call("/api/v1/municipalities", "lang=en")
    packed = call("/api/v1/municipalities", "lang=en", accept_encoding="gzip")
    assert packed.headers["etag"] == f"W/{plain.headers['etag'].removeprefix('W/')}"
    again = call(
        "/api/v1/municipalities",
        "lang=en",
        accept_encoding="gzip",
        if_none_match=packed.headers["etag"],
    )
    assert (again.status, again.body) == (304, b"")


def test_without_the_cache_public_answers_are_still_compressed(region, settings, monkeypatch):
    settings.RESPONSE_CACHE_SECONDS = 0
    packed = call("/en/rana/", accept_encoding="gzip, deflate")
    assert packed.cache == ""
    assert b"<html" in _gunzip(packed)
    # To a client that does not take gzip, plainly, saying that it varies on it, and
    # without compressing it for nothing.
    compressed = []
    compress = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda *a, **k: compressed.append(1) or compress(*a, **k))
    plain = call("/en/rana/")
    assert compressed == []
    assert "content-encoding" not in plain.headers
    assert b"<html" in plain.body and "Accept-Encoding" in plain.headers["vary"]
    assert int(plain.headers["content-length"]) == len(plain.body)
    # An answer outside the public paths is sent as Django made it.
    admin = call("/admin/login/", accept_encoding="gzip")
    assert admin.status == 200 and "content-encoding" not in admin.headers


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("GZIP;Q=0.5", True),
        ("deflate, gzip;q=1.0, *;q=0.5", True),
        ("*", True),
        ("br", False),
        ("", False),
        ("gzip;q=0", False),
        ("gzip;q=0.0, *", False),
        ("*;q=0", False),
        ("gzip;q=nonsense", False),
        ("identity, br;q=1", False),
    ],
)
def test_accept_encoding_is_read_with_its_qualities(header, accepted):
    assert accepts_gzip(header) is accepted


# ---- gunicorn's master renders a page of each kind once before it forks (cms/warmup.py),
# so a new worker's first reader does not wait for imports, catalogues and templates -----


def test_a_page_of_each_kind_in_each_language_is_rendered(region):
    answers = dict(warmup.warm(django_application, close_connections=False))
    for path in warmup.FIXED_PATHS:
        assert answers[path] == 200, path

    # The first municipality page in the tree, in both languages, and an article page.
    def path(page):
        return urlsplit(page.url).path

    assert answers[path(region.rana)] == 200
    assert answers[path(region.en_rana)] == 200
    assert answers[path(region.article)] == 200
    kinds = {(type(p.specific), p.locale.language_code) for p in (region.rana, region.en_rana)}
    assert kinds == {(MunicipalityPage, "nb"), (MunicipalityPage, "en")}
    # One of each kind: the other municipalities are left for their readers.
    assert path(region.luroy) not in answers
    assert isinstance(region.article, ArticlePage)


def test_a_database_that_does_not_answer_starts_the_server_all_the_same(monkeypatch):
    def unreachable():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(warmup, "paths_to_warm", unreachable)
    assert warmup.warm(django_application, close_connections=False) == []


def test_the_master_warms_up_only_a_preloaded_app(monkeypatch):
    warmed = []
    monkeypatch.setattr(warmup, "warm", lambda application: warmed.append(application))
    gunicorn.when_ready(server=None)
    assert warmed == [django_application]
    monkeypatch.setattr(gunicorn, "warm_up", False)
    gunicorn.when_ready(server=None)
    assert warmed == [django_application]


def test_a_search_page_is_kept_and_every_search_it_answers_is_counted(region):
    """Each search reaches the origin (`no-cache` for a CDN), which answers it from the
    kept page and counts it for the editors (search/hits.py) as the view would."""
    answers = [call("/en/search/", "q=daycare") for _ in range(3)]
    assert [answer.cache for answer in answers] == ["miss", "hit", "hit"]
    assert answers[0].headers["cache-control"] == "no-cache"
    assert answers[2].body == answers[0].body
    missed = MissedQuery.objects.get()
    assert (missed.query_string, missed.language_code, missed.hits) == ("daycare", "en", 3)
    assert Query.get("daycare").hits == 3
    # A HEAD is not a search.
    assert call("/en/search/", "q=daycare", method="HEAD").cache == "hit"
    assert Query.get("daycare").hits == 3
    # Found: counted as a search, not as one that found nothing.
    assert [call("/nb/sok/", "q=Rana").cache for _ in range(2)] == ["miss", "hit"]
    assert Query.get("rana").hits == 2
    assert MissedQuery.objects.count() == 1
