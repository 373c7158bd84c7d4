"""The index follows publishing, in the publish transaction, without scanning everything."""

import io

from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from region_pages import versions
from search import indexing, query
from search.models import ResultKind, SearchDocument
from tests import factories
from tests.conftest import publish
from tests.search.conftest import on_postgres

from .conftest import shared_region

# Every test here searches the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db


def rows():
    return {
        (d.page_id, d.entry_id, d.locale_id, d.kind, d.municipality_number, d.title)
        for d in SearchDocument.objects.all()
    }


def found(q, language="nb"):
    return [hit.title for hit in query.search(q, language).hits]


def test_every_live_page_and_entry_has_one_row_in_its_language(region):
    nb_rana = region["nb"]["rana"]
    documents = SearchDocument.objects.filter(page=nb_rana)
    assert {d.kind for d in documents} == {ResultKind.PAGE, ResultKind.SCHOOL, ResultKind.LEISURE}
    assert documents.count() == 1 + nb_rana.entries.count()
    assert {d.locale_id for d in documents} == {nb_rana.locale_id}
    assert SearchDocument.objects.filter(page=region["en"]["rana"]).count() == documents.count()


def test_vectors_are_computed_on_postgresql_only(region):
    with_vector = SearchDocument.objects.exclude(search_vector=None).count()
    assert with_vector == (SearchDocument.objects.count() if on_postgres() else 0)


def test_publishing_indexes_in_the_same_transaction(region):
    page = factories.ArticlePageFactory(parent=region["nb"]["home"], title="Kulturskolen")
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(page)
        assert found("kulturskolen") == ["Kulturskolen"]
        raise RuntimeError("the publish fails after indexing")
    assert found("kulturskolen") == []
    publish(type(page).objects.get(pk=page.pk))
    assert found("kulturskolen") == ["Kulturskolen"]


def test_a_draft_is_not_indexed_until_published(region):
    page = publish(factories.ArticlePageFactory(parent=region["nb"]["home"], title="Bibliotek"))
    page.title = "Folkebibliotek"
    page.save_revision()
    assert found("folkebibliotek") == []
    page.get_latest_revision().publish()
    assert found("folkebibliotek") == ["Folkebibliotek"]


def test_unpublishing_and_deleting_remove_the_rows(region):
    luroy = region["nb"]["luroy"]
    assert "Lurøy barnehage" in found("barnehage")
    luroy.unpublish()
    assert "Lurøy barnehage" not in found("barnehage")
    assert not SearchDocument.objects.filter(page=luroy).exists()
    vacancies = region["nb"]["vacancies"]
    vacancies.delete()
    assert not SearchDocument.objects.filter(page_id=vacancies.pk).exists()


def test_a_private_page_leaves_the_index_and_returns(region):
    rana = region["nb"]["rana"]
    restriction = PageViewRestriction.objects.create(
        page=rana, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert not SearchDocument.objects.filter(page=rana).exists()
    assert "Ytteren skole" not in found("Ytteren")
    restriction.delete()
    assert "Ytteren skole" in found("Ytteren")


def test_a_changed_entry_is_found_by_its_new_name(region):
    rana = region["nb"]["rana"]
    body = rana.body.raw_data
    for block in body:
        if block["type"] == "school":
            block["value"]["name"] = "Gruben skole"
    rana.body = body
    publish(rana)
    assert "Gruben skole" in found("Gruben")
    assert "Ytteren skole" not in found("Ytteren")


def test_a_publish_rewrites_only_the_rows_that_changed(region):
    rana = region["nb"]["rana"]
    before = {
        (doc.entry.block_id if doc.entry_id else None): doc.pk
        for doc in SearchDocument.objects.filter(page=rana).select_related("entry")
    }
    body = rana.body.raw_data
    school = next(block for block in body if block["type"] == "school")
    school["value"]["name"] = "Gruben skole"
    rana.body = body
    publish(rana)
    after = {
        (doc.entry.block_id if doc.entry_id else None): doc
        for doc in SearchDocument.objects.filter(page=rana).select_related("entry")
    }
    assert set(after) == set(before)
    # The other entries' rows and the page's own (its text leaves the entries to theirs)
    # stay as they were.
    unchanged = [key for key in before if key != school["id"]]
    assert None in unchanged and len(unchanged) > 1
    assert all(after[key].pk == before[key] for key in unchanged)
    assert after[school["id"]].pk != before[school["id"]]  # the school's row is new
    assert after[school["id"]].title == "Gruben skole"
    assert "Gruben skole" in found("Gruben")


def test_moving_a_page_below_a_municipality_gives_it_the_municipality(region):
    article = publish(
        factories.ArticlePageFactory(parent=region["nb"]["home"], title="Bo på Lovund")
    )
    assert SearchDocument.objects.get(page=article).municipality_number == ""
    article.move(region["nb"]["luroy"], pos="last-child")
    assert SearchDocument.objects.get(page=article).municipality_number == "1834"


def test_indexing_one_page_does_not_depend_on_how_many_pages_there_are(region):
    home = region["nb"]["home"]
    article = publish(factories.ArticlePageFactory(parent=home, title="Første"))

    def cost():
        with CaptureQueriesContext(connection) as queries:
            indexing.index_pages([article.pk])
        return len(queries)

    before = cost()
    for n in range(15):
        publish(factories.ArticlePageFactory(parent=home, title=f"Side {n}"))
    assert cost() == before


def test_the_rebuild_command_gives_the_rows_publishing_gave(region):
    maintained = rows()
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rows() == maintained
    assert found("Luroy")[0] == "Lurøy"


def test_the_rebuild_command_moves_the_content_version_on_once(region):
    before, _changed = versions.current()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert versions.current()[0] == before + 1
