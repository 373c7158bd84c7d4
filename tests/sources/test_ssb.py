"""SSB table 07459 (JSON-stat 2.0): population figures, and the municipality pages'
population filled in only where the editor has not written one."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.adapters.ssb import Dataset, cells
from sources.models import FactProvenance, PopulationFigure, RunStatus
from sources.pipeline import run_source
from sources.recorded import FIXTURES, Reply, json_reply

from ..conftest import publish
from ..factories import MunicipalityPageFactory

pytestmark = pytest.mark.django_db

RECORDED = json.loads((FIXTURES / "ssb" / "07459_jsonstat2.synthetic.json").read_text())


def test_the_figures_are_read_from_json_stat(recorded):
    run = run_source("ssb-population")
    assert run.status == RunStatus.SUCCEEDED
    figures = {
        (f.municipality_number, f.year): f.population for f in PopulationFigure.objects.all()
    }
    assert len(figures) == 12
    # Row-major order over Region, ContentsCode, Tid: Hemnes is the second region.
    assert figures[("1832", 2024)] == RECORDED["value"][3]
    assert figures[("1828", 2026)] == RECORDED["value"][11]
    request = recorded.requests_to("/tables/07459/data")[0]
    assert request.query["valueCodes[Region]"] == ["1833,1832,1834,1828"]
    assert request.query["valueCodes[Tid]"] == ["top(10)"]


def test_an_empty_population_is_filled_in_and_its_provenance_recorded(recorded, home):
    page = MunicipalityPageFactory(parent=home, municipality_number="1832", title="Hemnes")
    publish(page)
    run_source("ssb-population")
    page.refresh_from_db()
    assert (page.population, page.population_year) == (4420, 2026)
    assert not page.has_unpublished_changes
    provenance = FactProvenance.objects.get(page=page, field="population")
    assert provenance.source == "ssb-population"
    assert provenance.value == [4420, 2026]


def test_an_editors_population_is_never_replaced(recorded, home):
    page = MunicipalityPageFactory(
        parent=home, municipality_number="1833", population=25000, population_year=2020
    )
    publish(page)
    run_source("ssb-population")
    page.refresh_from_db()
    assert (page.population, page.population_year) == (25000, 2020)
    assert not FactProvenance.objects.filter(page=page).exists()


def test_a_value_the_editor_changed_after_the_import_is_kept(recorded, home):
    page = MunicipalityPageFactory(parent=home, municipality_number="1834")
    publish(page)
    run_source("ssb-population")
    page.refresh_from_db()
    page.population, page.population_year = 1900, 2026
    publish(page)
    PopulationFigure.objects.filter(municipality_number="1834", year=2026).update(population=1)
    recorded.add(r"/ssb/.*", lambda request, match: json_reply(RECORDED))  # no 304
    run_source("ssb-population")
    page.refresh_from_db()
    assert page.population == 1900


def test_a_value_the_source_wrote_is_updated_by_the_source(recorded, home):
    page = MunicipalityPageFactory(parent=home, municipality_number="1828")
    publish(page)
    run_source("ssb-population")
    newer = json.loads(json.dumps(RECORDED))
    newer["value"][11] = 1750
    recorded.add(r"/ssb/.*", lambda request, match: json_reply(newer))
    run_source("ssb-population")
    page.refresh_from_db()
    assert page.population == 1750


def test_a_page_with_a_draft_is_left_for_the_editor_to_publish(recorded, home):
    page = MunicipalityPageFactory(parent=home, municipality_number="1833")
    publish(page)
    page.intro = "Et utkast."
    page.save_revision()
    run = run_source("ssb-population")
    page.refresh_from_db()
    assert page.population is None
    assert run.skipped == 1


def test_a_second_run_changes_nothing(recorded, home):
    publish(MunicipalityPageFactory(parent=home, municipality_number="1833"))
    run_source("ssb-population")
    second = run_source("ssb-population")
    assert second.status == RunStatus.UNCHANGED
    assert second.changed == 0


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"class": "collection"}, "not a JSON-stat 2.0 dataset"),
        ({**RECORDED, "value": RECORDED["value"][:5]}, "values where"),
        ({**RECORDED, "size": [4, 1, 4]}, "do not match"),
        ({**RECORDED, "id": "Region"}, "expected shape"),
    ],
    ids=["not-a-dataset", "too-few-values", "wrong-sizes", "wrong-type"],
)
def test_a_malformed_dataset_fails_the_run_and_keeps_the_figures(recorded, document, expected):
    run_source("ssb-population")
    recorded.add(r"/ssb/.*", lambda request, match: json_reply(document))
    run = run_source("ssb-population")
    assert run.status == RunStatus.FAILED
    assert expected in run.errors[0]["en"]
    assert PopulationFigure.objects.count() == 12


def test_a_429_from_ssb_is_waited_out(recorded, settings):
    settings.SOURCES_MAX_RETRY_AFTER = 1
    calls = []

    def limited(request, match):
        calls.append(1)
        if len(calls) == 1:
            return Reply(status=429, headers={"Retry-After": "0"})
        return json_reply(RECORDED)

    recorded.add(r"/ssb/.*", limited)
    assert run_source("ssb-population").status == RunStatus.SUCCEEDED
    assert len(calls) == 2


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=4),
    data=st.data(),
)
def test_cells_walk_json_stat_in_row_major_order(sizes, data):
    ids = [f"d{i}" for i in range(len(sizes))]
    total = 1
    for size in sizes:
        total *= size
    values = data.draw(st.lists(st.integers(0, 10**6), min_size=total, max_size=total))
    dataset = Dataset.model_validate(
        {
            "version": "2.0",
            "id": ids,
            "size": sizes,
            "role": {},
            "dimension": {
                d: {"category": {"index": {f"{d}c{j}": j for j in range(size)}}}
                for d, size in zip(ids, sizes, strict=True)
            },
            "value": values,
        }
    )
    seen = list(cells(dataset))
    assert [value for _where, value in seen] == values
    # The last dimension varies fastest.
    if len(seen) > 1 and sizes[-1] > 1:
        assert seen[0][0][ids[-1]] != seen[1][0][ids[-1]]


def test_the_api_credits_ssb_for_the_population_it_wrote_and_not_for_the_editors(
    client, recorded, home
):
    hemnes = MunicipalityPageFactory(parent=home, municipality_number="1832", title="Hemnes")
    rana = MunicipalityPageFactory(
        parent=home, municipality_number="1833", population=25000, population_year=2020
    )
    publish(hemnes)
    publish(rana)
    run_source("ssb-population")
    facts = client.get("/api/v1/municipalities/1832").json()["facts"]
    assert facts["population"] == 4420
    assert facts["population_source"] == {
        "source": "ssb-population",
        "publisher": "Statistisk sentralbyrå (SSB)",
        "licence": "CC BY 4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert client.get("/api/v1/municipalities/1833").json()["facts"]["population_source"] is None
    # The editor overwrites SSB's figure: the credit goes with it.
    hemnes.refresh_from_db()
    hemnes.population = 4500
    publish(hemnes)
    listed = client.get("/api/v1/municipalities").json()["items"]
    assert [item["facts"]["population_source"] for item in listed] == [None, None]
