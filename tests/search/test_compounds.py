"""Norwegian compounds: "skole" finds "barneskole" and "grunnskolene", "hage" no kindergarten.

The heads of compound words (from a short list: skole, barnehage, tur, stilling, …) are
indexed beside Norwegian rows. On PostgreSQL they are stemmed like every other word; on
SQLite they join the folded text and match from their start, like every other word.
"""

from django.utils import translation

import pytest

from search import query
from search.compounds import heads
from search.models import Synonym
from tests import factories
from tests.conftest import publish, translate
from tests.search.conftest import on_postgres

pytestmark = pytest.mark.django_db


def titles(q, language="nb"):
    with translation.override(language):
        return [hit.title for hit in query.search(q, language).hits]


@pytest.fixture
def compounds(region):
    """A primary school named as a compound, an article about the schools of the region,
    and one about culture, in Norwegian."""
    Synonym.objects.all().delete()  # the compounds on their own
    home = region["nb"]["home"]
    hemnes = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            title="Hemnes",
            slug="hemnes",
            municipality_number="1832",
            administrative_centre="Korgen",
            intro="Kommune ved Ranfjorden.",
            body=[factories.school(name="Korgen sentralskole", description="", address="")],
        )
    )
    schools = publish(
        factories.ArticlePageFactory(
            parent=home,
            title="Oppvekst i regionen",
            body=[factories.paragraph("Grunnskolene og barnehagene ligger nær der folk bor.")],
        )
    )
    culture = publish(
        factories.ArticlePageFactory(
            parent=home,
            title="Kultur og natur",
            body=[factories.paragraph("Konserter, museer og signaturretter.")],
        )
    )
    return {"hemnes": hemnes, "schools": schools, "culture": culture}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Barneskolene på Ytteren", "skole"),
        ("grunnskole", "skole"),
        ("kommunebarnehagen", "barnehage"),
        ("fjellturer og skiløypa", "tur loype"),
        ("lærerstilling", "stilling"),
        ("skolebibliotek", "bibliotek"),
        # Not compounds of a head: a word on its own, fewer than three letters before
        # the head, a word that only ends like one, a head that is not on the list.
        ("skole barnehage tur", ""),
        ("retur", ""),
        ("kulturen, naturen, forestillingen, kunstutstilling", ""),
        ("barnehage", ""),
    ],
)
def test_the_heads_of_compound_words(text, found):
    assert heads(text) == found


def test_a_head_word_finds_its_compounds(compounds):
    found = titles("skole")
    assert {"Ytteren skole", "Korgen sentralskole", "Oppvekst i regionen"} <= set(found)
    assert "Lurøy barnehage" in titles("barnehage")


def test_a_word_on_its_own_ranks_above_its_compounds(compounds):
    found = titles("skole")
    assert found.index("Ytteren skole") < found.index("Korgen sentralskole")
    # A compound in the title ranks above one in the text only.
    assert found.index("Korgen sentralskole") < found.index("Oppvekst i regionen")


def test_hage_does_not_find_kindergartens(compounds):
    assert titles("hage") == []


def test_words_that_only_end_like_a_head_are_not_split(compounds):
    assert "Kultur og natur" not in titles("tur")
    assert "Fjelltur til Svartisen" in titles("tur")


def test_an_inflected_head_finds_compounds_on_postgresql_only(compounds):
    """On PostgreSQL "skoler" is stemmed to the stem of "skole"; SQLite does not stem."""
    assert ("Korgen sentralskole" in titles("skoler")) is on_postgres()


def test_english_rows_are_not_split(compounds):
    """Only Norwegian rows are split: an English page that quotes a Norwegian compound is
    not found by its head."""
    english = translate(compounds["schools"])  # the text stays Norwegian, marked "EN: "
    assert "Oppvekst i regionen" in titles("skole", "nb")
    assert english.title not in titles("skole", "en")
    assert english.title in titles("Grunnskolene", "en")
