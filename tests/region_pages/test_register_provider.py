"""The register blocks ask whichever provider is registered (`region_pages.registers`);
without one they say which app to install instead of showing pages without their facts."""

from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured

import pytest

from region_pages import registers
from region_pages.blocks import IndustryBlock
from region_pages.blocks.industry import register_figures
from region_pages.blocks.registers import RegisterUnitChooserBlock, source_reference
from tests.sources.factories import register_industry


@pytest.fixture
def no_provider(monkeypatch):
    monkeypatch.setattr(registers, "_provider", None)


def test_without_a_provider_the_blocks_name_the_app_that_provides_it(no_provider):
    with pytest.raises(ImproperlyConfigured, match="'sources'"):
        source_reference("brreg")
    with pytest.raises(ImproperlyConfigured, match="'sources'"):
        RegisterUnitChooserBlock().widget  # noqa: B018
    value = IndustryBlock().to_python(register_industry(figures=True)["value"])
    page = SimpleNamespace(municipality_number="1833")
    with pytest.raises(ImproperlyConfigured, match="'sources'"):
        register_figures(value, {"page": page})


def test_the_blocks_ask_whichever_provider_is_registered(monkeypatch):
    class Figure:
        workplaces = 3
        employees = 40

    class StandIn:
        def source_reference(self, name: str) -> dict:
            return {"source": name}

        def chooser_widget(self, viewset_name: str):
            return viewset_name

        def figures_for(self, municipality_number: str, sector: str) -> Figure:
            return Figure()

    monkeypatch.setattr(registers, "_provider", None)
    registers.register_provider(StandIn())
    assert source_reference("nsr") == {"source": "nsr"}
    assert RegisterUnitChooserBlock().widget == "unit_chooser_viewset"
    value = IndustryBlock().to_python(register_industry(figures=True)["value"])
    page = SimpleNamespace(municipality_number="1833")
    assert register_figures(value, {"page": page}) == {
        "municipality_number": "1833",
        "workplaces": 3,
        "employees": 40,
    }
