"""The admin login's lockout behind the CDN and the load balancer.

Every request reaches the site from the load balancer's address, so the lockout must be
keyed on the client's address from X-Forwarded-For, read as the documented
AXES_PROXY_COUNT says: five wrong passwords lock out the client who typed them, never
everyone else.
"""

import pytest

from cms.settings.base import axes_client_address

pytestmark = pytest.mark.django_db

LOAD_BALANCER = "10.0.0.2"
CDN = "192.0.2.10"
ATTACKER = "198.51.100.7"
EDITOR = "203.0.113.25"


@pytest.fixture
def behind_cdn_and_load_balancer(settings):
    """The settings production reads from AXES_PROXY_COUNT=2 (docs/deployment.md)."""
    for name, value in axes_client_address({"AXES_PROXY_COUNT": "2"}).items():
        setattr(settings, name, value)
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def log_in(client, user, password, forwarded_for):
    """A login as the load balancer passes it on: the CDN's address appended last."""
    return client.post(
        "/admin/login/",
        {"username": user.username, "password": password},
        REMOTE_ADDR=LOAD_BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_wrong_passwords_lock_out_the_client_who_typed_them_only(
    behind_cdn_and_load_balancer, client, admin_user
):
    statuses = [
        log_in(client, admin_user, "wrong", f"{ATTACKER}, {CDN}").status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the form with an error; then locked out
    assert log_in(client, admin_user, "password", f"{ATTACKER}, {CDN}").status_code == 429

    # A spoofed address in front of its own does not get the attacker a fresh count.
    spoofed = log_in(client, admin_user, "password", f"198.51.100.99, {ATTACKER}, {CDN}")
    assert spoofed.status_code == 429

    # The editor, through the same CDN and load balancer, is not locked out.
    client.cookies.clear()
    response = log_in(client, admin_user, "password", f"{EDITOR}, {CDN}")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_logins_that_did_not_come_through_the_proxies_cannot_lock_out_the_editors(
    behind_cdn_and_load_balancer, client, admin_user
):
    """Without the proxies' entries there is no client address to read: such logins share
    a count of their own."""
    for forwarded_for in ["", ATTACKER, '"', f'"{ATTACKER}, {CDN}']:
        log_in(client, admin_user, "wrong", forwarded_for)
    assert log_in(client, admin_user, "wrong", f'"{ATTACKER}, {CDN}').status_code == 429

    client.cookies.clear()
    assert log_in(client, admin_user, "password", f"{EDITOR}, {CDN}").status_code == 302


def test_without_proxies_a_forwarded_for_header_is_ignored(settings, client, admin_user):
    """With nothing in front, X-Forwarded-For is whatever the client wrote."""
    for name, value in axes_client_address({}).items():
        setattr(settings, name, value)
    settings.AXES_FAILURE_LIMIT = 3
    for attempt in range(3):
        log_in(client, admin_user, "wrong", f"198.51.100.{attempt + 1}")
    assert log_in(client, admin_user, "password", "198.51.100.200").status_code == 429


@pytest.mark.parametrize(
    ("proxy_count", "expected"),
    [
        (
            "",
            {"AXES_IPWARE_PROXY_COUNT": None, "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"]},
        ),
        (
            "1",
            {
                "AXES_IPWARE_PROXY_COUNT": 0,
                "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR"],
            },
        ),
        (
            "2",
            {
                "AXES_IPWARE_PROXY_COUNT": 1,
                "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR"],
            },
        ),
    ],
)
def test_the_proxy_count_counts_every_proxy_in_front(proxy_count, expected):
    """The load balancer is REMOTE_ADDR, not an entry in X-Forwarded-For."""
    configured = axes_client_address({"AXES_PROXY_COUNT": proxy_count})
    assert configured == {**expected, "IPWARE_STRICT": False}
