"""Entries across the region: industries, leisure activities, schools and kindergartens.

Read from the read model (`region_pages.Entry`), never from StreamField JSON.
"""

import json
from typing import Annotated, Literal

from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _

from ninja import Path, Query, Router
from ninja.responses import NinjaJSONEncoder

from ..blocks.choices import LeisureCategory, SchoolLevel, Season, Sector
from .kept import kept_answer
from .params import DEFAULT_LIMIT, Limit, Offset, RegionKeys, page_links, strict_query
from .problems import missing_translation, not_found
from .represent import EntryKey, Reader
from .schemas import Entry, EntryFeatureCollection, EntryKindCode, EntryList, Lang, Problem
from .sparse import Fields, sparse

router = Router(tags=["entries"])

GEOJSON_CONTENT_TYPE = "application/geo+json"

Category = Literal[
    tuple(dict.fromkeys([*Sector.values, *LeisureCategory.values, *SchoolLevel.values]))
]
Sort = Literal["position", "name", "-name", "last_published_at", "-last_published_at"]
SORTS = {
    "position": ("page__path", "position", "block_id"),
    "name": ("name", "block_id"),
    "-name": ("-name", "block_id"),
    "last_published_at": ("published_at", "page__path", "position", "block_id"),
    "-last_published_at": ("-published_at", "page__path", "position", "block_id"),
}
# Decimal degrees with up to ten decimals, within range: longitudes -180 to 180, latitudes
# -90 to 90. The pattern says all a box must be: west may lie east of east (the box then
# crosses the antimeridian, as in GeoJSON), and a box whose south lies north of its north
# holds nothing.
_DECIMALS = r"(?:\.[0-9]{1,10})?"
LONGITUDE = rf"-?(?:180(?:\.0{{1,10}})?|(?:1[0-7][0-9]|0?[0-9]{{1,2}}){_DECIMALS})"
LATITUDE = rf"-?0?(?:90(?:\.0{{1,10}})?|[0-8]?[0-9]{_DECIMALS})"
BBOX_PATTERN = rf"^{LONGITUDE},{LATITUDE},{LONGITUDE},{LATITUDE}$"
ID_PATTERN = r"^[A-Za-z0-9-]{1,64}$"
MUNICIPALITY_PATTERN = r"^[0-9]{4}$|^[a-z0-9][a-z0-9-]{0,254}$"


def in_bbox(rows, bbox: str):
    """Entries with coordinates inside the box (`bbox` has the form of BBOX_PATTERN)."""
    west, south, east, north = (float(part) for part in bbox.split(","))
    rows = rows.filter(latitude__gte=south, latitude__lte=north)
    if west <= east:
        return rows.filter(longitude__gte=west, longitude__lte=east)
    return rows.filter(Q(longitude__gte=west) | Q(longitude__lte=east))


Kind = Annotated[EntryKindCode | None, Query(description="industry, leisure or school.")]
Municipality = Annotated[
    str | None,
    Query(
        pattern=MUNICIPALITY_PATTERN,
        description="A municipality's number (1833) or slug (rana).",
    ),
]
CategoryParameter = Annotated[
    Category | None, Query(description="A sector, leisure category or school level code.")
]
SeasonParameter = Annotated[Season | None, Query(description="Leisure activities in this season.")]
Level = Annotated[SchoolLevel | None, Query(description="Schools of this level.")]
Box = Annotated[
    str | None,
    Query(
        pattern=BBOX_PATTERN,
        description="Only entries with coordinates inside the box west,south,east,north: "
        "four decimal numbers in degrees (WGS 84), longitudes from -180 to 180, latitudes "
        "from -90 to 90. A west east of the east gives a box across the antimeridian (as "
        "in GeoJSON); a south north of the north, a box that holds nothing.",
        examples=["13.5,66.0,14.8,66.5"],
    ),
]
SortParameter = Annotated[
    Sort, Query(description="position = by municipality, then in page order.")
]
FILTERS = ("lang", "kind", "municipality", "category", "season", "level", "bbox", "sort")
FILTERS += ("limit", "offset", "region")


def filtered(reader: Reader, lang, kind, municipality, category, season, level, bbox):
    """The entries in `lang` that the list's filters (combined) let through."""
    rows = reader.entries().filter(locale__language_code=lang)
    if kind:
        rows = rows.filter(kind=kind)
    if municipality:
        by = "municipality_number" if municipality.isdigit() else "page__slug"
        rows = rows.filter(**{by: municipality})
    if category:
        rows = rows.filter(category=category)
    if season:
        rows = rows.in_season(season)
    if level:
        rows = rows.filter(kind="school", category=level)
    if bbox:
        rows = in_bbox(rows, bbox)
    return rows


