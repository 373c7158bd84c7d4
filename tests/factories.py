"""Factories for the region's pages and their blocks."""

import uuid

from wagtail.models import Locale

import factory
import wagtail_factories

from region_pages.blocks.choices import LeisureCategory, SchoolLevel, Season, Sector
from region_pages.models import (
    ArticlePage,
    Contact,
    HomePage,
    MunicipalityPage,
    Theme,
    ThemePage,
)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Ranaregionen"
    slug = "ranaregionen"
    intro = "Fire kommuner på Helgeland."

    class Meta:
        model = HomePage


class MunicipalityPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("city", locale="no_NO")
    slug = factory.Sequence(lambda n: f"kommune-{n}")
    # Never one of the region's numbers (1828, 1832-1834): tests that need one name it,
    # and a generated page must not collide with it however many pages a run creates.
    municipality_number = factory.Sequence(lambda n: f"{9000 + n % 1000:04d}")
    website = "https://www.rana.kommune.no/"
    intro = factory.Faker("sentence", locale="no_NO")

    class Meta:
        model = MunicipalityPage


class ThemePageFactory(wagtail_factories.PageFactory):
    title = "Fritid"
    slug = factory.Sequence(lambda n: f"tema-{n}")
    theme = Theme.LEISURE

    class Meta:
        model = ThemePage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=4, locale="no_NO")
    slug = factory.Sequence(lambda n: f"artikkel-{n}")
    body = factory.LazyFunction(lambda: [paragraph("Praktisk informasjon.")])

    class Meta:
        model = ArticlePage


class ContactFactory(factory.django.DjangoModelFactory):
    """An office with a phone number and a shared mailbox, in Norwegian."""

    name = "Servicetorget"
    role = "Spørsmål om å flytte hit"
    phone = "+4775145000"
    email = "postmottak@rana.kommune.no"
    opening_hours = "Hverdager 08.00–15.30"
    languages = factory.LazyFunction(lambda: ["nb", "en"])
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="nb"))

    class Meta:
        model = Contact


# Raw StreamField values: plain dicts, as the admin's form would save them.


def paragraph(text="Tekst om regionen."):
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}


def industry(sector=Sector.INDUSTRY, description="Prosessindustri i Mo Industripark.", **extra):
    value = {
        "sector": sector,
        "heading": "",
        "description": description,
        "employers": [
            {"name": "Mo Industripark", "url": "https://www.moindustripark.no/", "org_number": ""}
        ],
        "figures": [{"label": "Ansatte", "value": 2345, "year": 2024}],
    }
    value.update(extra)
    return {"type": "industry", "value": value, "id": str(uuid.uuid4())}


def leisure(name="Fjelltur", seasons=(Season.SUMMER,), latitude=66.31, longitude=14.14, **extra):
    value = {
        "name": name,
        "category": LeisureCategory.HIKING,
        "seasons": list(seasons),
        "description": "En fin tur.",
        "place_name": "Mo i Rana",
        "coordinates": {"latitude": latitude, "longitude": longitude},
        "url": "",
    }
    value.update(extra)
    return {"type": "leisure", "value": value, "id": str(uuid.uuid4())}


def school(name="Eksempel skole", level=SchoolLevel.PRIMARY, pupils=120, **extra):
    value = {
        "name": name,
        "level": level,
        "pupils": pupils,
        "description": "",
        "address": "Skoleveien 1, 8600 Mo i Rana",
        "coordinates": {"latitude": 66.31, "longitude": 14.14},
        "website": "https://www.rana.kommune.no/",
        "org_number": "974760673",
    }
    value.update(extra)
    return {"type": "school", "value": value, "id": str(uuid.uuid4())}


def picture(image, alt_text="", decorative=False):
    """A block's picture as Wagtail's image block stores it."""
    return {"image": image.pk, "decorative": decorative, "alt_text": alt_text}


def contact_block(contact):
    return {"type": "contact", "value": contact.pk, "id": str(uuid.uuid4())}
