"""The region the tests share, built from the factories.

`municipality()` makes one of the region's municipality pages, published, its name,
number and address taken from the region's one list; every test region is built from it.
The `region` fixture is the whole shared region, built once per test module: the home
page, Rana and Lurøy in both languages, an article below Lurøy, the editors' roles from
`setup_roles`, one user per role and one in no group; and beside it a second region on
its own site (Mosjøenregionen on mosjoen.localhost: Vefsn in both languages, an article
below it), with its coordinator and Vefsn's editor, who may do nothing in the first.
A test module uses it by importing the two fixtures into its conftest:
`from tests.regions import region, region_keys  # noqa: F401`.
Modules that test what particular content does (search, the API) build their own small
region from `municipality()` with the blocks they look for.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.models import Collection, Locale, Page, Site

import pytest

from editorial import roles
from editorial.models import Role
from region_pages.municipalities import KNOWN

from .conftest import publish, translate
from .factories import (
    ArticlePageFactory,
    HomePageFactory,
    MunicipalityPageFactory,
    leisure,
    paragraph,
)

PASSWORD = "a-test-password"


def municipality(home, slug, **fields):
    """The published page of the region's municipality at `slug` ("rana", "hemnes", "luroy",
    "nesna"), below `home`; `fields` add content or override the page's fields."""
    known = next(m for m in KNOWN if m.slug == slug)
    fields = {"title": known.name, "municipality_number": known.number, **fields}
    return publish(MunicipalityPageFactory(parent=home, slug=slug, **fields))


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
    rana = municipality(home, "rana", body=[paragraph()])
    luroy = municipality(
        home,
        "luroy",
        body=[paragraph("Øyriket på Helgelandskysten."), leisure("Lundefugl på Lovund")],
    )
    en_rana, en_luroy = translate(rana), translate(luroy)
    article = ArticlePageFactory(parent=luroy, slug="bo-i-luroy", title="Bo i Lurøy")
    publish(article)
    second = publish(
        HomePageFactory(parent=root, locale=nb, slug="mosjoenregionen", title="Mosjøenregionen")
    )
    Site.objects.create(
        hostname="mosjoen.localhost", port=80, root_page=second, site_name="Mosjøenregionen"
    )
    translate(second)
    vefsn = municipality(second, "vefsn", body=[paragraph("Byen ved Vefsnfjorden.")])
    translate(vefsn)
    vefsn_article = publish(ArticlePageFactory(parent=vefsn, slug="bo-i-vefsn", title="Bo i Vefsn"))
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
        # The second region's.
        "editor_vefsn": make_user("redaktor-vefsn", "redaktor-vefsn"),
        "coordinator_mosjoen": make_user("koordinator-mosjoen", "koordinator-mosjoenregionen"),
    }
    pages = {
        "home": home,
        "en_home": en_home,
        "rana": rana,
        "luroy": luroy,
        "en_rana": en_rana,
        "en_luroy": en_luroy,
        "article": article,
        "second_home": second,
        "vefsn": vefsn,
        "vefsn_article": vefsn_article,
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
