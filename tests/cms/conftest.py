"""Servers for the production tests: S3 (moto's server mode) and Redis, on loopback."""

import uuid

import pytest

from cms.settings.base import cache_settings, media_storage

from ..regions import region, region_keys  # noqa: F401  (the shared test region)
from ..servers import RedisServer, S3Server


@pytest.fixture(scope="session")
def s3_server():
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """A fresh bucket, made the media storage exactly as production configures it."""
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    client = s3_server.client()
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": s3_server.region}
    )
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(s3_server.environ(bucket))}
    client.bucket = bucket
    return client


def bucket_keys(client) -> list[str]:
    response = client.list_objects_v2(Bucket=client.bucket)
    return sorted(item["Key"] for item in response.get("Contents", []))


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, settings):
    """Django's caches on our own Redis server, as production configures them."""
    settings.CACHES = cache_settings({"REDIS_URL": redis_server.url})
    return redis_server
