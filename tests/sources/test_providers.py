"""`sources` is what gives the base app's register blocks their sources, choosers and
figures (`region_pages.registers`)."""

from region_pages import registers
from region_pages.blocks.industry import WorkplaceChooserBlock
from region_pages.blocks.registers import RegisterUnitChooserBlock, source_reference
from sources.choosers import unit_chooser_viewset, workplace_chooser_viewset
from sources.providers import Registers
from sources.registry import source_class


def test_sources_registers_the_provider_the_blocks_use():
    assert isinstance(registers.provider(), Registers)
    brreg = source_class("brreg")
    assert source_reference("brreg") == {
        "source": "brreg",
        "publisher": brreg.publisher,
        "licence": str(brreg.licence.name),
        "licence_url": brreg.licence.url,
    }
    unit_widget = RegisterUnitChooserBlock().widget
    assert isinstance(unit_widget, unit_chooser_viewset.widget_class)
    assert isinstance(WorkplaceChooserBlock().widget, workplace_chooser_viewset.widget_class)
