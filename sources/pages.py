"""The pages that show imported data, and keeping them in step when a sync changes it.

Pages show imported data in two ways:

- inside blocks: a school block resting on a register unit, an industry block's key
  employers from Enhetsregisteret and its sector figures. Those facts are rendered with
  the page, served by the API and copied into the read model of entries. When a sync
  changes them, the publishing pipeline runs for those pages (`pages_refreshed`): their
  entries are rebuilt, the change feed announces them, the search index takes them in,
  the content version moves on and the CDN is purged;
- beside blocks: the vacancies of a municipality page and of the work page, the work
  page's sector table, the home page's population chart. Those are read when the page
  is rendered, so only the CDN needs purging.

Everything runs in the sync's transaction; the CDN is purged after it commits. The
editor's own values are never touched: the blocks hold them, the register tables hold
the register's facts, and the page merges the two when it is shown.
"""

from dataclasses import dataclass, field

from region_pages import cdn
from region_pages.models import HomePage, MunicipalityPage, Theme, ThemePage

from .cache import cached
from .signals import pages_refreshed


@dataclass
class References:
    """What one page's blocks take from the registers."""

    units: set[str] = field(default_factory=set)
    workplaces: set[str] = field(default_factory=set)
    # Sectors whose figures (workplaces and employees) the page shows from the register.
    figure_sectors: set[str] = field(default_factory=set)


def _items(value) -> list[dict]:
    """The items of a raw ListBlock value, in either of its stored formats."""
    items = []
    for item in value or []:
        if isinstance(item, dict) and "type" in item and "value" in item:
            item = item["value"]
        if isinstance(item, dict):
            items.append(item)
    return items


def references(page: MunicipalityPage) -> References:
    """Read from the page's stored body, without converting its blocks (no queries)."""
    found = References()
    for child in page.body.raw_data:
        value = child.get("value") or {}
        if not isinstance(value, dict):
            continue
        if child.get("type") == "school" and value.get("unit"):
            found.units.add(str(value["unit"]))
        elif child.get("type") == "industry":
            for employer in _items(value.get("employers")):
                if employer.get("workplace"):
                    found.workplaces.add(str(employer["workplace"]))
            if value.get("register_figures") and value.get("sector"):
                found.figure_sectors.add(value["sector"])
    return found


def pages_showing(*, units=(), workplaces=(), figures=()) -> list[MunicipalityPage]:
    """The live municipality pages (every language) whose blocks show one of `units` or
    `workplaces`, or the figures of one of `figures` ((municipality number, sector))."""
    units, workplaces, figures = set(units), set(workplaces), set(figures)
    if not (units or workplaces or figures):
        return []
    found = []
    for page in MunicipalityPage.objects.live().order_by("pk"):
        refs = references(page)
        shown = {(page.municipality_number, sector) for sector in refs.figure_sectors}
        if refs.units & units or refs.workplaces & workplaces or shown & figures:
            found.append(page)
    return found


def refresh(pages: list[MunicipalityPage]) -> int:
    """Rebuild what is derived from `pages`' blocks now that the register facts changed:
    the publishing pipeline runs for them (`publishing.pipeline`, a refresh)."""
    if not pages:
        return 0
    pages_refreshed.send(sender=MunicipalityPage, pages=pages)
    return len(pages)


def purge_municipalities(numbers) -> int:
    """Purge the municipality pages of `numbers` and the work page: for what they read
    when rendered (vacancies)."""
    pages = list(MunicipalityPage.objects.live().filter(municipality_number__in=set(numbers)))
    cdn.purge_pages_after_commit([*pages, *ThemePage.objects.live().filter(theme=Theme.WORK)])
    return len(pages)


def work_page_url(home_path: str) -> str:
    """The address of the work page below the home page at `home_path` (a language's
    home page of a region: the pages below it are in its language); "" when there is
    none. Kept under the content version."""

    def build():
        found = (
            ThemePage.objects.live()
            .public()
            .filter(theme=Theme.WORK, path__startswith=home_path)
            .first()
        )
        return found.url if found else ""

    return cached(f"work-page:{home_path}", build)


def purge_work_page() -> None:
    """The work page's table of workplaces and employees by sector."""
    cdn.purge_pages_after_commit(list(ThemePage.objects.live().filter(theme=Theme.WORK)))


def purge_home_pages() -> None:
    """The home page's population chart and table."""
    cdn.purge_pages_after_commit(list(HomePage.objects.live()))


def pages_showing_closed() -> list[tuple[MunicipalityPage, list[str]]]:
    """Live pages whose blocks rest on a unit or workplace the register has closed, with
    the names of those units: the officer should choose another or clear the choice."""
    from .models import RegisterUnit, Workplace

    live = MunicipalityPage.objects.live().select_related("locale").order_by("pk")
    pages = [(page, references(page)) for page in live]
    units = set().union(*(refs.units for _page, refs in pages))
    workplaces = set().union(*(refs.workplaces for _page, refs in pages))
    closed = {
        **dict(
            RegisterUnit.objects.filter(pk__in=units, is_active=False).values_list("pk", "name")
        ),
        **dict(
            Workplace.objects.filter(pk__in=workplaces, is_active=False).values_list("pk", "name")
        ),
    }
    found = []
    for page, refs in pages:
        names = sorted(closed[key] for key in (refs.units | refs.workplaces) if key in closed)
        if names:
            found.append((page, names))
    return found
