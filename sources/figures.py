"""Workplaces and employees per sector and municipality, from Enhetsregisteret.

One grouped query gives the whole table; pages read it through the sources cache, so a
page with several industry blocks (and the work page's table) costs one query at most.
Employees are a lower bound: the register leaves out the count below five employees.
"""

from dataclasses import dataclass

from django.db.models import Count, Sum

from .cache import cached
from .models import Workplace


@dataclass(frozen=True)
class SectorFigure:
    workplaces: int
    employees: int


def sector_table() -> dict[tuple[str, str], SectorFigure]:
    """{(municipality number, sector): figure} over the active workplaces."""
    rows = (
        Workplace.objects.filter(is_active=True)
        .exclude(sector="")
        .values("municipality_number", "sector")
        .annotate(workplaces=Count("pk"), employees=Sum("employees"))
        .order_by()
    )
    return {
        (row["municipality_number"], row["sector"]): SectorFigure(
            row["workplaces"], row["employees"] or 0
        )
        for row in rows
    }


def cached_sector_table() -> dict[tuple[str, str], SectorFigure]:
    return cached("sector-table", sector_table)


def figures_for(municipality_number: str, sector: str) -> SectorFigure | None:
    """The figure of one sector in one municipality: none registered counts as zero, but
    without any register data at all (never imported) there is no figure to show."""
    table = cached_sector_table()
    if not table:
        return None
    return table.get((municipality_number, sector), SectorFigure(0, 0))


def changed_figures(before: dict, after: dict) -> set[tuple[str, str]]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
