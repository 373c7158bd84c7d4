"""Redis as Django's cache, and what happens when it goes away: a miss, never an error.

Redis is taken away for real, in two ways: stopped (connections are refused at once) and
paused with SIGSTOP (connections are accepted, but nothing answers until the socket
timeout). Time in the circuit breaker is a clock the test moves: no test sleeps.
"""

import logging
import re
import time

from django.core.cache import caches
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest
import redis

from cms.settings.base import cache_settings
from region_pages import regions, versions
from region_pages.models import Theme
from sources import cache as sources_cache

from ..clocks import ManualClock
from ..conftest import publish, translate
from ..factories import (
    ArticlePageFactory,
    ThemePageFactory,
    industry,
    paragraph,
)
from ..regions import municipality
from ..servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(redis_cache, monkeypatch):
    """The clock of the breaker in front of the test's Redis (shared by both caches)."""
    clock = ManualClock()
    monkeypatch.setattr(caches["default"].breaker, "clock", clock)
    return clock


def wait_out_the_breaker(clock):
    clock.advance(caches["default"].breaker.seconds)


def menu(html: str) -> str:
    """The main menu of a rendered page."""
    found = re.search(r'<nav class="site-nav".*?</nav>', html, re.DOTALL)
    return found.group(0) if found else ""


def menu_key(language: str) -> str:
    """Where the menu of `language` in the region is cached now (under the current content
    version)."""
    return versions.key("navigation", f"{regions.all_regions()[0].key}:{language}")


def redis_keys(server) -> set[str]:
    return {key.decode() for key in redis.Redis.from_url(server.url).keys("*")}


# --- Redis as the cache -------------------------------------------------------------------


def test_the_cache_and_the_renditions_cache_live_in_redis_apart(redis_cache):
    caches["default"].set("greeting", "hei", 60)
    caches["renditions"].set("greeting", "rendition", 60)

    assert caches["default"].get("greeting") == "hei"
    assert caches["renditions"].get("greeting") == "rendition"
    assert redis_keys(redis_cache) == {"site:1:greeting", "renditions:1:greeting"}


def test_every_call_of_a_process_shares_one_redis_client(redis_cache):
    """Not a new redis-py client a call (Django's way), and still every call answered."""
    cache = caches["default"]
    client = cache._cache.get_client(None)
    cache.set("a", 1, 60)
    assert cache.get_many(["a", "b"]) == {"a": 1}
    assert cache.incr("a") == 2
    assert cache._cache.get_client(None, write=True) is client
    assert cache._cache.get_client("a") is client


def test_a_counter_is_counted_in_one_round_trip_and_lives_its_window(redis_cache, monkeypatch):
    """What the partner API's rate limiter does on every request (`partners.ratelimit`)."""
    cache = caches["default"]
    cache.get("warm-up")
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, command, check_health=True):
        sent.append(command)
        return original(connection, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)
    assert cache.count("ratelimit:ip:192.0.2.1:7", 61) == 1
    assert len(sent) == 1
    assert [cache.count("ratelimit:ip:192.0.2.1:7", 61) for _ in range(2)] == [2, 3]
    assert len(sent) == 3
    monkeypatch.undo()
    assert cache.get("ratelimit:ip:192.0.2.1:7") == 3  # the same counter as Django's incr
    server = redis.Redis.from_url(redis_cache.url)
    # Set when the counter began, not moved on by later counts.
    assert 55 <= server.ttl("site:1:ratelimit:ip:192.0.2.1:7") <= 61
    server.expire("site:1:ratelimit:ip:192.0.2.1:7", 5)
    assert cache.count("ratelimit:ip:192.0.2.1:7", 61) == 4
    assert server.ttl("site:1:ratelimit:ip:192.0.2.1:7") <= 5
    redis_cache.stop()
    assert cache.count("ratelimit:ip:192.0.2.1:7", 61) is None  # nothing counted, no error


