"""Rows of the register tables, as a sync would have stored them, and blocks that rest on
them (raw StreamField values, as the page editor saves them)."""

import uuid

from django.utils import timezone

import factory

from region_pages.blocks.choices import Sector
from sources.models import RegisterUnit, UnitKind, Workplace


class RegisterUnitFactory(factory.django.DjangoModelFactory):
    org_number = factory.Sequence(lambda n: f"{999100000 + n}")
    kind = UnitKind.SCHOOL
    name = factory.Sequence(lambda n: f"Eksempel skole {n}")
    municipality_number = "1833"
    level_from = 1
    level_to = 7
    is_primary = True
    pupils = 250
    employees = 40
    address = "Eksempelveien 1, 8600 Mo i Rana"
    latitude = 66.31
    longitude = 14.14
    website = "https://www.example.no/eksempel-skole"
    synced_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = RegisterUnit


class KindergartenFactory(RegisterUnitFactory):
    kind = UnitKind.KINDERGARTEN
    name = factory.Sequence(lambda n: f"Eksempel barnehage {n}")
    level_from = 1
    level_to = 5
    is_primary = False
    pupils = 60


class WorkplaceFactory(factory.django.DjangoModelFactory):
    org_number = factory.Sequence(lambda n: f"{999200000 + n}")
    name = factory.Sequence(lambda n: f"EKSEMPEL BEDRIFT {n} AS")
    municipality_number = "1833"
    industry_code = "24.100"
    industry_label = "Produksjon av jern og stål"
    sector = Sector.INDUSTRY
    address = "Eksempelveien 1, 8622 Mo i Rana"
    employees = 250
    website = "https://www.example.no/eksempel-bedrift"
    synced_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Workplace


def register_school(unit, **overrides):
    """A school block that chose `unit` and overrides nothing unless told."""
    value = {
        "unit": unit if isinstance(unit, str) else unit.pk,
        "name": "",
        "level": "",
        "pupils": None,
        "description": "",
        "address": "",
        "coordinates": {"latitude": None, "longitude": None},
        "website": "",
        "org_number": "",
    }
    value.update(overrides)
    return {"type": "school", "value": value, "id": str(uuid.uuid4())}


def register_industry(*workplaces, sector=Sector.INDUSTRY, figures=False, **extra):
    """An industry block whose key employers are chosen from the register."""
    value = {
        "sector": sector,
        "heading": "",
        "description": "Prosessindustri i Mo Industripark.",
        "employers": [
            {
                "type": "item",
                "value": {
                    "workplace": place if isinstance(place, str) else place.pk,
                    "name": "",
                    "url": "",
                    "org_number": "",
                },
                "id": str(uuid.uuid4()),
            }
            for place in workplaces
        ],
        "register_figures": figures,
        "figures": [],
    }
    value.update(extra)
    return {"type": "industry", "value": value, "id": str(uuid.uuid4())}
