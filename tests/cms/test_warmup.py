"""gunicorn's master renders a page of each kind once before it forks (cms/warmup.py), so a
new worker's first reader does not wait for imports, catalogues and templates."""

from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections

import pytest

from cms import gunicorn, warmup
from cms.wsgi import django_application
from region_pages.models import ArticlePage, MunicipalityPage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _wsgi():
    """Django closes the database connection when a request starts and finishes; in a test
    that would end the test's transaction, so, as Django's test client does, not here."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_a_page_of_each_kind_in_each_language_is_rendered(region):
    answers = dict(warmup.warm(django_application, close_connections=False))
    for path in warmup.FIXED_PATHS:
        assert answers[path] == 200, path
    # The first municipality page in the tree, in both languages, and an article page.
    assert answers[region.rana.url] == 200
    assert answers[region.en_rana.url] == 200
    assert answers[region.article.url] == 200
    kinds = {(type(p.specific), p.locale.language_code) for p in (region.rana, region.en_rana)}
    assert kinds == {(MunicipalityPage, "nb"), (MunicipalityPage, "en")}
    # One of each kind: the other municipalities are left for their readers.
    assert region.luroy.url not in answers
    assert isinstance(region.article, ArticlePage)


def test_a_database_that_does_not_answer_starts_the_server_all_the_same(monkeypatch):
    def unreachable():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(warmup, "paths_to_warm", unreachable)
    assert warmup.warm(django_application, close_connections=False) == []


def test_the_master_warms_up_only_a_preloaded_app(monkeypatch):
    warmed = []
    monkeypatch.setattr(warmup, "warm", lambda application: warmed.append(application))
    gunicorn.when_ready(server=None)
    assert warmed == [django_application]
    monkeypatch.setattr(gunicorn, "warm_up", False)
    gunicorn.when_ready(server=None)
    assert warmed == [django_application]
