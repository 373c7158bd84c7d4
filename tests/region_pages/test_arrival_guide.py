"""The arrival guide: the ordered steps of moving here, with who needs each, when, the
official link and notes for single municipalities; linked from the municipality pages and
the menu, in both languages, in search and in the partner API."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from region_pages.blocks import ArrivalStepBlock
from region_pages.models import ArrivalGuidePage
from search import query
from tests.conftest import publish, translate
from tests.regions import municipality

ENGLISH = {
    "Velg fastlege": "Choose a GP",
    "Velg lege på helsenorge.no.": "Choose your doctor on helsenorge.no.",
    "Så snart du har flyttet": "As soon as you have moved",
    "Fastlegen (helsenorge.no)": "Your GP (helsenorge.no)",
    "Registrer deg hos politiet": "Register with the police",
    "Finn et sted å bo": "Find a place to live",
    "Boliger til leie finner du på finn.no.": "Homes to rent are on finn.no.",
    "Spør Servicetorget om kommunale boliger.": "Ask the service desk about municipal housing.",
    "flytte-hit": "moving-here",
}


def step(title, what_to_do, audience="everyone", timing="", notes=()):
    return {
        "type": "step",
        "id": str(uuid.uuid4()),
        "value": {
            "title": title,
            "what_to_do": what_to_do,
            "audience": audience,
            "timing": timing,
            "link_text": f"{title} (offisiell side)",
            "url": "https://www.helsenorge.no/fastlegen/",
            "municipality_notes": [
                {"type": "item", "id": str(uuid.uuid4()), "value": {"municipality": n, "note": t}}
                for n, t in notes
            ],
        },
    }


@pytest.fixture
def guide(home):
    """A guide of three steps (one for EU/EEA citizens, one with a note for Rana) and Rana,
    in both languages; the English guide has English addresses."""
    rana = municipality(home, "rana")
    page = ArrivalGuidePage(
        title="Flytte hit",
        slug="flytte-hit",
        show_in_menus=True,
        intro="Stegene når du flytter hit.",
        body=[
            step("Velg fastlege", "Velg lege på helsenorge.no.", timing="Så snart du har flyttet"),
            step("Registrer deg hos politiet", "Skal du bo her over tre måneder.", "eu_eea"),
            step(
                "Finn et sted å bo",
                "Boliger til leie finner du på finn.no.",
                notes=[("1833", "Spør Servicetorget om kommunale boliger.")],
            ),
        ],
    )
    home.add_child(instance=page)
    publish(page)
    english = {"home": translate(home), "rana": translate(rana)}
    english["guide"] = translate(page, texts=ENGLISH)
    return {"nb": page, "rana": rana, **english}


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_steps_are_a_plain_ordered_list_with_who_when_and_the_official_link(client, guide):
    html = html_of(client, "/en/moving-here/")
    steps = re.findall(r'<li class="arrival-step"[^>]*>(.*?)</li>', html, re.S)
    assert [re.search(r"<h2[^>]*>(.*?)</h2>", s).group(1) for s in steps] == [
        "Choose a GP",
        "Register with the police",
        "Find a place to live",
    ]
    assert "Everyone" in steps[0]
    assert "As soon as you have moved" in steps[0]
    assert 'href="https://www.helsenorge.no/fastlegen/"' in steps[0]
    assert "Citizens of EU/EEA countries" in steps[1]
    assert "<dt>Rana</dt><dd>Ask the service desk about municipal housing.</dd>" in steps[2]
    # Works without JavaScript: no form controls, no cookie; the script adds the boxes.
    assert "<input" not in "".join(steps)
    assert 'data-arrival-guide="' in html
    assert "Set-Cookie" not in client.get("/en/moving-here/").headers


def test_every_municipality_page_and_the_menu_lead_to_the_guide(client, guide):
    for language, url, guide_url in (
        ("nb", "/nb/rana/", "/nb/flytte-hit/"),
        ("en", "/en/rana/", "/en/moving-here/"),
    ):
        html = html_of(client, url)
        contact = re.search(r'aria-labelledby="contact-heading".*?</section>', html, re.S).group(0)
        assert f'<a href="{guide_url}">' in contact, language
        nav = re.search(r'<nav class="site-nav.*?</nav>', html, re.S).group(0)
        assert f'href="{guide_url}"' in nav, language


def test_the_api_serves_the_steps_typed(client, guide):
    listing = client.get("/api/v1/pages?type=arrival_guide&lang=en").json()
    assert [item["id"] for item in listing["items"]] == [guide["guide"].pk]
    body = client.get(f"/api/v1/pages/{guide['guide'].pk}").json()["body"]
    assert [block["type"] for block in body] == ["step", "step", "step"]
    assert body[0]["value"] == {
        "title": "Choose a GP",
        "what_to_do": "Choose your doctor on helsenorge.no.",
        "audience": "everyone",
        "audience_label": "Everyone",
        "timing": "As soon as you have moved",
        "link": {
            "text": "EN: Velg fastlege (offisiell side)",
            "url": "https://www.helsenorge.no/fastlegen/",
        },
        "municipality_notes": [],
    }
    assert body[1]["value"]["timing"] is None
    assert body[2]["value"]["municipality_notes"] == [
        {"municipality": "1833", "note": "Ask the service desk about municipal housing."}
    ]
    # The steps keep their ids in both languages, as the entries do.
    norwegian = client.get(f"/api/v1/pages/{guide['nb'].pk}").json()["body"]
    assert [b["id"] for b in norwegian] == [b["id"] for b in body]


@pytest.mark.parametrize(
    ("language", "words", "expected"),
    [
        ("nb", "fastlege", "/nb/flytte-hit/"),
        ("en", "GP", "/en/moving-here/"),
        ("en", "housing", "/en/moving-here/"),
    ],
)
def test_search_finds_the_guide(guide, language, words, expected):
    with translation.override(language):
        urls = [hit.url for hit in query.search(words, language).hits]
    assert expected in urls


def test_a_step_needs_its_official_link_and_a_known_municipality():
    block = ArrivalStepBlock()
    value = step("Velg fastlege", "Velg lege.", notes=[("9999", "Ukjent kommune.")])["value"]
    value["url"] = ""
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        block.clean(block.to_python(value))
    errors = refused.value.block_errors
    assert "url" in errors
    assert "municipality_notes" in errors
