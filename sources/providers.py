"""The registers as `region_pages` needs them (`region_pages.registers.RegisterProvider`).

The base app may not import this one, so `SourcesConfig.ready()` registers `Registers`
with it.
"""

from django.forms import Widget

from .figures import SectorFigure, figures_for
from .models import FactProvenance
from .registry import source_class


class Registers:
    def source_reference(self, name: str) -> dict:
        source = source_class(name)
        return {
            "source": name,
            "publisher": source.publisher,
            "licence": str(source.licence.name),
            "licence_url": source.licence.url,
        }

    def chooser_widget(self, viewset_name: str) -> Widget:
        # Imported here: the chooser views load with the admin, not when the app is ready.
        from . import choosers

        return getattr(choosers, viewset_name).widget_class()

    def figures_for(self, municipality_number: str, sector: str) -> SectorFigure | None:
        return figures_for(municipality_number, sector)

    def fact_sources(self, page_ids) -> dict[int, dict[str, tuple[str, object]]]:
        found: dict[int, dict[str, tuple[str, object]]] = {}
        for row in FactProvenance.objects.filter(page_id__in=list(page_ids)):
            found.setdefault(row.page_id, {})[row.field] = (row.source, row.value)
        return found
