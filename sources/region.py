"""The four municipalities, as the sources name them (from region_pages.municipalities)."""

from region_pages import regions
from region_pages.municipalities import MUNICIPALITIES as REGION

# kommunenummer -> the name NAV's feed uses for the work location (upper case).
MUNICIPALITIES = {municipality.number: municipality.nav_name for municipality in REGION}
NUMBER_BY_NAV_NAME = {name: number for number, name in MUNICIPALITIES.items()}
DISPLAY_NAMES = {municipality.number: municipality.name for municipality in REGION}


def number_for_nav_name(name: str | None) -> str | None:
    return NUMBER_BY_NAV_NAME.get((name or "").strip().upper())


def in_region(request, queryset, field: str = "municipality_number"):
    """`queryset` narrowed to the municipalities of the request's region: the default
    region also keeps what is in no region's municipalities (imported for a municipality
    whose page is not published yet); the whole queryset in an install without regions."""
    region = regions.for_request(request)
    if region is None:
        return queryset
    if region.is_default:
        others = {n for other in regions.all_regions() if other != region for n in other.numbers}
        return queryset.exclude(**{f"{field}__in": others}) if others else queryset
    return queryset.filter(**{f"{field}__in": region.numbers})
