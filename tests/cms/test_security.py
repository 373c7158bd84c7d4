"""Security headers with the production settings: a public page, machine-readable
responses, and the admin under its own policy; and the admin login's rate limit."""

import importlib.util
import re

import pytest

from ..conftest import publish
from ..factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = (
    "SECURE_",
    "SESSION_COOKIE_",
    "CSRF_COOKIE_",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "ADMIN_CONTENT_SECURITY_POLICY",
    "CSP_",
)


@pytest.fixture
def production(settings, monkeypatch):
    """Apply the security settings of `cms.settings.production`, read as production reads them."""
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-0123456789-abcdefghijklmnop")
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    spec = importlib.util.find_spec("cms.settings.production")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in dir(module):
        if name.isupper() and name.startswith(SECURITY_SETTINGS):
            setattr(settings, name, getattr(module, name))
    return settings


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_common_headers(response):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def assert_strict_policy(response):
    directives = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_public_page_has_the_strict_policy_and_can_be_cached_by_the_cdn(production, client, home):
    article = publish(ArticlePageFactory(parent=home, title="Skoler"))
    response = client.get(article.url, secure=True)
    assert response.status_code == 200
    assert_common_headers(response)
    assert_strict_policy(response)
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=3600"
    assert not response.cookies

    html = response.content.decode()
    # The policy allows no inline code, so the page must have none. Its schema.org data
    # block is data, not code: a browser never runs it, so the policy does not apply.
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert inline == ['<script type="application/ld+json">']
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html)


def test_machine_readable_responses_have_the_headers(production, client, home):
    for url in ["/api/v1/municipalities", "/sitemap.xml", "/healthz"]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_common_headers(response)
        assert_strict_policy(response)
    assert "no-cache" in client.get("/healthz", secure=True)["Cache-Control"]


def test_the_admin_login_works_under_its_own_policy(production, client, admin_user):
    response = client.get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert_common_headers(response)
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'self'"]  # its own previews
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" in directives["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]

    response = client.post(
        "/admin/login/",
        {"username": admin_user.username, "password": "password"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert client.cookies["csrftoken"]["secure"] and client.cookies["csrftoken"]["httponly"]

    # An editor's view of a public page is never shared by the CDN.
    assert client.get("/healthz", secure=True)["Cache-Control"].startswith("max-age=0")


def test_repeated_wrong_passwords_lock_the_login(settings, client, admin_user):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        response = client.post(
            "/admin/login/", {"username": admin_user.username, "password": "wrong"}
        )
    # Locked out: even the right password is refused now, with a translated explanation.
    response = client.post(
        "/admin/login/",
        {"username": admin_user.username, "password": "password"},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 429
    assert "For mange mislykkede forsøk på å logge inn" in response.content.decode()
    assert "_auth_user_id" not in client.session

    other = client.post("/admin/login/", {"username": "someone-else", "password": "wrong"})
    assert other.status_code == 200  # another username is not locked


def test_a_successful_login_before_the_limit_resets_the_count(settings, client, admin_user):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(2):
        client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": admin_user.username, "password": "password"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/nb/sok/", {}),
        ("/nb/sok/", {"q": "skole"}),
        ("/en/search/", {}),
        ("/en/search/", {"q": "school"}),
    ],
)
def test_search_results_are_never_answered_by_the_cdn(client, home, url, query):
    """In either language (the path is translated): a search is counted at the origin
    (what was asked, what found nothing), which an answer from the CDN would hide, so
    a shared cache must ask the origin every time."""
    response = client.get(url, query)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"


def test_the_admin_shows_no_avatars_from_gravatar(production, client, admin_user):
    """The admin's policy allows images from this site only, so a Gravatar picture would be
    blocked (a broken image and a console error on every page): the admin's own default
    avatar is shown instead."""
    assert admin_user.email  # Gravatar would be asked for this address
    client.force_login(admin_user)
    for url in ["/admin/", "/admin/account/"]:
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "gravatar.com" not in html, url
        assert "/static/wagtailadmin/images/default-user-avatar" in html, url
        assert policy(response)["img-src"][0] == "'self'"
