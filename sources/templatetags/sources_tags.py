"""What the pages show of the imported data, with its source, licence and freshness.

Each tag costs one or two queries whatever the amount of data; the state of the sources
is read once per request.
"""

from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from region_pages import regions
from region_pages.blocks.choices import Sector
from region_pages.municipalities import BY_NUMBER

from .. import commute
from .. import daylight as light
from ..cache import cached
from ..charts import Series, change, line_chart, percent, shared_scale
from ..figures import SectorFigure, cached_sector_table
from ..models import (
    CommuteLink,
    DaylightDay,
    FactProvenance,
    PopulationFigure,
    RegisterUnit,
    SourceState,
    UnitKind,
    Vacancy,
    VacancySector,
)
from ..pages import work_page_url
from ..region import DISPLAY_NAMES, in_region
from ..registry import source_class

register = template.Library()

RECENT_VACANCIES = 5
DEADLINE_CHOICES = ("7", "30")
CHART_YEARS = 10


def _states(context) -> dict[str, SourceState]:
    return cached("states", lambda: {state.source: state for state in SourceState.objects.all()})


def credit(context, name: str) -> dict:
    """Where the data comes from, its licence, when it was updated, and whether it is
    sample data or stale."""
    source = source_class(name)
    state = _states(context).get(name)
    return {
        "credit": source.credit,
        "publisher": source.publisher,
        "licence": source.licence,
        "updated": state.last_success_at if state else None,
        "sample": bool(state and state.sample),
        "sample_note": source.sample_note,
        "stale": state.is_stale if state else False,
    }


def _work_page_url(page) -> str:
    """The work page of `page`'s region (below the same home page), in its language."""
    return work_page_url(page.path[: page.steplen * page.HOME_DEPTH])


@register.inclusion_tag("sources/includes/municipality_vacancies.html", takes_context=True)
def municipality_vacancies(context, page):
    number = page.municipality_number
    vacancies = cached(
        f"vacancies:{number}",
        lambda: list(
            Vacancy.objects.filter(municipality_number=number).order_by("-published_at", "title")[
                :RECENT_VACANCIES
            ]
        ),
    )
    return {
        "page": page,
        "vacancies": vacancies,
        "work_page_url": _work_page_url(page),
        "source": credit(context, "nav"),
    }


@register.inclusion_tag("sources/includes/municipality_units.html", takes_context=True)
def municipality_units(context, page):
    """The municipality's kindergartens and schools as the registers list them: every
    active unit, not only those the officer wrote about. One query, then cached under the
    content version (a register run moves it on)."""
    number = page.municipality_number
    units = cached(
        f"units:{number}",
        lambda: list(
            RegisterUnit.objects.filter(municipality_number=number, is_active=True).order_by(
                "kind", "name"
            )
        ),
    )
    return {
        "page": page,
        "kindergartens": [unit for unit in units if unit.kind == UnitKind.KINDERGARTEN],
        "schools": [unit for unit in units if unit.kind == UnitKind.SCHOOL],
        "sources": [credit(context, "nbr"), credit(context, "nsr")],
    }


@register.inclusion_tag("sources/includes/vacancy_listing.html", takes_context=True)
def vacancy_listing(context, page):
    request = context.get("request")
    params = request.GET if request is not None else {}
    chosen = {
        "kommune": params.get("kommune", "")
        if params.get("kommune") in _region_numbers(context)[1]
        else "",
        "sektor": params.get("sektor", "") if params.get("sektor") in VacancySector.values else "",
        "frist": params.get("frist", "") if params.get("frist") in DEADLINE_CHOICES else "",
    }
    vacancies = Vacancy.objects.order_by("-published_at", "title")
    if request is not None:
        vacancies = in_region(request, vacancies)
    if chosen["kommune"]:
        vacancies = vacancies.filter(municipality_number=chosen["kommune"])
    if chosen["sektor"]:
        vacancies = vacancies.filter(sector=chosen["sektor"])
    if chosen["frist"]:
        today = timezone.localdate()
        vacancies = vacancies.filter(
            deadline__gte=today, deadline__lte=today + timedelta(days=int(chosen["frist"]))
        )
    key = "listing:" + ":".join([_region_numbers(context)[0], *chosen.values()])
    return {
        "vacancies": cached(key, lambda: list(vacancies)),
        "chosen": chosen,
        "municipalities": [(n, _name(n)) for n in _region_numbers(context)[1]],
        "sectors": VacancySector.choices,
        "deadlines": [("7", _("Within a week")), ("30", _("Within 30 days"))],
        "source": credit(context, "nav"),
    }


def _region_numbers(context) -> tuple[str, list[str]]:
    """The key and the municipalities (numbers) of the request's region: the region-wide
    tables and charts show those. The first region's are its list (the municipalities the
    imports cover), also before each has its page; so where there are no regions."""
    request = context.get("request")
    region = regions.for_request(request) if request is not None else None
    return (region.key if region else ""), [m.number for m in regions.municipalities_of(region)]


def _name(number: str) -> str:
    return DISPLAY_NAMES.get(number) or BY_NUMBER[number].name


