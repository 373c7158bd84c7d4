"""What keeps search fast at scale: a bounded number of rows read, cached answers, and
the content version that makes a cached answer stale the moment the index changes."""

from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest

from region_pages import versions
from search import query, synonyms
from search.backends import postgres
from search.models import Synonym
from tests import factories
from tests.conftest import publish
from tests.search.conftest import on_postgres

from .conftest import shared_region

# Every test here searches the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db


def search(q, language="nb", **filters):
    with translation.override(language):
        return query.search(q, language, **filters)


# ---- at most the cap of results ---------------------------------------------------------


def test_more_matches_than_the_cap_are_served_as_the_best_of_them(region, settings):
    everything = search("Luroy")
    assert not everything.capped
    assert everything.total >= 3
    settings.SEARCH_RESULT_CAP = 2
    capped = search("Luroy")
    assert capped.capped
    assert capped.total == 2
    assert capped.hits[0].title == "Lurøy"  # the title match is kept
    assert sum(facet.count for facet in capped.kinds) == 2


def test_facet_counts_of_a_capped_search_agree_with_the_filtered_list(region, settings):
    settings.SEARCH_RESULT_CAP = 2
    capped = search("Luroy")
    for facet in capped.kinds:
        filtered = search("Luroy", kind=facet.value)
        assert filtered.total == facet.count
        assert filtered.capped


def test_the_page_says_1000_plus_when_capped(client, region, settings):
    settings.SEARCH_RESULT_CAP = 1000
    html = client.get("/nb/sok/", {"q": "Luroy"}).content.decode()
    assert "Tallene gjelder" not in html and "+)</span>" not in html
    settings.SEARCH_RESULT_CAP = 2
    html = client.get("/nb/sok/", {"q": "Luroy"}).content.decode()
    assert 'role="status">2+ treff for «Luroy»' in html
    assert "Tallene gjelder de 2 beste" in html
    assert '<span class="search-count">(2+)</span>' in html
    html = client.get("/en/search/", {"q": "Luroy"}).content.decode()
    assert 'role="status">2+ results for “Luroy”' in html


def test_the_cap_is_written_as_a_number_of_the_language(rf, region):
    """1000 is "1 000+" in Norwegian and "1,000+" in English."""
    for language, expected in (("nb", "1\xa0000+ treff for «Rana»"), ("en", "1,000+ results")):
        with translation.override(language):
            results = query.Results(query="Rana", language=language, total=1000, capped=True)
            html = render_to_string(
                "search/search.html",
                {"results": results, "search_query": "Rana", "filters": {}},
                request=rf.get("/"),
            )
        assert expected in html


def test_the_api_says_when_it_is_capped(client, region, settings):
    body = client.get("/api/v1/search", {"q": "Luroy"}).json()
    assert body["capped"] is False
    settings.SEARCH_RESULT_CAP = 2
    body = client.get("/api/v1/search", {"q": "Luroy", "limit": 1}).json()
    assert body["capped"] is True
    assert body["count"] == 2
    assert body["next"] and "offset=1" in body["next"]


def test_the_matching_reads_a_bounded_number_of_rows(region, settings):
    """One statement reads the matches, with a LIMIT of the cap (plus one, to know there
    are more); on PostgreSQL it can be served by the partial GIN indexes of the reader's
    language (shown here with sequential scans discouraged: the test data are too few for
    the planner to bother with an index)."""
    settings.SEARCH_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        search("skole")
    reads = [q["sql"] for q in queries.captured_queries if "LIMIT 1001" in q["sql"]]
    assert len(reads) == 1
    assert "search_searchdocument" in reads[0]
    if on_postgres():
        sql, params = postgres.candidates_statement("nb", synonyms.units(["skole"]), 1000)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Bitmap Index Scan on search_document_rank_vector_nb" in plan
        assert "Bitmap Index Scan on search_document_vector_nb" in plan
        assert "_en" not in plan


# ---- cached answers and the content version ----------------------------------------------


def test_a_repeated_search_is_answered_from_the_cache(region):
    first = search("Luroy")
    with CaptureQueriesContext(connection) as queries:
        again = search("Luroy")
    assert [h.title for h in again.hits] == [h.title for h in first.hits]
    assert len(queries) == 1  # the content version, nothing else
    assert "region_pages_contentversion" in queries[0]["sql"]


def test_the_cache_key_is_the_normalised_query(region):
    """Case and accents do not matter; the query is shown as it was typed."""
    search("Mo i Rana Lurøy")
    with CaptureQueriesContext(connection) as queries:
        results = search("MO I RANA LURØY")
    assert len(queries) == 1
    assert results.query == "MO I RANA LURØY"


def test_no_cache_when_it_is_switched_off(region, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    search("Luroy")
    with CaptureQueriesContext(connection) as queries:
        search("Luroy")
    assert len(queries) > 1


def test_publishing_makes_cached_answers_stale_at_once(region):
    assert search("Kulturskolen").total == 0
    publish(factories.ArticlePageFactory(parent=region["nb"]["home"], title="Kulturskolen"))
    assert [hit.title for hit in search("Kulturskolen").hits] == ["Kulturskolen"]


def test_a_synonym_makes_cached_answers_stale_at_once(region):
    assert search("padleturer").total == 0
    Synonym.objects.create(terms="padleturer, kajakk")
    assert search("padleturer").total == 1
    Synonym.objects.filter(terms="padleturer, kajakk").delete()
    assert search("padleturer").total == 0


def test_a_promotion_makes_cached_answers_stale_at_once(region):
    assert search("flytte").promotions == []
    promotion = SearchPromotion.objects.create(
        query=Query.get("flytte"), page=region["nb"]["vacancies"], description="Flytt hit."
    )
    assert [hit.title for hit in search("flytte").promotions] == ["Ledige stillinger"]
    promotion.delete()
    assert search("flytte").promotions == []


@pytest.mark.parametrize(
    "change",
    [
        lambda region: Synonym.objects.create(terms="bolig, hus"),
        lambda region: SearchPromotion.objects.create(
            query=Query.get("bolig"), page=region["nb"]["vacancies"]
        ),
        lambda region: publish(factories.ArticlePageFactory(parent=region["nb"]["home"])),
        lambda region: region["nb"]["vacancies"].unpublish(),
        lambda region: region["nb"]["vacancies"].delete(),
    ],
)
def test_every_change_bumps_the_index_version(region, change):
    before, _changed_at = versions.current()
    change(region)
    after, changed_at = versions.current()
    assert after > before
    assert changed_at is not None


def test_a_change_that_is_rolled_back_leaves_the_version(region):
    before = versions.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Synonym.objects.create(terms="bolig, hus")
        raise RuntimeError("the change fails")
    assert versions.current() == before
