"""Relevance in both languages: the examples of the issue, on PostgreSQL and on SQLite.

On PostgreSQL every example holds. On SQLite (the embedded default) matching is simpler:
accents are folded and words match from their start, but nothing is stemmed; where a
behaviour differs the test says which result each database gives.
"""

from django.utils import translation

import pytest

from search import query
from search.models import Synonym
from tests.search.conftest import on_postgres

from .conftest import shared_region

# Every test here searches the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db


def titles(q, language, **filters):
    with translation.override(language):
        return [hit.title for hit in query.search(q, language, **filters).hits]


@pytest.fixture
def no_synonyms():
    """Stemming on its own: without the seeded synonyms (school, skole, …)."""
    Synonym.objects.all().delete()


# ---- stemming (PostgreSQL) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "found"),
    [
        ("nb", "skoler", "Ytteren skole"),
        ("nb", "barnehagen", "Lurøy barnehage"),
        ("nb", "fjellturer", "Fjelltur til Svartisen"),
        ("en", "schools", "Ytteren school"),
        ("en", "kindergartens", "Lurøy kindergarten"),
        ("en", "hikes", "Mountain hike to Svartisen"),
    ],
)
def test_inflected_words_find_their_base_form_on_postgresql(
    region, no_synonyms, language, typed, found
):
    assert (found in titles(typed, language)) is on_postgres()


@pytest.mark.parametrize(
    ("language", "typed", "found"),
    [
        ("nb", "skole", "Ytteren skole"),
        ("nb", "barnehage", "Lurøy barnehage"),
        ("nb", "fjelltur", "Fjelltur til Svartisen"),
        ("en", "school", "Ytteren school"),
    ],
)
def test_the_base_form_finds_itself_on_both_databases(region, no_synonyms, language, typed, found):
    assert found in titles(typed, language)


def test_stemming_follows_the_language_of_the_content(region, no_synonyms):
    """Norwegian rules for Norwegian rows: "skoler" is not an English word for school."""
    assert "Ytteren school" not in titles("skoler", "en")
    assert ("Ytteren skole" in titles("skoler", "nb")) is on_postgres()


# ---- folding ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_names_typed_without_norwegian_letters_are_found(region, language):
    found = titles("Luroy", language)
    assert found[0] == "Lurøy"
    assert {"Lurøy barnehage" if language == "nb" else "Lurøy kindergarten"} <= set(found)


def test_the_folded_query_and_the_norwegian_query_agree(region):
    assert titles("Lurøy", "nb") == titles("Luroy", "nb") == titles("LURØY", "nb")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_mo_i_rana_with_spaces_or_hyphens_finds_the_same(region, language):
    with_spaces = titles("Mo i Rana", language)
    assert with_spaces == titles("mo-i-rana", language) == titles("MO I RANA", language)
    assert "Rana" in with_spaces


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_sami_name_raane_finds_rana_through_the_seeded_synonym(region, language):
    assert Synonym.objects.filter(terms__icontains="Raane").exists()
    assert "Rana" in titles("Raane", language)


def test_without_the_synonym_raane_finds_nothing(region, no_synonyms):
    assert titles("Raane", "nb") == []


# ---- ranking and language --------------------------------------------------------------


@pytest.mark.parametrize(("language", "typed"), [("nb", "Lurøy"), ("en", "Lurøy")])
def test_a_title_match_ranks_above_a_mention(region, language, typed):
    found = titles(typed, language)
    assert found.index("Lurøy") < found.index(
        "Padling ved Lovund" if language == "nb" else "Paddling at Lovund"
    )


def test_results_stay_in_the_readers_language(region):
    with translation.override("en"):
        results = query.search("Rana", "en")
    assert results.total > 0
    assert all(hit.url.startswith("/en/") for hit in results.hits)
    with translation.override("nb"):
        results = query.search("Rana", "nb")
    assert all(hit.url.startswith("/nb/") for hit in results.hits)


def test_every_word_must_match(region):
    assert "Ytteren skole" in titles("Ytteren skole", "nb")
    assert titles("Ytteren Lovund", "nb") == []


# ---- synonyms --------------------------------------------------------------------------


def test_seeded_synonyms_join_the_languages(region):
    """An English reader who writes the Norwegian word finds the English kindergarten."""
    assert "Lurøy kindergarten" in titles("barnehage", "en")
    assert "Ledige stillinger" in titles("jobb", "nb")


def test_a_synonym_an_editor_adds_works_at_once(region):
    assert titles("padleturer", "nb") == []
    Synonym.objects.create(terms="padleturer, kajakk")
    assert titles("padleturer", "nb") == ["Padling ved Lovund"]


def test_synonyms_match_inflected_query_words(region):
    assert "Ledige stillinger" in titles("jobber", "nb")


# ---- suggestions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("nb", "Lur", "Lurøy"),
        ("nb", "luro", "Lurøy"),
        ("nb", "Ytt", "Ytteren skole"),
        ("en", "kinderg", "Lurøy kindergarten"),
        ("nb", "Ytteren sko", "Ytteren skole"),
    ],
)
def test_suggestions_match_the_start_of_a_word(region, language, typed, expected):
    with translation.override(language):
        suggested = [s.title for s in query.suggest(typed, language)]
    assert expected in suggested


def test_suggestions_need_three_letters(region):
    assert query.suggest("Lu", "nb") == []
    assert query.suggest("Lur", "nb") != []
