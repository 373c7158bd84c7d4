"""A small bilingual region to search in: two municipalities with entries, and an article."""

from django.db import connection

import pytest

from region_pages.blocks.choices import SchoolLevel
from tests import factories
from tests.conftest import publish, shared_for_the_module, translate
from tests.regions import municipality

ENGLISH = {
    "Ranaregionen": "Ranaregionen",
    "Fire kommuner på Helgeland.": "Four municipalities in Helgeland.",
    "Rana": "Rana",
    "Lurøy": "Lurøy",
    "Industribyen ved polarsirkelen.": "The industrial town at the Arctic Circle.",
    "Øykommune på Helgelandskysten.": "Island municipality on the Helgeland coast.",
    "Rana er en industrikommune ved Ranfjorden.": (
        "Rana is an industrial municipality on the Ranfjord."
    ),
    "Ytteren skole": "Ytteren school",
    "Barneskole på Ytteren.": "Primary school at Ytteren.",
    "Fjelltur til Svartisen": "Mountain hike to Svartisen",
    "En fin tur på breen.": "A fine walk on the glacier.",
    "Lurøy barnehage": "Lurøy kindergarten",
    "Barnehage for barn fra ett år.": "Kindergarten for children from one year.",
    "Padling ved Lovund": "Paddling at Lovund",
    "Kajakk langs kysten.": "Kayaking along the coast.",
    "Ledige stillinger": "Job vacancies",
    "Se ledige stillinger i kommunene.": "See the job vacancies in the municipalities.",
}


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def region(home):
    return build_region(home)


def build_region(home):
    """Rana and Lurøy with a school, a kindergarten and leisure activities, and an article;
    all published in Norwegian and translated to English."""
    rana = municipality(
        home,
        "rana",
        administrative_centre="Mo i Rana",
        intro="Industribyen ved polarsirkelen.",
        body=[
            factories.paragraph("Rana er en industrikommune ved Ranfjorden."),
            factories.school(name="Ytteren skole", description="Barneskole på Ytteren."),
            factories.leisure(name="Fjelltur til Svartisen", description="En fin tur på breen."),
        ],
    )
    luroy = municipality(
        home,
        "luroy",
        administrative_centre="Lurøy",
        intro="Øykommune på Helgelandskysten.",
        body=[
            factories.school(
                name="Lurøy barnehage",
                level=SchoolLevel.KINDERGARTEN,
                description="Barnehage for barn fra ett år.",
                address="",
            ),
            factories.leisure(
                name="Padling ved Lovund", description="Kajakk langs kysten.", place_name="Lovund"
            ),
        ],
    )
    vacancies = publish(
        factories.ArticlePageFactory(
            parent=home,
            title="Ledige stillinger",
            slug="ledige-stillinger",
            intro="",
            body=[factories.paragraph("Se ledige stillinger i kommunene.")],
        )
    )
    pages = {"home": home, "rana": rana, "luroy": luroy, "vacancies": vacancies}
    english = {key: translate(page, texts=ENGLISH) for key, page in pages.items()}
    return {"nb": pages, "en": english}


def shared_region():
    """The fixtures of a module whose tests all search `region` (built once for them)."""
    return shared_for_the_module(build_region, home_of=lambda region: region["nb"]["home"])
