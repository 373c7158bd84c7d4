"""A small bilingual region for the API tests: two municipalities with entries (one of
them translated), a theme page and an article, published the way editors do."""

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

import pytest

from cms.wsgi import application
from tests import factories
from tests.conftest import publish, translate


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
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            title="Rana",
            slug="rana",
            municipality_number="1833",
            administrative_centre="Mo i Rana",
            population=26000,
            population_year=2025,
            body=[
                factories.paragraph("Rana er en industriby."),
                factories.industry(),
                factories.leisure(name="Svartisen", seasons=["summer", "autumn"]),
                factories.school(name="Ytteren skole"),
                factories.leisure(
                    name="Skitur",
                    seasons=["winter"],
                    category="skiing",
                    latitude=66.0,
                    longitude=14.5,
                ),
            ],
        )
    )
    hemnes = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            title="Hemnes",
            slug="hemnes",
            municipality_number="1832",
            body=[factories.school(name="Korgen barnehage", level="kindergarten", pupils=40)],
        )
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
