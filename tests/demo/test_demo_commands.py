"""The demo's commands and production: `load_demo` refuses to run there, and
`ensure_admin` makes an administrator only with a strong password from ADMIN_PASSWORD.
On a demo or development machine both behave as `make demo` expects (admin / admin)."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from wagtail.models import Page

import pytest

pytestmark = pytest.mark.django_db

production = override_settings(DEMO_COMMANDS_ALLOWED=False)
STRONG_PASSWORD = "vinter-Lovund-lundefugl-7319"


@pytest.fixture
def admin_env(monkeypatch):
    """ADMIN_USERNAME / ADMIN_PASSWORD as the operator sets them (unset by default)."""
    monkeypatch.delenv("ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)

    def set_password(password):
        monkeypatch.setenv("ADMIN_PASSWORD", password)

    return set_password


def ensure_admin() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("ensure_admin", stdout=out)
    return out.getvalue()


def test_the_demo_gets_admin_with_password_admin(admin_env):
    output = ensure_admin()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password("admin")
    assert "password admin." in output


@production
def test_load_demo_refuses_to_run_in_production(locales):
    pages = Page.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match=r"does not run.*make demo"):
        call_command("load_demo", verbosity=0)
    # manage.py speaks the site's language, Norwegian.
    with translation.override("nb"), pytest.raises(CommandError, match="kjører ikke"):
        call_command("load_demo", verbosity=0)
    assert Page.objects.count() == pages
    assert not get_user_model().objects.exists()  # no demo accounts


@production
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        (None, "Set ADMIN_PASSWORD to a strong password"),
        ("", "Set ADMIN_PASSWORD to a strong password"),
        ("admin", "It is the demo's password"),
        ("password", "This password is too common"),
        ("kort1", "This password is too short"),
        ("73194682051", "This password is entirely numeric"),
    ],
)
def test_ensure_admin_in_production_refuses_a_missing_or_weak_password(admin_env, password, reason):
    if password is not None:
        admin_env(password)
    with pytest.raises(CommandError, match=reason):
        ensure_admin()
    assert not get_user_model().objects.exists()


@production
def test_ensure_admin_in_production_refuses_a_password_like_the_username(admin_env, monkeypatch):
    monkeypatch.setenv("ADMIN_USERNAME", "redaksjonen-ranaregionen")
    admin_env("redaksjonen-ranaregionen")
    with pytest.raises(CommandError, match="too similar to the username"):
        ensure_admin()


@production
def test_ensure_admin_in_production_creates_the_account_without_printing_the_password(admin_env):
    admin_env(STRONG_PASSWORD)
    output = ensure_admin()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.check_password(STRONG_PASSWORD)
    assert STRONG_PASSWORD not in output
    assert "password from ADMIN_PASSWORD" in output


@production
def test_ensure_admin_in_production_leaves_an_existing_account_alone(admin_env, django_user_model):
    """A deployment may run it on every release: without ADMIN_PASSWORD it changes nothing."""
    django_user_model.objects.create_superuser(username="admin", password=STRONG_PASSWORD)
    assert "(unchanged)" in ensure_admin()
    assert django_user_model.objects.get(username="admin").check_password(STRONG_PASSWORD)
