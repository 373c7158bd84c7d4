"""The search page, the suggestions endpoint, promotions and the report of missed searches."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest

from search import hits
from search.models import MissedQuery
from tests import factories
from tests.conftest import publish

from .conftest import shared_region

# Every test here searches the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db


def result_titles(html: str) -> list[str]:
    return re.findall(r'<li class="search-result">\s*<h3><a href="[^"]*">([^<]*)</a>', html)


def test_the_search_page_has_a_url_in_each_language(client, region):
    with translation.override("nb"):
        assert reverse("search") == "/nb/sok/"
    with translation.override("en"):
        assert reverse("search") == "/en/search/"
    for url, language in (("/nb/sok/", "nb"), ("/en/search/", "en")):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        # The header's search box sends the reader to the page in their language.
        assert f'<form class="site-search" role="search" action="{url}"' in html
        assert '<label for="site-search-q">' in html


def test_a_result_shows_title_snippet_municipality_and_kind(client, region):
    html = client.get("/nb/sok/", {"q": "Ytteren"}).content.decode()
    rana = region["nb"]["rana"]
    school = rana.entries.get(name="Ytteren skole")
    assert result_titles(html) == ["Ytteren skole"]
    assert f'href="/nb/rana/#block-{school.block_id}"' in html
    assert "Skole eller barnehage</span> · Rana" in html
    assert "<mark>Ytteren</mark>" in html
    assert 'role="status">1 treff for «Ytteren»' in html


def test_the_query_is_escaped_everywhere(client, region):
    html = client.get("/en/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_snippets_escape_the_indexed_text(client, region):
    page = publish(
        factories.ArticlePageFactory(
            parent=region["nb"]["home"],
            title="Om skript",
            body=[factories.paragraph("Ikke kjør &lt;b&gt;skript&lt;/b&gt; her.")],
        )
    )
    html = client.get("/nb/sok/", {"q": "skript"}).content.decode()
    assert page.title in result_titles(html)
    assert "<b>" not in html.split('class="search-results"')[1]


def test_filters_by_kind_and_municipality_with_counts(client, region):
    html = client.get("/nb/sok/", {"q": "Luroy"}).content.decode()
    assert re.search(r'kind=school">Skole eller barnehage <span class="search-count">\(1\)', html)
    assert re.search(r'municipality=1834">Lurøy <span class="search-count">\(\d+\)', html)

    html = client.get("/nb/sok/", {"q": "Luroy", "kind": "school"}).content.decode()
    assert result_titles(html) == ["Lurøy barnehage"]
    assert re.search(r'aria-current="true">Skole eller barnehage', html)

    html = client.get("/nb/sok/", {"q": "Mo i Rana", "municipality": "1834"}).content.decode()
    assert result_titles(html) == []


def test_unknown_filters_are_ignored(client, region):
    plain = result_titles(client.get("/nb/sok/", {"q": "Luroy"}).content.decode())
    odd = client.get("/nb/sok/", {"q": "Luroy", "kind": "x'--", "municipality": "abcd"})
    assert odd.status_code == 200
    assert result_titles(odd.content.decode()) == plain


def test_pagination(client, region):
    home = region["nb"]["home"]
    for n in range(23):
        publish(factories.ArticlePageFactory(parent=home, title=f"Kajakktur {n:02d}"))
    first = client.get("/nb/sok/", {"q": "kajakktur"}).content.decode()
    assert len(result_titles(first)) == 10
    assert '<nav class="ds-pagination" aria-label="Resultatsider">' in first
    assert 'rel="next"' in first
    # Designsystemet's layout: "previous" is always the first item, hidden on page one.
    items = re.findall(
        r"<li>(.*?)</li>", first.split('class="ds-pagination"')[1].split("</nav>")[0]
    )
    assert items[0] == '<span class="ds-button" data-variant="tertiary" aria-hidden="true"></span>'
    assert 'aria-current="page"><span class="search-visually-hidden">Side </span>1</a>' in items[1]
    third = client.get("/nb/sok/", {"q": "kajakktur", "page": "3"}).content.decode()
    assert len(result_titles(third)) == 3
    assert 'rel="prev"' in third and 'rel="next"' not in third
    # Out of range or nonsense: the nearest page, not an error.
    assert result_titles(
        client.get("/nb/sok/", {"q": "kajakktur", "page": "99"}).content.decode()
    ) == result_titles(third)
    assert result_titles(
        client.get("/nb/sok/", {"q": "kajakktur", "page": "x"}).content.decode()
    ) == result_titles(first)


def test_the_empty_state_offers_a_way_on(client, region):
    html = client.get("/en/search/", {"q": "zyxwvut"}).content.decode()
    assert 'role="status">0 results for “zyxwvut”' in html
    assert "Nothing found" in html
    assert 'href="/en/rana/"' in html and 'href="/en/luroy/"' in html
    assert 'href="/nb/sok/?q=zyxwvut"' in html and 'lang="nb"' in html


def test_an_empty_query_shows_the_page_without_results(client, region):
    html = client.get("/nb/sok/", {"q": "   "}).content.decode()
    assert 'role="status"' not in html
    assert "Bruk søkefeltet øverst på siden" in html


def test_a_query_over_200_characters_is_refused_politely(client, region):
    response = client.get("/en/search/", {"q": "rana " * 50})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "at most 200 characters" in html
    assert result_titles(html) == []


def test_the_search_page_runs_a_bounded_number_of_queries(
    client, region, settings, django_assert_max_num_queries
):
    """The count does not grow with the number of results on the page (measured without
    the cache of answers, which would hide the search's own queries)."""
    settings.SEARCH_CACHE_SECONDS = 0
    client.get("/nb/sok/", {"q": "Luroy"})  # warm the caches (navigation, synonyms)
    with django_assert_max_num_queries(12):
        response = client.get("/nb/sok/", {"q": "Luroy"})
    assert len(result_titles(response.content.decode())) >= 3
    for n in range(12):
        publish(factories.ArticlePageFactory(parent=region["nb"]["luroy"], title=f"Lurøy {n}"))
    client.get("/nb/sok/", {"q": "Luroy"})  # publishing cleared the navigation cache
    with django_assert_max_num_queries(12):
        response = client.get("/nb/sok/", {"q": "Luroy"})
    assert len(result_titles(response.content.decode())) == 10


def test_a_repeated_search_page_reads_its_answer_from_the_cache(
    client, region, django_assert_max_num_queries, settings, monkeypatch
):
    # Searches counted as in production: written every few seconds (search/hits.py).
    settings.SEARCH_HITS_FLUSH_SECONDS = 10
    monkeypatch.setattr(hits, "tally", hits.Tally())
    first = client.get("/nb/sok/", {"q": "Luroy"}).content.decode()
    # The content version in the request's transaction: nothing of the search itself.
    with django_assert_max_num_queries(3):
        again = client.get("/nb/sok/", {"q": "Luroy"}).content.decode()
    assert result_titles(again) == result_titles(first) != []


# ---- promotions ------------------------------------------------------------------------


def test_promoted_results_are_per_query_and_language(client, region):
    query = Query.get("flytte")
    SearchPromotion.objects.create(
        query=query,
        page=region["nb"]["vacancies"],
        description="Alt om å flytte hit.",
        sort_order=0,
    )
    SearchPromotion.objects.create(
        query=query,
        page=region["en"]["vacancies"],
        description="All about moving here.",
        sort_order=1,
    )
    nb = client.get("/nb/sok/", {"q": "Flytte"}).content.decode()
    en = client.get("/en/search/", {"q": "flytte"}).content.decode()
    assert 'href="/nb/ledige-stillinger/">Ledige stillinger</a>' in nb
    assert "Alt om å flytte hit." in nb and "All about moving here." not in nb
    assert 'href="/en/ledige-stillinger/">Job vacancies</a>' in en
    assert "Alt om å flytte hit." not in en
    assert "Anbefalt" in nb and "Recommended" in en


# ---- searches without results ----------------------------------------------------------


def test_searches_without_results_are_counted_per_language_and_day(client, region):
    for _ in range(3):
        client.get("/en/search/", {"q": "Daycare  "})
    client.get("/nb/sok/", {"q": "daycare"})
    client.get("/nb/sok/", {"q": "Rana"})  # found: not counted
    rows = {(m.query_string, m.language_code): m.hits for m in MissedQuery.objects.all()}
    assert rows == {("daycare", "en"): 3, ("daycare", "nb"): 1}
    assert Query.get("daycare").hits == 4


def test_the_report_lists_the_most_frequent_missed_searches(client, region):
    for q, times in (("daycare", 3), ("bolig", 1)):
        for _ in range(times):
            client.get("/en/search/", {"q": q})
    admin = get_user_model().objects.create_superuser("officer", "o@example.com", "pw")
    client.force_login(admin)
    response = client.get(reverse("search_missed_queries"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Søk uten treff" in html
    assert html.index("daycare") < html.index("bolig")
    assert "Engelsk" in html


def test_the_report_needs_permission(client, region):
    user = get_user_model().objects.create_user("reader", "r@example.com", "pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("search_missed_queries"))
    assert response.status_code in (302, 403)


# ---- suggestions -----------------------------------------------------------------------


def test_suggestions_as_json(client, region):
    response = client.get("/en/search/suggestions/", {"q": "kinder"})
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert {"title": "Lurøy kindergarten", "kind": "School or kindergarten"}.items() <= suggestions[
        0
    ].items()
    assert suggestions[0]["url"].startswith("/en/luroy/#block-")
    assert client.get("/en/search/suggestions/", {"q": "ki"}).json() == {"suggestions": []}


def test_the_header_loads_the_suggestions_script_without_inline_code(client, region):
    html = client.get("/nb/sok/").content.decode()
    assert 'data-suggest-url="/nb/sok/forslag/"' in html
    assert re.search(r'<script src="[^"]*search/suggest\.js" defer></script>', html)
    assert "<script>" not in html


def test_the_untranslated_path_leads_to_the_norwegian_search_page(client, region):
    response = client.get("/nb/search/", {"q": "Lurøy"})
    assert response.status_code == 301
    assert response["Location"] == "/nb/sok/?q=Lur%C3%B8y"
