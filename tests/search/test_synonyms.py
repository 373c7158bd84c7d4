"""Synonyms that are phrases: "Mo i Rana" ↔ "Mo", "Mo Industripark" ↔ "MIP".

The groups "Mo i Rana, Mo" and "Mo Industripark, MIP" are seeded by migration. The words
of a query that spell out a phrase of a group match together: as the phrase's own words, or
as any other member of the group. Both databases.
"""

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from search import query, synonyms
from search.models import Synonym
from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db


def titles(q, language="nb"):
    with translation.override(language):
        return [hit.title for hit in query.search(q, language).hits]


@pytest.fixture
def places(region):
    home = region["nb"]["home"]
    return {
        "cinema": publish(
            factories.ArticlePageFactory(
                parent=home,
                title="Kino og kafé",
                body=[factories.paragraph("Kinoen i Mo viser film hver kveld.")],
            )
        ),
        "park": publish(
            factories.ArticlePageFactory(
                parent=home,
                title="Arbeid i industrien",
                body=[factories.paragraph("Over 2000 arbeider i Mo Industripark.")],
            )
        ),
        "canteen": publish(
            factories.ArticlePageFactory(
                parent=home,
                title="Kantina på MIP",
                body=[factories.paragraph("Lunsj for alle som arbeider der.")],
            )
        ),
    }


def test_the_phrase_groups_are_seeded():
    seeded = {tuple(s.term_list) for s in Synonym.objects.all()}
    assert {("Mo i Rana", "Mo"), ("Mo Industripark", "MIP")} <= seeded


def test_a_phrase_finds_the_single_word_it_stands_for(places):
    """The phrase "Mo i Rana" finds a page that only says "Mo" (without the group it would
    need "Rana" too)."""
    assert "Kino og kafé" in titles("Mo i Rana")
    assert titles("mo-i-rana") == titles("Mo i Rana") == titles("MO I RANA")
    Synonym.objects.filter(terms="Mo i Rana, Mo").delete()
    assert "Kino og kafé" not in titles("Mo i Rana")


def test_an_abbreviation_and_its_phrase_find_each_other(places):
    assert set(titles("MIP")) >= {"Kantina på MIP", "Arbeid i industrien"}
    assert set(titles("Mo Industripark")) >= {"Kantina på MIP", "Arbeid i industrien"}


def test_the_last_word_of_a_phrase_may_be_inflected(places):
    assert "Kantina på MIP" in titles("Mo Industriparken")


def test_a_phrase_among_other_words(places):
    """Each unit must match: the phrase (or its synonym) and the other words."""
    assert titles("kantina Mo Industripark") == ["Kantina på MIP"]
    assert titles("lunsj MIP") == ["Kantina på MIP"]
    assert titles("kino Mo Industripark") == []


def test_a_phrase_group_an_editor_adds_works_at_once(places):
    assert titles("Helgelandssykehuset") == []
    Synonym.objects.create(terms="Helgelandssykehuset, sykehuset i Mo")
    publish(
        factories.ArticlePageFactory(
            parent=places["cinema"].get_parent(),
            title="Legevakt",
            body=[factories.paragraph("Sykehuset i Mo har døgnåpen legevakt.")],
        )
    )
    assert titles("Helgelandssykehuset") == ["Legevakt"]


def test_the_query_is_read_as_units_longest_phrase_first():
    Synonym.objects.create(terms="Mo i Rana sentrum, sentrum")
    units = synonyms.units(["skole", "Mo", "i", "Rana", "sentrum", "MIP"])
    assert units == [
        synonyms.Unit(("skole",), ("school",)),
        synonyms.Unit(("Mo", "i", "Rana", "sentrum"), ("sentrum",)),
        synonyms.Unit(("MIP",), ("Mo Industripark",)),
    ]
    assert synonyms.units(["Mo", "i", "Rana"]) == [synonyms.Unit(("Mo", "i", "Rana"), ("Mo",))]


@pytest.mark.parametrize(
    ("terms", "valid"),
    [
        ("Mo i Rana, Mo", True),
        ("Mo-i-Rana, Mo i Rana", False),  # the same phrase twice
        ("en to tre fire fem seks, MIP", False),  # a phrase of more than five words
        ("!!!, MIP", False),  # a member without letters
    ],
)
def test_a_synonym_group_is_validated(terms, valid):
    synonym = Synonym(terms=terms)
    if valid:
        synonym.full_clean()
    else:
        with pytest.raises(ValidationError):
            synonym.full_clean()