def test_without_redis_url_the_cache_is_local_memory(settings):
    config = cache_settings({})
    assert config["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert set(config) == {"default", "renditions"}


def test_how_long_redis_is_left_alone_after_a_failure_is_configurable():
    default = cache_settings({"REDIS_URL": "redis://cache:6379/0"})
    chosen = cache_settings(
        {"REDIS_URL": "redis://cache:6379/0", "REDIS_CIRCUIT_BREAKER_SECONDS": "30"}
    )
    assert default["default"]["CIRCUIT_BREAKER_SECONDS"] == 5
    assert chosen["default"]["CIRCUIT_BREAKER_SECONDS"] == 30
    assert chosen["renditions"]["CIRCUIT_BREAKER_SECONDS"] == 30


# --- Redis stopped: pages render and editors publish ------------------------------------


def test_pages_render_while_redis_is_down_and_the_cache_comes_back(
    redis_cache, clock, client, home
):
    article = publish(ArticlePageFactory(parent=home, title="Flytte hit"))
    cache = caches["default"]
    assert client.get(article.url).status_code == 200
    assert cache.get(menu_key("nb")) is not None  # the menu was cached in Redis

    redis_cache.stop()
    assert cache.get(menu_key("nb")) is None  # a miss, not an exception
    cache.set("anything", 1)  # dropped quietly
    assert cache.get_or_set("computed", lambda: "fresh") == "fresh"
    response = client.get(article.url)
    assert response.status_code == 200
    assert "Flytte hit" in response.content.decode()
    assert client.get("/readyz").json() == {"status": "fail", "failing": ["cache"], "slow": []}

    redis_cache.start()
    wait_out_the_breaker(clock)
    versions.forget_kept()  # as a process that has not kept the menu yet
    assert client.get(article.url).status_code == 200
    assert cache.get(menu_key("nb")) is not None
    assert client.get("/readyz").status_code == 200


def test_every_cache_call_degrades_while_redis_is_down(redis_cache):
    cache = caches["default"]
    cache.set("counter", 1)
    redis_cache.stop()

    assert cache.get("counter", "default") == "default"
    assert cache.get_many(["counter", "other"]) == {}
    assert cache.has_key("counter") is False
    assert cache.add("counter", 5) is False
    assert cache.get_or_set("counter", 7) == 7
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
    assert cache.touch("counter") is False
    assert cache.delete("counter") is False
    assert cache.delete_many(["a", "b"]) is None
    # As for a key that is not there: the caller's code for a missing key takes over.
    with pytest.raises(ValueError):
        cache.incr("counter")
    with pytest.raises(ValueError):
        cache.decr("counter")
    with pytest.raises(ValueError):
        cache.incr_version("counter")
    assert cache.clear() is False


def article_form(page, title, **actions) -> dict:
    """An article's edit form as the admin posts it."""
    data = nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "intro": page.intro,
            "hero_alt_text": "",
            "body": streamfield([("paragraph", rich_text("<p>Praktisk informasjon.</p>"))]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
        }
    )
    data.update({f"action-{name}": value for name, value in actions.items()})
    return data


