"""Shared fixtures: a Norwegian site tree, its English locale, and helpers to publish and
translate pages the way editors do.

`make test` runs the suite twice, on SQLite and on PostgreSQL. The second pass takes
`--database-dependent-only`: it runs the tests that touch the database and leaves out
those whose outcome cannot depend on it (templates checked as files, settings, the
OpenAPI document, the browser's accessibility checks of the rendered demo), which the
first pass has already run. Its property-based tests try a third of their examples
(`SECOND_PASS_SHARE`): the first pass has explored the inputs; the second checks that
PostgreSQL answers them as SQLite does.
"""

import copy
import os
from contextlib import contextmanager

from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from wagtail.models import Locale, Page, Site

import pytest
from _pytest.nodeid import NodeId
from hypothesis import settings as hypothesis_settings
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from region_pages import regions, versions

from .factories import HomePageFactory

# Fixtures through which a test reaches the database (pytest-django's own).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


# The share of a property-based test's examples that the second pass tries.
SECOND_PASS_SHARE = 3
SECOND_PASS_MIN_EXAMPLES = 5


def for_this_pass(settings: hypothesis_settings) -> hypothesis_settings:
    """`settings` with fewer examples in the second pass (for tests that hand hypothesis
    their settings themselves, as the API fuzzing does)."""
    if not os.environ.get("TESTS_SECOND_PASS"):
        return settings
    share = max(SECOND_PASS_MIN_EXAMPLES, settings.max_examples // SECOND_PASS_SHARE)
    return hypothesis_settings(settings, max_examples=share)


def _fewer_examples(test) -> None:
    """Give a `@given` test the second pass's share of its examples (once: parametrised
    tests share one function)."""
    current = getattr(test, "_hypothesis_internal_use_settings", None)
    if current is None or getattr(test, "_second_pass", False):
        return
    test._hypothesis_internal_use_settings = for_this_pass(current)
    test._second_pass = True


def pytest_configure(config):
    if config.getoption("--database-dependent-only"):
        os.environ["TESTS_SECOND_PASS"] = "1"


def pytest_addoption(parser):
    parser.addoption(
        "--database-dependent-only",
        action="store_true",
        help="run only the tests whose outcome can depend on the database backend",
    )


def depends_on_database(item) -> bool:
    """Whether a test touches the database (browser tests: only where marked so)."""
    if item.get_closest_marker("browser"):
        return item.get_closest_marker("database_matters") is not None
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """Leave out what this pass does not run: tests that need a PostgreSQL server (marked
    `postgresql`) on SQLite, and with --database-dependent-only the database-independent
    tests. They are reported as deselected, never skipped: the other pass runs them."""
    keep = depends_on_database if config.getoption("--database-dependent-only") else None
    kept, left_out = [], []
    for item in items:
        wanted = (on_postgresql() or not item.get_closest_marker("postgresql")) and (
            keep is None or keep(item)
        )
        (kept if wanted else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    if keep is not None:
        for item in items:
            _fewer_examples(getattr(item, "obj", None))
    if getattr(config.option, "loadgroup", False):  # set by pytest-xdist in its workers
        _group_for_xdist(items)


def _group_for_xdist(items):
    """Make `--dist loadgroup` group again: pytest-xdist marks a test of an `xdist_group` by
    appending `@group` to `item._nodeid`, which pytest 9 no longer reads (the node id lives
    in `item._id`), so every worker would build the browser tests' demo site. Put the
    group's suffix where pytest reads the id."""
    for item in items:
        groups = sorted({_group_name(mark) for mark in item.iter_markers("xdist_group")})
        suffix = f"@{'_'.join(groups)}"
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


def _group_name(mark) -> str:
    return str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))


@contextmanager
def kept_for_the_module(django_db_blocker):
    """Run the enclosed code's writes in a transaction that the module's tests each run
    inside (their own transaction becomes a savepoint of it), and roll it back after the
    last: data built once for a module's tests, as Django's `setUpTestData` does for a
    class. Every test of the module sees the data, so a module opts in only where all its
    tests that touch the database use it (`shared_for_the_module`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def shared_for_the_module(build, name="region", home_of=lambda region: region["home"]):
    """Fixtures `home` and `name` (`region`) for a module whose tests all read one region
    built by `build(home)`: built once per module (and test process), each test getting
    its own copy of the objects (it may change them) and rolling back what it writes.

        _region_of_the_module, region, home = shared_for_the_module(build_region)
    """

    @pytest.fixture(scope="module")
    def _region_of_the_module(django_db_setup, django_db_blocker):
        with kept_for_the_module(django_db_blocker):
            with django_db_blocker.unblock():
                built = build(make_home())
            yield built

    @pytest.fixture(name=name)
    def region(_region_of_the_module, db):
        return copy.deepcopy(_region_of_the_module)

    @pytest.fixture
    def home(request):
        return home_of(request.getfixturevalue(name))

    return _region_of_the_module, region, home


@pytest.fixture
def direct_wsgi():
    """For tests that call the WSGI application directly (`tests.wsgi_client`): Django
    closes the database connection when a request starts and finishes; in a test that
    would end the test's transaction, so, as Django's test client does, not here."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    regions.forget_hosts()  # the hosts' regions a process keeps for the metrics
    # Every cache, the renditions' too: an image made by another test may have had the
    # same primary key (rolled back), and its renditions must not be taken for this one's.
    for each in caches.all():
        each.clear()
    versions.forget_kept()  # and what this process keeps of them
    yield
    for each in caches.all():
        each.clear()
    versions.forget_kept()


def make_locales():
    nb, _ = Locale.objects.get_or_create(language_code="nb")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return nb, en


@pytest.fixture
def locales(db):
    return make_locales()


@pytest.fixture
def home(locales):
    return make_home()


def make_home():
    """The Norwegian region home, published and made the default site's root."""
    nb, _en = make_locales()
    root = Page.get_first_root_node()
    page = HomePageFactory(parent=root, locale=nb)
    page.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    site.root_page = page
    site.hostname = "testserver"
    site.port = 80
    site.save()
    if placeholder.specific_class is Page:
        placeholder.delete()
    return page


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page, language="en", texts=None):
    """Translate `page` (or a translatable snippet) with wagtail-localize, as a translator
    would, and publish it.

    `texts` maps Norwegian segments to English; a segment not in it gets "EN: " prepended,
    so that every translated segment is visibly English in the tests. The slug is kept
    (/en/rana/ beside /nb/rana/) unless `texts` translates it.
    """
    texts = texts or {}
    locale = Locale.objects.get(language_code=language)
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()  # as "Sync translated pages" does after an edit
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = segment.string.data
        kept = text if segment.context.path == "slug" else f"EN: {text}"
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": texts.get(text, kept)},
        )
    if not isinstance(page, Page):
        # A snippet without drafts is saved as it is translated.
        translation.save_target(publish=True)
        return page.get_translation(locale)
    translation.save_target(publish=False)
    target = page.get_translation(locale)
    target.get_latest_revision().publish()
    return target.specific_class.objects.get(pk=target.pk)
