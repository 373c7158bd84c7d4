"""The four municipalities, as the sources name them (from region_pages.municipalities)."""

from region_pages import regions
from region_pages.api.params import requested_regions
from region_pages.municipalities import MUNICIPALITIES as REGION

# kommunenummer -> the name NAV's feed uses for the work location (upper case).
MUNICIPALITIES = {municipality.number: municipality.nav_name for municipality in REGION}
NUMBER_BY_NAV_NAME = {name: number for number, name in MUNICIPALITIES.items()}
DISPLAY_NAMES = {municipality.number: municipality.name for municipality in REGION}


def number_for_nav_name(name: str | None) -> str | None:
    return NUMBER_BY_NAV_NAME.get((name or "").strip().upper())


def in_region(request, queryset, field: str = "municipality_number"):
    """`queryset` narrowed to the municipalities of the regions the request reads
    (`?region=`, else its host's): the default region also keeps what is in no region's
    municipalities (imported for a municipality whose page is not published yet); the
    whole queryset in an install without regions."""
    chosen = requested_regions(request)
    if not chosen:
        return queryset
    if any(region.is_default for region in chosen):
        others = {n for r in regions.all_regions() if r not in chosen for n in r.numbers}
        return queryset.exclude(**{f"{field}__in": others}) if others else queryset
    numbers = {n for region in chosen for n in region.numbers}
    return queryset.filter(**{f"{field}__in": numbers})
