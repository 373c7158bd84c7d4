"""Fair limits on the partner API: per address without a key, per key with one, counted in
the shared cache before the response cache, told in RateLimit headers, refused with a 429
problem; keys issued once, kept as digests, revoked at once."""

import json
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import pytest

from cms.response_cache import ResponseCache
from cms.wsgi import django_application
from editorial import roles
from partners.models import ApiKey, digest_of
from partners.ratelimit import RateLimiter, client_address
from tests.servers import free_port
from tests.wsgi_client import call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("direct_wsgi", "home")]


@pytest.fixture
def limits(settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 3
    settings.API_RATE_LIMIT_WINDOW = 60
    return settings


def issued(name="Visit Helgeland", per_minute=2) -> str:
    api_key = ApiKey(name=name, requests_per_minute=per_minute)
    key = api_key.issue()
    api_key.save()
    return key


def test_clients_without_a_key_share_a_quota_per_address_and_are_told_where_they_stand(
    limits,
):
    answers = [call("/api/v1/regions", remote_addr="192.0.2.10") for _ in range(4)]
    assert [answer.status for answer in answers] == [200, 200, 200, 429]
    assert answers[0].headers["ratelimit-policy"] == '"anonymous";q=3;w=60'
    remaining = [answer.headers["ratelimit"].split(";")[1] for answer in answers]
    assert remaining == ["r=2", "r=1", "r=0", "r=0"]
    # The second and third came from the response cache, and counted all the same.
    assert answers[1].cache == "hit"
    refused = answers[3]
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["access-control-allow-origin"] == "*"
    problem = json.loads(refused.body)
    assert problem["status"] == 429 and problem["type"].endswith("/too-many-requests")
    assert "API-nøkkel" in problem["detail"]  # the site's language by default
    # Another client is served meanwhile.
    assert call("/api/v1/regions", remote_addr="192.0.2.11").status == 200
    # Told in the reader's language.
    english = call("/api/v1/regions", remote_addr="192.0.2.10", accept_language="en")
    assert "ask the region's coordinator for an API key" in json.loads(english.body)["detail"]
    # The site's pages are not the API's: never counted.
    assert "ratelimit" not in call("/nb/", remote_addr="192.0.2.10").headers


def test_a_key_is_counted_on_its_own_and_served_from_the_response_cache(limits):
    key = issued(per_minute=2)
    for _ in range(3):
        assert call("/api/v1/regions", remote_addr="192.0.2.20").status == 200
    assert call("/api/v1/regions", remote_addr="192.0.2.20").status == 429  # the address's share
    keyed = [
        call("/api/v1/regions", remote_addr="192.0.2.20", authorization=f"Bearer {key}")
        for _ in range(3)
    ]
    assert [answer.status for answer in keyed] == [200, 200, 429]
    assert keyed[0].headers["ratelimit-policy"] == '"key";q=2;w=60'
    assert keyed[1].cache == "hit"  # the key is not part of the answer
    assert "større andel" in json.loads(keyed[2].body)["detail"]
    assert ApiKey.objects.get().digest == digest_of(key) and key not in str(
        ApiKey.objects.values_list()
    )


def test_an_unknown_or_revoked_key_is_refused_at_once(limits):
    key = issued()
    assert call("/api/v1/regions", authorization=f"Bearer {key}").status == 200
    ApiKey.objects.update(is_active=False)  # a bulk update sends no signal...
    ApiKey.objects.get().save()  # ...the admin's save does: the cached grant goes
    revoked = call("/api/v1/regions", authorization=f"Bearer {key}")
    assert revoked.status == 401
    assert json.loads(revoked.body)["type"].endswith("/unknown-api-key")
    assert call("/api/v1/regions", authorization="Bearer rk_not-a-key").status == 401


def test_a_new_window_gives_a_new_share(limits):
    now = [1_000_000.0]
    limiter = RateLimiter(ResponseCache(django_application), clock=lambda: now[0])
    statuses = [call("/api/v1/regions", app=limiter, remote_addr="192.0.2.30").status]
    statuses += [call("/api/v1/regions", app=limiter, remote_addr="192.0.2.30").status]
    statuses += [call("/api/v1/regions", app=limiter, remote_addr="192.0.2.30").status]
    refused = call("/api/v1/regions", app=limiter, remote_addr="192.0.2.30")
    assert statuses == [200, 200, 200] and refused.status == 429
    assert refused.headers["retry-after"] == "20"  # 1,000,000 s is 40 s into its minute
    now[0] += 20
    again = call("/api/v1/regions", app=limiter, remote_addr="192.0.2.30")
    assert again.status == 200 and again.headers["ratelimit"] == '"anonymous";r=2;t=60'


def test_with_the_cache_away_nothing_is_counted_and_nothing_refused(limits):
    limits.CACHES = {
        **limits.CACHES,
        "limits": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    limits.API_RATE_LIMIT_CACHE_ALIAS = "limits"
    answers = [call("/api/v1/regions", remote_addr="192.0.2.40") for _ in range(5)]
    assert [answer.status for answer in answers] == [200] * 5
    assert "ratelimit" not in answers[-1].headers
    assert answers[-1].headers["ratelimit-policy"] == '"anonymous";q=3;w=60'


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "192.0.2.50"),  # no proxies: the header is the client's word
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "203.0.113.9, 198.51.100.1", "198.51.100.1"),  # a spoofed entry in front
        (2, "198.51.100.1, 203.0.113.1", "198.51.100.1"),
        (2, "", "unknown"),  # did not come through the proxies
    ],
)
def test_the_clients_address_behind_proxies(settings, proxies, forwarded, expected):
    settings.PROXY_COUNT = proxies
    environ = {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(environ) == expected


def user_with(permissions: dict, username: str):
    """A user whose group holds `permissions` ({app label: [codename, …]}), as a role's."""
    group = Group.objects.create(name=username)
    for app_label, codenames in permissions.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(group)
    return user


def test_the_coordinator_issues_a_key_and_sees_it_once(limits):
    client = Client()
    client.force_login(user_with(roles.COORDINATOR_PERMISSIONS, "koordinator"))
    answer = client.post(
        reverse("api_keys:add"), {"name": "Visit Helgeland", "requests_per_minute": "120"}
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    api_key = ApiKey.objects.get(name="Visit Helgeland")
    [key] = [
        word for word in page.replace("<", " ").replace(">", " ").split() if word.startswith("rk_")
    ]
    assert digest_of(key) == api_key.digest and api_key.prefix == key[:10]
    assert "vises bare denne ene gangen" in page  # Norwegian, and said once
    assert key not in client.get(reverse("api_keys:edit", args=[api_key.pk])).content.decode()
    assert key not in client.get(reverse("api_keys:index")).content.decode()
    assert (
        call("/api/v1/regions", authorization=f"Bearer {key}").headers["ratelimit-policy"]
        == '"key";q=120;w=60'
    )
    editor = Client()
    editor.force_login(user_with(roles.EDITOR_PERMISSIONS, "redaktor"))
    assert editor.get(reverse("api_keys:index")).status_code in (302, 403)


def test_the_command_issues_lists_and_revokes(limits):
    out = StringIO()
    call_command("apikeys", "issue", "Kartverket", "--per-minute", "60", stdout=out)
    key = next(line for line in out.getvalue().splitlines() if line.startswith("rk_"))
    api_key = ApiKey.objects.get(name="Kartverket")
    listing = StringIO()
    call_command("apikeys", "list", stdout=listing)
    assert f"{api_key.pk}\tactive\t{api_key.prefix}" in listing.getvalue()
    assert key not in listing.getvalue()
    call_command("apikeys", "revoke", str(api_key.pk), stdout=StringIO())
    assert call("/api/v1/regions", authorization=f"Bearer {key}").status == 401
    with pytest.raises(Exception, match="no API key 999"):
        call_command("apikeys", "revoke", "999")