def test_editors_publish_unpublish_and_move_pages_while_redis_is_down(
    redis_cache, admin_client, home
):
    """Each of these moves the content version on, which the menu and the sources cache are
    keyed by: it lives in the database, and the editor's change is committed all the
    same."""
    rana = municipality(home, "rana")
    article = publish(ArticlePageFactory(parent=home, title="Flytte hit", slug="flytte-hit"))
    redis_cache.stop()

    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(article, "Flytte til Rana", publish="publish"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    assert article.title == "Flytte til Rana"

    response = admin_client.post(
        reverse("wagtailadmin_pages:move_confirm", args=[article.pk, rana.pk])
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_parent().pk == rana.pk

    response = admin_client.post(reverse("wagtailadmin_pages:unpublish", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert not article.live


# --- Redis hung: what changed meanwhile shows once it answers ------------------------------


def test_what_was_published_while_redis_hung_shows_once_it_answers(
    redis_cache, clock, client, home
):
    """A hung Redis keeps what it held: the menu and the sources cached before the publish.
    They were cached under the content version before the publish, which is not read
    again once Redis answers."""
    article = publish(ArticlePageFactory(parent=home, title="Flytte hit", show_in_menus=True))
    assert "Flytte hit" in menu(client.get(article.url).content.decode())  # cached in Redis
    assert sources_cache.cached("sample", lambda: "before the publish") == "before the publish"

    redis_cache.pause()
    client.get(article.url)  # Redis does not answer: the breaker opens
    publish(ArticlePageFactory(parent=home, title="Jobbe her", show_in_menus=True))
    assert "Jobbe her" in menu(client.get(article.url).content.decode())  # built afresh
    redis_cache.resume()
    wait_out_the_breaker(clock)

    assert "Jobbe her" in menu(client.get(article.url).content.decode())
    assert sources_cache.cached("sample", lambda: "after the publish") == "after the publish"
    assert redis_keys(redis_cache)  # the cache is in use again


def test_the_content_version_lives_in_the_database_not_in_redis(redis_cache):
    """Redis may lose everything (evicted when full, restarted empty): the version that
    cached values are keyed by is not set back, and a value cached before a change is
    never read after it, although Redis still holds it."""
    versions.bump()
    reached = versions.token()
    assert sources_cache.cached("sample", lambda: "old") == "old"
    caches["default"].clear()
    versions.forget_kept()  # as a process started after Redis lost everything
    assert versions.token() == reached

    assert sources_cache.cached("sample", lambda: "old again") == "old again"
    versions.bump()
    assert versions.token() != reached
    assert sources_cache.cached("sample", lambda: "new") == "new"
    assert any(reached in key for key in redis_keys(redis_cache))  # still there, unread


# --- Redis hung: a circuit breaker keeps the site fast ----------------------------------


@pytest.fixture
def region(home):
    """The region in Norwegian and English: one page of each type, with blocks that read
    the sources cache."""
    rana = municipality(home, "rana", body=[paragraph("Rana er en industrikommune."), industry()])
    work = publish(ThemePageFactory(parent=home, title="Arbeid", slug="arbeid", theme=Theme.WORK))
    article = publish(ArticlePageFactory(parent=home, title="Flytte hit", slug="flytte-hit"))
    pages = [home, rana, work, article]
    return pages + [translate(page) for page in pages]


def public_urls(region) -> list[str]:
    return [
        "/",
        *(page.url for page in region),
        "/nb/sok/?q=Rana",
        "/en/search/?q=Rana",
        "/sitemap.xml",
        "/robots.txt",
    ]


def test_every_public_page_answers_within_a_second_while_redis_hangs(
    redis_cache, clock, client, region, settings
):
    """One cache call waits for the socket timeout; every other one is skipped at once.

    The breaker's clock stands still, so no call is let through as a probe while the
    test runs, however slow the machine; the socket timeout is shorter than production's
    so that a busy machine's rendering time still fits in the second.
    """
    settings.CACHES = cache_settings({"REDIS_URL": redis_cache.url, "REDIS_SOCKET_TIMEOUT": "0.2"})
    urls = public_urls(region)
    assert "/nb/rana/" in urls
    assert "/en/" in urls
    for url in urls:
        client.get(url)  # the cache is warm, and the connections to Redis open

    redis_cache.pause()
    for url in urls:
        started = time.monotonic()
        response = client.get(url)
        elapsed = time.monotonic() - started
        assert response.status_code in {200, 302}, url
        assert elapsed < 1, f"{url} took {elapsed:.1f} s"

    started = time.monotonic()
    assert client.get("/readyz").json() == {"status": "fail", "failing": ["cache"], "slow": []}
    assert time.monotonic() - started < 1


def test_the_cache_is_left_alone_for_a_while_then_asked_again(redis_cache, clock, client, home):
    article = publish(ArticlePageFactory(parent=home, title="Flytte hit"))
    client.get(article.url)
    redis_cache.pause()
    client.get(article.url)  # waits for the socket timeout once, and opens the breaker
    redis_cache.resume()

    redis.Redis.from_url(redis_cache.url).delete(f"site:1:{menu_key('nb')}")
    client.get(article.url)
    assert f"site:1:{menu_key('nb')}" not in redis_keys(redis_cache)  # still left alone

    wait_out_the_breaker(clock)
    versions.forget_kept()  # as a process that has not kept the menu yet
    client.get(article.url)
    assert f"site:1:{menu_key('nb')}" in redis_keys(redis_cache)  # asked again, and answering


def test_one_probe_at_a_time_and_a_failed_probe_waits_another_while(redis_cache, clock):
    cache = caches["default"]
    breaker = cache.breaker
    redis_cache.stop()
    cache.get("anything")  # refused: the breaker opens
    assert breaker.admit() == "skip"

    wait_out_the_breaker(clock)
    assert breaker.admit() == "probe"
    assert breaker.admit() == "skip"  # while the first probe is out, the others wait
    breaker.probe_failed(ConnectionRefusedError("still down"))
    assert breaker.admit() == "skip"

    redis_cache.start()
    wait_out_the_breaker(clock)
    assert cache.get_or_set("greeting", "hei") == "hei"
    assert cache.get("greeting") == "hei"
    assert breaker.admit() == "call"


# --- An outage is logged twice: when it begins and when it ends ---------------------------


def test_an_outage_is_logged_when_it_begins_and_when_it_ends(
    redis_cache, clock, client, home, caplog
):
    article = publish(ArticlePageFactory(parent=home, title="Flytte hit"))
    caplog.set_level(logging.INFO, logger="cms.cache")

    redis_cache.stop()
    for _ in range(3):
        assert client.get(article.url).status_code == 200
    wait_out_the_breaker(clock)
    client.get(article.url)  # a probe that fails: still the same outage
    assert client.get("/readyz").status_code == 503

    records = [record for record in caplog.records if record.name == "cms.cache"]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert "refused" in records[0].getMessage().lower()  # the cause
    assert redis_cache.url.rsplit("/", 1)[0].removeprefix("redis://") in records[0].getMessage()

    redis_cache.start()
    wait_out_the_breaker(clock)
    for _ in range(3):
        assert client.get(article.url).status_code == 200

    records = [record for record in caplog.records if record.name == "cms.cache"]
    assert [record.levelno for record in records] == [logging.WARNING, logging.INFO]
    assert "again" in records[1].getMessage()


def test_the_log_never_shows_the_password_of_redis(settings, caplog):
    port = free_port()  # nothing listens there
    settings.CACHES = cache_settings({"REDIS_URL": f"redis://:a-secret@127.0.0.1:{port}/0"})
    caplog.set_level(logging.INFO, logger="cms.cache")

    assert caches["default"].get("anything") is None

    assert f"127.0.0.1:{port}" in caplog.text
    assert "a-secret" not in caplog.text
