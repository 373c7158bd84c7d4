"""The region the tests share, built from the factories once per test module: the home
page, Rana and Lurøy in both languages, an article below Lurøy, the editors' roles from
`setup_roles`, one user per role and one in no group.

A test module uses it by importing the two fixtures into its conftest:
`from tests.regions import region, region_keys  # noqa: F401`.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.models import Collection, Locale, Page, Site

import pytest

from editorial import roles
from editorial.models import Role

from .conftest import publish, translate
from .factories import (
    ArticlePageFactory,
    HomePageFactory,
    MunicipalityPageFactory,
    leisure,
    paragraph,
)

PASSWORD = "a-test-password"


def make_user(username, role_key=None, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.org",
        first_name=username.title(),
        **extra,
    )
    if role_key:
        user.groups.add(Role.objects.get(key=role_key).group)
    return user


def build_region():
    """The Norwegian home, Rana and Lurøy, their English translations, an article below
    Lurøy, the roles and one user per role."""
    nb, _ = Locale.objects.get_or_create(language_code="nb")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, locale=nb)
    publish(home)
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    site.root_page, site.hostname, site.port = home, "testserver", 80
    site.save()
    if placeholder.specific_class is Page:
        placeholder.delete()
    en_home = translate(home)
    rana = MunicipalityPageFactory(
        parent=home, slug="rana", title="Rana", municipality_number="1833", body=[paragraph()]
    )
    luroy = MunicipalityPageFactory(
        parent=home,
        slug="luroy",
        title="Lurøy",
        municipality_number="1834",
        body=[paragraph("Øyriket på Helgelandskysten."), leisure("Lundefugl på Lovund")],
    )
    for page in (rana, luroy):
        publish(page)
    en_rana, en_luroy = translate(rana), translate(luroy)
    article = ArticlePageFactory(parent=luroy, slug="bo-i-luroy", title="Bo i Lurøy")
    publish(article)
    roles.setup_roles()
    users = {
        "anonymous": None,
        "editor_luroy": make_user("redaktor-luroy", "redaktor-luroy"),
        "editor_rana": make_user("redaktor-rana", "redaktor-rana"),
        "coordinator": make_user("koordinator", roles.COORDINATOR),
        "translator": make_user("oversetter", roles.TRANSLATOR),
        "superuser": make_user("admin", is_superuser=True, is_staff=True),
        # Logged in, but in no group: someone whose roles were taken away.
        "no_group": make_user("uten-gruppe"),
    }
    pages = {
        "home": home,
        "en_home": en_home,
        "rana": rana,
        "luroy": luroy,
        "en_rana": en_rana,
        "en_luroy": en_luroy,
        "article": article,
    }
    return {name: page.pk for name, page in pages.items()}, {
        name: user.pk if user else None for name, user in users.items()
    }


@pytest.fixture(scope="module")
def region_keys(django_db_setup, django_db_blocker):
    """Built once per test module, in a transaction that is rolled back after the module;
    each test runs in a savepoint inside it (as Django's setUpTestData does)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_region()
        transaction.set_rollback(True)


@pytest.fixture
def region(region_keys, db):
    """The region's pages and users, fetched afresh for the test."""
    page_keys, user_keys = region_keys
    User = get_user_model()
    pages = {name: Page.objects.get(pk=pk).specific for name, pk in page_keys.items()}
    users = {name: User.objects.get(pk=pk) if pk else None for name, pk in user_keys.items()}
    return SimpleNamespace(
        **pages,
        users=users,
        collections={c.name: c for c in Collection.objects.filter(depth=2)},
    )
