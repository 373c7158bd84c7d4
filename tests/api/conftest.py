"""A small bilingual region for the API tests: two municipalities with entries (one of
them translated), a theme page and an article, published the way editors do."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections
from django.test import Client

from wagtail.models import Site

import pytest

from cms.wsgi import application
from tests import factories
from tests.conftest import publish, shared_for_the_module, translate
from tests.regions import municipality


@pytest.fixture
def api():
    return Client()


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, as gunicorn runs it, for schemathesis.

    Django closes the database connection when a request starts and finishes; in a test
    that would end the test's transaction (on PostgreSQL), so, as Django's test client
    does, not here.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield application
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def region(home, locales):
    return build_region(home)


def shared_region():
    """The fixtures of a module whose tests all read `region` (built once for them)."""
    return shared_for_the_module(build_region)


def build_region(home):
    rana = municipality(
        home,
        "rana",
        administrative_centre="Mo i Rana",
        population=26000,
        population_year=2025,
        body=[
            factories.paragraph("Rana er en industriby."),
            factories.industry(),
            factories.leisure(name="Svartisen", seasons=["summer", "autumn"]),
            factories.school(name="Ytteren skole"),
            factories.leisure(
                name="Skitur", seasons=["winter"], category="skiing", latitude=66.0, longitude=14.5
            ),
        ],
    )
    hemnes = municipality(
        home,
        "hemnes",
        body=[factories.school(name="Korgen barnehage", level="kindergarten", pupils=40)],
    )
    theme = publish(factories.ThemePageFactory(parent=home, slug="fritid"))
    article = publish(factories.ArticlePageFactory(parent=home, slug="flytte-hit"))
    home_en = translate(home)
    rana_en = translate(rana)
    theme_en = translate(theme)
    return {
        "home": home,
        "home_en": home_en,
        "rana": rana,
        "rana_en": rana_en,
        "hemnes": hemnes,
        "theme": theme,
        "theme_en": theme_en,
        "article": article,
    }


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def api_server(wsgi_app, region, settings):
    """The site served over HTTP on a free loopback port, inside this test's transaction;
    its base URL, which the site's host and port are pointed at (as `load_demo` does).

    The server's thread borrows the test's database connection, as Django's live server
    does for SQLite in memory: it sees the fixtures' data without a commit, and the data
    is rolled back afterwards like any test's. The server answers one request at a time
    and the test waits for each answer, so the two threads never use it at once.
    """
    server = make_server("127.0.0.1", 0, wsgi_app, handler_class=_QuietHandler)
    host, port = server.server_address[:2]
    base_url = f"http://{host}:{port}"
    Site.objects.filter(is_default_site=True).update(hostname=host, port=port)
    settings.SITE_BASE_URL = base_url

    database = connections[DEFAULT_DB_ALIAS]

    def serve():
        connections[DEFAULT_DB_ALIAS] = database
        server.serve_forever(poll_interval=0.05)

    database.inc_thread_sharing()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join()
    server.server_close()
    database.dec_thread_sharing()
