"""Which database a read goes to (`cms.replica`): the replica only for an anonymous read
outside the admin, only until the request writes, and never once the replica failed.
`make scale-smoke` checks the same against a real streaming replica."""

from django.db import OperationalError
from django.test import RequestFactory

import pytest

from cms import replica
from region_pages.models import ContentVersion

router = replica.ReplicaRouter()
factory = RequestFactory()


@pytest.fixture
def reading_replica():
    token = replica._reading_replica.set(True)
    yield
    replica._reading_replica.reset(token)


def test_outside_an_anonymous_read_everything_goes_to_the_primary():
    assert router.db_for_read(ContentVersion) == replica.PRIMARY
    assert router.db_for_write(ContentVersion) == replica.PRIMARY


def test_an_anonymous_read_reads_the_replica_until_it_writes(reading_replica):
    assert router.db_for_read(ContentVersion) == replica.REPLICA
    # An object read from the replica is still written to the primary.
    assert router.db_for_write(ContentVersion, instance=ContentVersion()) == replica.PRIMARY
    assert router.db_for_read(ContentVersion) == replica.PRIMARY


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(replica.PRIMARY, "region_pages")
    assert not router.allow_migrate(replica.REPLICA, "region_pages")


@pytest.mark.parametrize(
    ("method", "path", "headers", "anonymous"),
    [
        ("GET", "/nb/rana/", {}, True),
        ("HEAD", "/api/v1/pages", {}, True),
        ("GET", "/nb/rana/", {"HTTP_COOKIE": "django_language=en"}, True),
        ("GET", "/nb/rana/", {"HTTP_COOKIE": "sessionid=abc"}, False),
        ("GET", "/nb/rana/", {"HTTP_COOKIE": "csrftoken=abc"}, False),
        ("GET", "/api/v1/pages", {"HTTP_AUTHORIZATION": "Bearer key"}, False),
        ("GET", "/admin/pages/", {}, False),
        ("POST", "/nb/sok/", {}, False),
    ],
)
def test_which_requests_are_anonymous_reads(method, path, headers, anonymous):
    request = factory.generic(method, path, **headers)
    assert replica.anonymous_read(request) is anonymous


@pytest.mark.django_db
def test_a_replica_that_failed_is_left_alone_for_a_while(settings, monkeypatch):
    settings.DATABASE_REPLICA_RETRY_SECONDS = 30
    monkeypatch.setattr(replica, "_replica_down_until", [0.0])
    replica.mark_replica_down(OperationalError("connection refused"))
    assert not replica.replica_caught_up()
    monkeypatch.setattr(replica, "_replica_down_until", [0.0])


@pytest.mark.django_db
def test_without_a_shared_version_the_primary_answers(monkeypatch):
    monkeypatch.setattr(replica, "_replica_down_until", [0.0])
    # The cache holds no version (Redis away or emptied): nothing to compare the replica to.
    assert not replica.replica_caught_up()
