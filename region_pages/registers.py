"""What the register blocks need from the app that imports the official registers.

`region_pages` is the base app and imports no other project app, yet its school and
industry blocks credit a register's source, choose rows with the register's chooser and
show its figures. They ask the provider here; `sources` (the open data pipeline) registers
its implementation in `SourcesConfig.ready()`. Tables are named by label in the blocks
(`target_model`), so the models need nothing here.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.forms import Widget


class SectorFigure(Protocol):
    """The register's count of workplaces and employees in a sector and municipality."""

    @property
    def workplaces(self) -> int: ...

    @property
    def employees(self) -> int: ...


class RegisterProvider(Protocol):
    def source_reference(self, name: str) -> dict:
        """The source called `name` (its `source_name` on a register row) as the API credits
        it: {"source", "publisher", "licence", "licence_url"}."""
        ...

    def chooser_widget(self, viewset_name: str) -> Widget:
        """A new widget of the chooser viewset called `viewset_name`, for a block's form."""
        ...

    def figures_for(self, municipality_number: str, sector: str) -> SectorFigure | None:
        """The figure of one sector in one municipality; None without any register data."""
        ...

    def fact_sources(self, page_ids) -> dict[int, dict[str, tuple[str, object]]]:
        """What the pipeline wrote into pages' fact fields: {page id: {field: (source name,
        value written)}}, in one query. A value the editor changed since is theirs."""
        ...


_provider: RegisterProvider | None = None


def register_provider(provider: RegisterProvider) -> None:
    """Called once by the providing app when it is ready; a later call replaces it."""
    global _provider
    _provider = provider


def provider() -> RegisterProvider:
    """The registered provider. Without one, say which app to install rather than show
    pages without their register facts."""
    if _provider is None:
        raise ImproperlyConfigured(
            "No register provider is registered: the school and industry blocks need the "
            "'sources' app, which registers one in SourcesConfig.ready(). Add 'sources' to "
            "INSTALLED_APPS."
        )
    return _provider