@register.inclusion_tag("sources/includes/sector_figures.html", takes_context=True)
def sector_figures(context):
    """Workplaces and employees per sector and municipality, from Enhetsregisteret."""
    _key, numbers = _region_numbers(context)
    table: dict[str, dict[str, SectorFigure]] = {}
    for (number, sector), figure in cached_sector_table().items():
        if number in numbers:
            table.setdefault(sector, {})[number] = figure
    sectors = [
        {
            "label": label,
            "cells": [table[code].get(number) for number in numbers],
            "workplaces": sum(cell.workplaces for cell in table[code].values()),
            "employees": sum(cell.employees for cell in table[code].values()),
        }
        for code, label in Sector.choices
        if code in table
    ]
    return {
        "sectors": sectors,
        "municipalities": [_name(number) for number in numbers],
        "source": credit(context, "brreg"),
    }


@register.inclusion_tag("sources/includes/credit.html", takes_context=True)
def source_credit(context, name: str):
    """The credit line of one source: where, licence, when updated, sample or stale."""
    return {"source": credit(context, name)}


@register.inclusion_tag("sources/includes/population_chart.html", takes_context=True)
def population_chart(context):
    key, numbers = _region_numbers(context)
    figures = cached(
        f"population:{key}",
        lambda: list(PopulationFigure.objects.filter(municipality_number__in=numbers)),
    )
    years = sorted({figure.year for figure in figures})[-CHART_YEARS:]
    by_key = {(f.municipality_number, f.year): f.population for f in figures}
    series = []
    for number in numbers:
        points = [(year, by_key[(number, year)]) for year in years if (number, year) in by_key]
        if points:
            series.append(Series(number, _name(number), points))
    complete = [year for year in years if all((n, year) in by_key for n in numbers)]
    if complete:
        region = [(year, sum(by_key[(n, year)] for n in numbers)) for year in complete]
        series.append(Series("region", _("The region"), region))
    charts = []
    scale = shared_scale(series)
    for item in series:
        first, last = item.points[0], item.points[-1]
        title = _("Population of %(name)s, %(first)s–%(last)s") % {
            "name": item.label,
            "first": first[0],
            "last": last[0],
        }
        description = _(
            "From %(start)s in %(first)s to %(end)s in %(last)s (%(change)s). "
            "The charts share one scale, from %(low)s to %(high)s."
        ) % {
            "start": number_format(first[1], force_grouping=True),
            "first": first[0],
            "end": number_format(last[1], force_grouping=True),
            "last": last[0],
            "change": percent(change(item.points)[-1][1], 1),
            "low": percent(-scale),
            "high": percent(scale),
        }
        charts.append(
            {
                "label": item.label,
                "svg": line_chart(
                    item,
                    scale=scale,
                    title=title,
                    description=description,
                    chart_id=f"population-{item.key}",
                ),
            }
        )
    rows = [
        {
            "year": year,
            "values": [by_key.get((number, year)) for number in numbers],
            "total": sum(by_key[(n, year)] for n in numbers) if year in complete else None,
        }
        for year in years
    ]
    return {
        "charts": charts,
        "rows": rows,
        "municipalities": [_name(number) for number in numbers],
        "source": credit(context, "ssb-population"),
    }


@register.inclusion_tag("sources/includes/population_credit.html", takes_context=True)
def population_credit(context, page):
    """Credits SSB beside the population when the figure on the page came from SSB."""
    if page.population is None:
        return {"show": False}
    written = cached(
        f"provenance:{page.pk}",
        lambda: FactProvenance.objects.filter(page_id=page.pk, field="population").first() or "",
    )
    show = bool(written) and written.value == [page.population, page.population_year]
    return {"show": show, "source": credit(context, "ssb-population")}


@register.simple_tag(takes_context=True)
def daylight_for(context, page):
    """Daylight through the year at the municipality's administrative centre, or None
    before the first run of the source. One query, then cached under the content version."""
    number = page.municipality_number
    days = cached(
        f"daylight:{number}",
        lambda: list(
            DaylightDay.objects.filter(
                municipality_number=number,
                date__year__gte=timezone.localdate().year - 1,
            )
        ),
    )
    days = light.days_of_latest_year(days)
    if not days:
        return None
    place = BY_NUMBER[number].centre if number in BY_NUMBER else page.title
    facts = light.summary(days)
    sentence = light.facts_sentence(place, facts)
    title = _("Hours of daylight in %(place)s through %(year)s") % {
        "place": place,
        "year": days[0].date.year,
    }
    return {
        "place": place,
        "year": days[0].date.year,
        "facts": sentence,
        "chart": light.chart(days, title=title, description=sentence, chart_id="daylight"),
        "rows": light.table_rows(days),
        "source": credit(context, "met"),
    }


def _commute_links() -> list:
    return cached("commute", lambda: list(CommuteLink.objects.all()))


@register.simple_tag(takes_context=True)
def commute_for(context, page):
    """Journeys by public transport from the municipality's towns and villages, or None
    before the first run of the source."""
    rows = commute.from_municipality(_commute_links(), page.municipality_number)
    if not rows:
        return None
    return {"rows": rows, "source": credit(context, "entur")}


@register.inclusion_tag("sources/includes/commute_matrix.html", takes_context=True)
def commute_matrix(context):
    """Typical journeys between all the region's towns and villages (the work page)."""
    links = _commute_links()
    return {"matrix": commute.matrix(links) if links else None, "source": credit(context, "entur")}
