"""Redis as Django's cache, and what happens when it goes away: a miss, never an error."""

from django.core.cache import caches

import pytest
import redis

from ..conftest import publish
from ..factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_the_cache_and_the_renditions_cache_live_in_redis_apart(redis_cache):
    caches["default"].set("greeting", "hei", 60)
    caches["renditions"].set("greeting", "rendition", 60)

    assert caches["default"].get("greeting") == "hei"
    assert caches["renditions"].get("greeting") == "rendition"
    keys = {key.decode() for key in redis.Redis.from_url(redis_cache.url).keys("*")}
    assert keys == {"site:1:greeting", "renditions:1:greeting"}


def test_pages_render_while_redis_is_down_and_the_cache_comes_back(redis_cache, client, home):
    article = publish(ArticlePageFactory(parent=home, title="Flytte hit"))
    cache = caches["default"]
    assert client.get(article.url).status_code == 200
    assert cache.get("navigation:nb") is not None  # the menu was cached in Redis

    redis_cache.stop()
    assert cache.get("navigation:nb") is None  # a miss, not an exception
    cache.set("anything", 1)  # dropped quietly
    assert cache.get_or_set("computed", lambda: "fresh") == "fresh"
    response = client.get(article.url)
    assert response.status_code == 200
    assert "Flytte hit" in response.content.decode()
    assert client.get("/readyz").json() == {"status": "fail", "failing": ["cache"]}

    redis_cache.start()
    assert client.get(article.url).status_code == 200
    assert cache.get("navigation:nb") is not None
    assert client.get("/readyz").status_code == 200


def test_without_redis_url_the_cache_is_local_memory(settings):
    from cms.settings.base import cache_settings

    config = cache_settings({})
    assert config["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert set(config) == {"default", "renditions"}