@router.get(
    "/entries",
    response={200: EntryList, 304: None, 400: Problem, 404: Problem},
    url_name="entry_list",
    operation_id="listEntries",
    summary="Entries",
    description="Industries, leisure activities, schools and kindergartens of the whole "
    "region in one language. Filters combine (AND). The order is stable: ties are broken by "
    "the entry's id, so paging with `offset` neither repeats nor skips an entry while "
    "nothing is published.",
)
@strict_query(*FILTERS, "fields")
@sparse(EntryList)
def list_entries(
    request,
    lang: Lang = "nb",
    kind: Kind = None,
    municipality: Municipality = None,
    category: CategoryParameter = None,
    season: SeasonParameter = None,
    level: Level = None,
    bbox: Box = None,
    sort: SortParameter = "position",
    fields: Fields(EntryList) = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    region: RegionKeys = None,
):
    reader = Reader(request, lang)
    filters = (lang, kind, municipality, category, season, level, bbox, sort)
    rows = filtered(reader, *filters[:-1]).order_by(*SORTS[sort])
    count, page = reader.listed("entry-list", filters, rows, offset, limit, EntryKey)
    return {**page_links(request, count, limit, offset), "items": reader.entry_items(page)}


@router.get(
    "/entries.geojson",
    response={200: EntryFeatureCollection, 304: None, 400: Problem, 404: Problem},
    url_name="entry_features",
    operation_id="listEntryFeatures",
    summary="Entries on a map (GeoJSON)",
    description="The entries that have coordinates, as a GeoJSON FeatureCollection (RFC "
    "7946, `application/geo+json`) for a map: each feature a point with the entry (as "
    "`/entries` gives it) as its properties. The same filters and order as `/entries`; "
    "entries without coordinates are left out.",
)
@strict_query(*FILTERS)
def list_entry_features(
    request,
    lang: Lang = "nb",
    kind: Kind = None,
    municipality: Municipality = None,
    category: CategoryParameter = None,
    season: SeasonParameter = None,
    level: Level = None,
    bbox: Box = None,
    sort: SortParameter = "position",
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    region: RegionKeys = None,
):
    reader = Reader(request, lang)
    filters = (lang, kind, municipality, category, season, level, bbox, sort)
    rows = filtered(reader, *filters[:-1]).filter(latitude__isnull=False, longitude__isnull=False)
    rows = rows.order_by(*SORTS[sort])
    count, page = reader.listed("entry-features", filters, rows, offset, limit, EntryKey)
    features = [
        {
            "type": "Feature",
            "id": item["id"],
            "geometry": {
                "type": "Point",
                "coordinates": [entry.longitude, entry.latitude],
            },
            "properties": item,
        }
        for entry, item in zip(page, reader.entry_items(page), strict=True)
    ]
    collection = EntryFeatureCollection.model_validate(
        {
            "type": "FeatureCollection",
            **page_links(request, count, limit, offset),
            "features": features,
        }
    )
    # Encoded as the API encodes its answers, so a feature's properties read as /entries.
    return HttpResponse(
        json.dumps(collection.model_dump(), cls=NinjaJSONEncoder),
        content_type=GEOJSON_CONTENT_TYPE,
    )


@router.get(
    "/entries/{entry_id}",
    response={200: Entry, 304: None, 400: Problem, 404: Problem},
    url_name="entry_detail",
    operation_id="getEntry",
    summary="One entry",
    description="An entry by its id (the same in both languages) in one language.",
)
@strict_query("lang", "region")
def get_entry(
    request,
    entry_id: Annotated[str, Path(pattern=ID_PATTERN)],
    lang: Lang = "nb",
    region: RegionKeys = None,
):
    reader = Reader(request, lang)

    def build():
        languages = list(reader.entries().filter(block_id=entry_id).order_by("page__path"))
        found = [entry for entry in languages if entry.locale.language_code == lang]
        if found:
            return reader.entry_items(found[:1])[0]
        if languages:
            raise missing_translation(lang, [reader.entry_link(other) for other in languages])
        raise not_found(_("There is no entry with the id “%(id)s”.") % {"id": entry_id})

    # Kept under the content version; an entry not there (in this language) raises and is
    # not kept.
    return kept_answer("entry-detail", reader.asked(entry_id, lang), Entry, build)
