"""What readers see of the imported data: vacancies on municipality pages and the work
theme page (filterable, linked to the original ads), sector figures, the population chart
and table on the home page, with source, licence and the sample-data label."""

import re

import pytest

from region_pages import versions
from region_pages.models import Theme
from sources.models import SourceState, Vacancy
from sources.pipeline import run_source

from ..conftest import publish, translate
from ..factories import ThemePageFactory
from ..regions import municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(home, recorded):
    pages = {
        page.municipality_number: page
        for page in (municipality(home, slug) for slug in ("rana", "hemnes", "luroy"))
    }
    publish(ThemePageFactory(parent=home, theme=Theme.WORK, title="Arbeid", slug="arbeid"))
    for name in ("nav", "ssb-population", "brreg"):
        # As `sync_sources --offline` does: the recorded payloads are sample data.
        run_source(name, sample=True)
    return pages


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_municipality_page_shows_its_newest_vacancies_linked_to_the_ads(client, region):
    response = client.get("/nb/rana/")
    body = text(response)
    vacancy = Vacancy.objects.get(municipality_number="1833")
    assert f'href="{vacancy.url}"' in body
    assert vacancy.title in body
    assert "Mo i Rana" in body
    others = Vacancy.objects.exclude(municipality_number="1833")
    assert all(other.title not in body for other in others)
    assert "Ledige stillinger fra NAVs stillingsfeed" in body
    assert "/nb/arbeid/?kommune=1833" in body


def test_on_english_pages_the_ads_say_they_are_in_norwegian(client, region):
    """NAV's ads are in Norwegian: on the English page the title is marked lang="nb" and
    says so, and NAV's "Snarest" reads as English."""
    translate(region["1833"])
    vacancy = Vacancy.objects.get(municipality_number="1833")
    assert vacancy.application_due == "Snarest"
    english = text(client.get("/en/rana/"))
    assert (
        f'<a href="{vacancy.url}"><span lang="nb">{vacancy.title}</span> (in Norwegian)</a>'
    ) in english
    assert "Deadline: As soon as possible" in english
    assert "Snarest" not in english
    norwegian = text(client.get("/nb/rana/"))
    assert f'<a href="{vacancy.url}">{vacancy.title}</a>' in norwegian
    assert "Søknadsfrist: Snarest" in norwegian


def test_the_work_page_lists_every_vacancy_and_filters_them(client, region):
    body = text(client.get("/nb/arbeid/"))
    assert all(v.title in body for v in Vacancy.objects.all())
    filtered = text(client.get("/nb/arbeid/?kommune=1834&sektor=private"))
    assert "Fagarbeider havbruk" in filtered
    assert "Sykepleier til medisinsk avdeling" not in filtered
    assert 'option value="1834" selected' in filtered
    # Unknown filter values are ignored, not an error.
    assert client.get("/nb/arbeid/?kommune=0301&frist=x").status_code == 200


def test_the_work_page_shows_sector_figures_from_the_register(client, region):
    body = text(client.get("/nb/arbeid/"))
    assert "Arbeidsplasser og ansatte per bransje" in body
    # Rana: a steelworks (250 employees); Hemnes: a sawmill (12).
    assert "<td>1 (250)</td><td>1 (12)</td>" in body
    assert "NLOD 2.0" in body


def test_the_home_page_charts_the_population_with_a_table(client, region):
    body = text(client.get("/nb/"))
    assert body.count('role="img"') == 5  # four municipalities and the region
    assert '<title id="population-1833-title">' in body
    assert 'aria-labelledby="population-1833-title population-1833-desc"' in body
    assert '<caption id="population-table-caption">Folketall 1. januar</caption>' in body
    # A table wider than a phone scrolls in a region the keyboard can reach, named by it.
    assert (
        '<div class="table-scroll" tabindex="0" role="region"'
        ' aria-labelledby="population-table-caption">'
    ) in body
    assert "<td>26 200</td>" in body  # a no-break space, collapsed by text()
    assert "CC BY 4.0" in body
    assert "style=" not in body.split('class="population"')[1].split("</section>")[0]


def test_sample_data_is_labelled_as_such(client, region):
    assert "Eksempeldata" in text(client.get("/nb/rana/"))
    # What the next sync from the live services does: the state changes, the cache moves on.
    SourceState.objects.update(sample=False)
    versions.bump()
    assert "Eksempeldata" not in text(client.get("/nb/rana/"))


def test_the_population_from_ssb_is_credited_on_the_municipality_page(client, region):
    body = text(client.get("/nb/rana/"))
    assert "Folketall: Folketall fra Statistisk sentralbyrå (SSB), tabell 07459." in body


def test_english_pages_credit_the_sources_in_english(client, region):
    from ..conftest import translate

    translate(region["1833"])
    body = text(client.get("/en/rana/"))
    assert "Job vacancies from NAV&#x27;s job feed (arbeidsplassen.no)." in body
    assert "Licence: NAV&#x27;s terms of use." in body
    assert "Sample data: these are invented examples" in body


def test_municipality_page_query_budget_holds(client, region, django_assert_max_num_queries):
    client.get("/nb/rana/")
    with django_assert_max_num_queries(16):
        client.get("/nb/rana/")
