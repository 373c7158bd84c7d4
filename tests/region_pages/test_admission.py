"""Schools and kindergartens with admission: a municipality's Schools section lists every
unit the registers know, and admission blocks say how to apply, by when, at what price and
whom to ask; in both languages and in the partner API."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from region_pages.blocks import AdmissionBlock
from search import query
from sources.models import RegisterUnit, UnitKind
from tests.conftest import translate
from tests.factories import ContactFactory
from tests.regions import municipality


def admission(contact=None, **value):
    return {
        "type": "admission",
        "id": str(uuid.uuid4()),
        "value": {
            "kind": "kindergarten",
            "how_to_apply": "Søk på kommunens nettsted med BankID.",
            "application_url": "https://www.hemnes.kommune.no/barnehage/",
            "deadline": "2027-03-01",
            "deadline_note": "Kommunen setter fristen.",
            "fees": [
                {
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "label": "Heltidsplass",
                        "amount": 1500,
                        "period": "month",
                        "year": 2027,
                    },
                }
            ],
            "contact": contact.pk if contact else None,
            **value,
        },
    }


@pytest.fixture
def hemnes(home):
    office = ContactFactory(name="Barnehagekontoret", role="Opptak i barnehage")
    for number, kind, name, private, levels in (
        ("999000102", UnitKind.KINDERGARTEN, "Korgen barnehage", True, (1, 5)),
        ("999000101", UnitKind.SCHOOL, "Korgen skole", False, (1, 10)),
        ("999000103", UnitKind.SCHOOL, "Nedlagt skole", False, (1, 7)),
    ):
        RegisterUnit.objects.create(
            org_number=number,
            kind=kind,
            name=name,
            municipality_number="1832",
            is_private=private,
            level_from=levels[0],
            level_to=levels[1],
            address="Eksempelveien 1, 8646 Korgen",
            website=f"https://www.example.no/{number}",
            is_active=name != "Nedlagt skole",
        )
    page = municipality(home, "hemnes", body=[admission(office)])
    translate(home)
    translate(office, texts={"Barnehagekontoret": "Kindergarten office"})
    english = translate(
        page,
        texts={
            "Søk på kommunens nettsted med BankID.": (
                "Apply on the municipality's website with BankID."
            ),
            "Heltidsplass": "Full-time place",
        },
    )
    return {"nb": page, "en": english, "office": office}


def section(client, url, heading_id="schools-heading") -> str:
    html = client.get(url).content.decode()
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>\s*</section>', html, re.S
    )
    assert match, heading_id
    return match.group(0)


def test_the_schools_section_lists_every_active_unit_of_the_registers(client, hemnes):
    schools = section(client, "/en/hemnes/")
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", schools, re.S)
    assert len(rows) == 2  # the closed school is left out
    kindergarten, school = rows
    assert (
        "Korgen barnehage" in kindergarten and "Private" in kindergarten and "1–5" in kindergarten
    )
    assert "Korgen skole" in school and "Public" in school and "1–10" in school
    assert 'href="https://www.example.no/999000101"' in school
    assert "Eksempelveien 1, 8646 Korgen" in school
    assert "Nedlagt skole" not in schools
    assert "Kindergarten Register" in schools and "National School Register" in schools


def test_the_admission_block_says_how_when_what_it_costs_and_whom_to_ask(client, hemnes):
    english = section(client, "/en/hemnes/")
    assert "Admission: A kindergarten place" in english
    assert "Apply on the municipality's website with BankID." in english.replace("&#x27;", "'")
    assert '<time datetime="2027-03-01">' in english
    assert "Full-time place (2027)" in english
    assert "NOK 1,500 per month" in english
    assert (
        'href="https://www.hemnes.kommune.no/barnehage/">Apply for a kindergarten place</a>'
        in english
    )
    assert "Kindergarten office" in english

    norwegian = section(client, "/nb/hemnes/")
    assert "Opptak: Barnehageplass" in norwegian
    assert "1\xa0500 kroner per måned" in norwegian
    assert "Barnehagekontoret" in norwegian


def test_the_api_serves_the_admission_typed(client, hemnes):
    body = client.get(f"/api/v1/pages/{hemnes['en'].pk}").json()["body"]
    (block,) = [b for b in body if b["type"] == "admission"]
    value = block["value"]
    assert value["deadline"] == "2027-03-01"
    assert value["fees"] == [
        {
            "label": "Full-time place",
            "amount": 1500,
            "currency": "NOK",
            "period": "month",
            "year": 2027,
        }
    ]
    assert value["contact"]["name"] == "Kindergarten office"
    assert value["kind_label"] == "A kindergarten place"


def test_fees_of_different_years_are_refused_in_norwegian():
    block = AdmissionBlock()
    raw = admission()["value"]
    raw["fees"].append(
        {
            "type": "item",
            "id": str(uuid.uuid4()),
            "value": {"label": "Mat", "amount": 300, "period": "month", "year": 2026},
        }
    )
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            block.clean(block.to_python(raw))
        assert "samme år" in str(refused.value.block_errors["fees"])


def test_a_municipality_without_units_or_admission_still_has_the_section(client, home):
    municipality(home, "nesna")
    html = client.get("/nb/nesna/").content.decode()
    assert 'id="schools-heading"' in html
    assert "Registrene har ingen barnehager eller skoler i Nesna ennå." in html


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "kindergarten application"), ("nb", "barnehage søknad"), ("en", "admission")],
)
def test_search_finds_how_to_apply(hemnes, language, words):
    with translation.override(language):
        urls = [hit.url for hit in query.search(words, language).hits]
    assert hemnes[language].url in urls
